import CSQLite
import Synchronization

/// One SQLite database connection, used by one caller at a time: every use goes through `withDatabase(_:)`, which
/// holds a lock for the whole body (a transaction, or a read from the first row to the last).
///
/// The connection closes when the value is released.
package final class SQLiteConnection: Sendable {
    /// How a connection opens its file.
    package enum Access: Sendable {
        /// Read and write, creating the file when it is missing (`SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE`), never
        /// through a symbolic link (`SQLITE_OPEN_NOFOLLOW`).
        case readWriteCreate
        /// Read only; a missing file fails (`SQLITE_OPEN_READONLY`). Nothing on disk changes.
        case readOnly
    }

    /// The database handle; only touched with the lock held.
    private struct Handle: @unchecked Sendable {
        var pointer: OpaquePointer
    }

    /// The database file, as given.
    package let path: String
    private let handle: Mutex<Handle>

    /// Opens the database file at `path`.
    ///
    /// - Parameters:
    ///   - access: read-write (creating the file) or read-only.
    ///   - busyTimeoutMillis: how long a statement waits for another connection's lock before it fails with
    ///     `SQLITE_BUSY` (`sqlite3_busy_timeout`), in milliseconds.
    /// - Throws: `StoreError.sqlite` with operation `.open` when SQLite cannot open the file (missing for
    ///   `.readOnly`, no permission, not a file, a symbolic link for `.readWriteCreate`). A file that is not a database opens; the first statement fails.
    package init(path: String, access: Access, busyTimeoutMillis: Int32) throws(StoreError) {
        let flags =
            switch access {
            case .readWriteCreate:
                SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_NOFOLLOW
            case .readOnly: SQLITE_OPEN_READONLY
            }
        var db: OpaquePointer?
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close(db)
            throw .sqlite(path: path, operation: .open, code: rc, message: message)
        }
        sqlite3_busy_timeout(db, busyTimeoutMillis)
        self.path = path
        self.handle = Mutex(Handle(pointer: db))
    }

    deinit {
        _ = handle.withLock { sqlite3_close($0.pointer) }
    }

    /// Runs `body` with the connection, holding it for the whole call: other callers wait.
    ///
    /// - Throws: what `body` throws.
    package func withDatabase<T>(_ body: (SQLiteDatabase) throws(StoreError) -> T) throws(StoreError) -> T {
        try handle.withLock { (h: inout Handle) throws(StoreError) -> T in
            try body(SQLiteDatabase(pointer: h.pointer, path: path))
        }
    }
}
