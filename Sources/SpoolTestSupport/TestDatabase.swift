import CSQLite

/// Plain SQLite access for tests that check what the store wrote without the store's code.
package enum TestDatabase {
    /// A failed SQLite call: what was called and SQLite's message.
    package struct Failure: Error, CustomStringConvertible {
        package var description: String
    }

    /// Runs a query on the database file at `path` (read-only) and returns its rows of text columns (NULL as nil).
    ///
    /// - Throws: `Failure` when the file cannot be opened or the query fails to compile.
    package static func query(_ path: String, _ sql: String) throws(Failure) -> [[String?]] {
        var db: OpaquePointer?
        defer { sqlite3_close(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let db else {
            throw Failure(description: "open \(path): \(message(db))")
        }
        return try query(db, sql)
    }

    /// Runs a query on an open database and returns its rows of text columns (NULL as nil).
    ///
    /// - Throws: `Failure` when the query fails to compile.
    package static func query(_ db: OpaquePointer, _ sql: String) throws(Failure) -> [[String?]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK else {
            throw Failure(description: "prepare \(sql): \(message(db))")
        }
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
    ///
    /// - Throws: `Failure` when the file cannot be opened or a statement fails.
    package static func execute(_ path: String, _ sql: String) throws(Failure) {
        var db: OpaquePointer?
        defer { sqlite3_close(db) }
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db else {
            throw Failure(description: "open \(path): \(message(db))")
        }
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw Failure(description: "exec \(sql): \(message(db))")
        }
    }

    /// The `spans` table's column names, in table order.
    ///
    /// - Throws: `Failure` as `query(_:_:)`.
    package static func columnNames(_ path: String) throws(Failure) -> [String] {
        try query(path, "SELECT name FROM pragma_table_info('spans')").map { $0[0] ?? "" }
    }

    private static func message(_ db: OpaquePointer?) -> String {
        db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
    }
}
