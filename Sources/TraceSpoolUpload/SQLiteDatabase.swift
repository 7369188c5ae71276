import CSQLite
import Synchronization

/// A serialized SQLite connection: every use goes through `withConnection`, one caller at a time.
final class SQLiteDatabase: Sendable {
    private let handle: Mutex<Handle>

    struct Handle: @unchecked Sendable {
        var db: OpaquePointer
    }

    let path: String

    /// Opens (creating) the database file.
    init(path: String) throws(UploadError) {
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(
            path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close(db) }
            throw .sqlite(operation: "open \(path)", code: rc, message: message)
        }
        sqlite3_busy_timeout(db, 10_000)
        self.path = path
        self.handle = Mutex(Handle(db: db))
    }

    deinit {
        _ = handle.withLock { sqlite3_close($0.db) }
    }

    func withConnection<T>(_ body: (OpaquePointer) throws(UploadError) -> T) throws(UploadError) -> T {
        try handle.withLock { (h: inout Handle) throws(UploadError) -> T in try body(h.db) }
    }

    static func execute(_ db: OpaquePointer, _ sql: String) throws(UploadError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &error)
        guard rc == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(db))
            sqlite3_free(error)
            throw .sqlite(operation: String(sql.prefix(60)), code: rc, message: message)
        }
    }
}
