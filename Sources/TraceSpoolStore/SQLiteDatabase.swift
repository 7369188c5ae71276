import CSQLite

/// The open database lent to the body of `SQLiteConnection.withDatabase(_:)`: runs statements and transactions.
/// Valid only during that body; it is not kept.
package struct SQLiteDatabase {
    /// The database handle.
    let pointer: OpaquePointer
    /// The database file, for errors.
    package let path: String

    /// Runs one or more SQL statements that return no rows (`sqlite3_exec`).
    ///
    /// - Throws: `StoreError.sqlite` with operation `.execute(sql:)` and SQLite's message.
    package func execute(_ sql: String) throws(StoreError) {
        var errorText: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(pointer, sql, nil, nil, &errorText)
        guard rc == SQLITE_OK else {
            let message = errorText.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(pointer))
            sqlite3_free(errorText)
            throw .sqlite(path: path, operation: .execute(sql: sql), code: rc, message: message)
        }
    }

    /// Prepares one SQL statement.
    ///
    /// - Parameter operation: what the statement is for, named in the error.
    /// - Throws: `StoreError.sqlite` with `operation` when SQLite rejects the statement (for example a missing table,
    ///   or a file that is not a database).
    package func prepare(_ sql: String, for operation: StoreError.Operation) throws(StoreError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(pointer, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw failure(operation, code: rc)
        }
        return SQLiteStatement(pointer: statement, database: self)
    }

    /// Runs `body` in one write transaction (`BEGIN IMMEDIATE`, so two writers never both start one and then fail
    /// to upgrade their lock), committed when `body` returns. When `body` or the commit throws, the transaction is
    /// rolled back and nothing of it is kept.
    ///
    /// - Throws: `StoreError` from `BEGIN`, `body` or `COMMIT`.
    package func transaction<T>(_ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try execute("BEGIN IMMEDIATE")
        do throws(StoreError) {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The error of a failed `operation`, with SQLite's current message for the connection.
    package func failure(_ operation: StoreError.Operation, code: Int32) -> StoreError {
        .sqlite(path: path, operation: operation, code: code, message: String(cString: sqlite3_errmsg(pointer)))
    }
}
