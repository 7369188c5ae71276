import CSQLite
import Foundation
import Testing

/// A temporary directory for store files, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "store-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The path of `name` in the directory.
    func file(_ name: String) -> String { path + "/" + name }
}

/// Plain SQLite access for checking what the store wrote, without the store's code.
enum TestDatabase {
    /// Runs a query on the database file at `path` (read-only) and returns its rows of text columns (NULL as nil).
    static func query(_ path: String, _ sql: String) throws -> [[String?]] {
        var db: OpaquePointer?
        try #require(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK)
        defer { sqlite3_close(db) }
        return try query(db!, sql)
    }

    /// Runs a query on an open database and returns its rows of text columns (NULL as nil).
    static func query(_ db: OpaquePointer, _ sql: String) throws -> [[String?]] {
        var statement: OpaquePointer?
        try #require(
            sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, "\(String(cString: sqlite3_errmsg(db)))")
        defer { sqlite3_finalize(statement) }
        var rows: [[String?]] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            var row: [String?] = []
            for i in 0..<sqlite3_column_count(statement) {
                row.append(sqlite3_column_text(statement, i).map { String(cString: $0) })
            }
            rows.append(row)
        }
        return rows
    }

    /// Runs SQL statements on the database file at `path`, creating it.
    static func execute(_ path: String, _ sql: String) throws {
        var db: OpaquePointer?
        try #require(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK)
        defer { sqlite3_close(db) }
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        try #require(rc == SQLITE_OK, "\(String(cString: sqlite3_errmsg(db)))")
    }

    /// The `spans` table's column names, in table order.
    static func columnNames(_ path: String) throws -> [String] {
        try query(path, "SELECT name FROM pragma_table_info('spans')").map { $0[0] ?? "" }
    }
}
