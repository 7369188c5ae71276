/// An error of the SQLite trace store: the file is not a store that can be used, or SQLite failed an operation on it.
/// `description` says what failed and what to check next; callers that word errors for their own users (the uploader,
/// the dump tool) switch on the cases.
package enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation SQLite failed.
    package enum Operation: Sendable, Equatable, CustomStringConvertible {
        /// Opening (for writing: creating) the database file.
        case open
        /// Running an SQL statement: journal settings, transaction control, the schema, a migration step.
        case execute(sql: String)
        /// Reading the `spans` table's column names (`PRAGMA table_info(spans)`).
        case readColumns
        /// Preparing the `INSERT` of spans.
        case prepareInsert
        /// Inserting one span.
        case insert
        /// Preparing the `SELECT` of spans.
        case prepareRead
        /// Stepping to the next row of the `SELECT`.
        case readRow

        /// The operation in a few words (an SQL statement cut to its first 60 characters).
        package var description: String {
            switch self {
            case .open: "open"
            case .execute(let sql): String(sql.prefix(60))
            case .readColumns: "PRAGMA table_info(spans)"
            case .prepareInsert: "prepare insert"
            case .insert: "insert"
            case .prepareRead: "prepare the read of spans"
            case .readRow: "read a row"
            }
        }
    }

    /// `path` is not a regular file (missing, a directory, a device), so it holds no store to read.
    case notAFile(path: String)
    /// The store's file, one of its companions (`-wal`, `-shm`, `-journal`) or its private directory is a symbolic
    /// link: a store is never opened through one, since whoever made the link chooses where the spans go.
    case symbolicLink(path: String)
    /// The store's file, a companion or its private directory belongs to user `owner`, not to this process's
    /// effective user `expected`: whoever made it could read every span written into it.
    case notOwned(path: String, owner: UInt32, expected: UInt32)
    /// The private directory of the default store grants permissions (`permissions`, the mode's low 12 bits) to its
    /// group or to others.
    case directoryNotPrivate(path: String, permissions: UInt32)
    /// SQLite failed `operation` on the store at `path` with result `code` and its `message` (for example
    /// `database is locked`, `disk I/O error`, `file is not a database`, `no such table: spans`).
    case sqlite(path: String, operation: Operation, code: Int32, message: String)

    /// What failed and what to check next.
    package var description: String {
        switch self {
        case .notAFile(let path):
            "\(path): not a regular file, so not a SQLite trace store; pass the path of the store's file"
        case .symbolicLink(let path):
            "\(path) is a symbolic link; a store is never opened through one (another user may have made it to "
                + "redirect your spans): remove it if you did not make it, or pass the real path"
        case .notOwned(let path, let owner, let expected):
            "\(path) belongs to uid \(owner), not to this process (uid \(expected)); someone else may have made it "
                + "to read your spans: remove it, or keep the store in a directory of your own (--sqlite PATH)"
        case .directoryNotPrivate(let path, let permissions):
            "store directory \(path) has mode \(String(permissions, radix: 8)), open to other users; make it "
                + "private (chmod 700 \(path)) or remove it so that it is created again with mode 0700"
        case .sqlite(let path, let operation, let code, let message):
            "sqlite \(operation) of \(path) failed (code \(code)): \(message) (check that the file is a TraceSpool "
                + "store, its permissions and the free space of its volume)"
        }
    }
}
