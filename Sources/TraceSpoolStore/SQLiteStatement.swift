import CSQLite

/// A prepared SQLite statement of a database, finalized when it goes out of scope (it cannot be copied, so it is
/// finalized exactly once). Parameters and columns are numbered as SQLite numbers them: parameters from 1, result
/// columns from 0.
package struct SQLiteStatement: ~Copyable {
    private let pointer: OpaquePointer
    private let database: SQLiteDatabase

    /// Wraps a statement prepared by `database`.
    init(pointer: OpaquePointer, database: SQLiteDatabase) {
        self.pointer = pointer
        self.database = database
    }

    deinit { sqlite3_finalize(pointer) }

    /// Resets the statement to run again and clears its parameters (all NULL).
    package func reset() {
        sqlite3_reset(pointer)
        sqlite3_clear_bindings(pointer)
    }

    /// Binds `text` to parameter `index` (nil: NULL). SQLite copies the bytes.
    package func bind(_ index: Int32, _ text: String?) {
        guard let text else {
            sqlite3_bind_null(pointer, index)
            return
        }
        // SQLITE_TRANSIENT: SQLite copies the bytes.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_bind_text(pointer, index, text, -1, transient)
    }

    /// Binds `value` to parameter `index`.
    package func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(pointer, index, value)
    }

    /// Runs the statement to its next row.
    ///
    /// - Parameter operation: what the step does, named in the error.
    /// - Returns: true when a row is ready to read, false when the statement is done.
    /// - Throws: `StoreError.sqlite` with `operation` when the step fails (a constraint, a locked database, a
    ///   corrupt page, a full disk).
    package func step(_ operation: StoreError.Operation) throws(StoreError) -> Bool {
        let rc = sqlite3_step(pointer)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.failure(operation, code: rc)
        }
    }

    /// The text of result column `column` of the current row; nil when it is NULL.
    package func text(_ column: Int32) -> String? {
        guard sqlite3_column_type(pointer, column) != SQLITE_NULL, let text = sqlite3_column_text(pointer, column)
        else { return nil }
        return String(cString: text)
    }

    /// The integer value of result column `column` of the current row (0 for NULL).
    package func int64(_ column: Int32) -> Int64 {
        sqlite3_column_int64(pointer, column)
    }
}
