/// A failed system call on a path: which call, on which path, and its `errno`. Callers turn it into their module's
/// own error (`SpoolError.io`, `UploadError.io`), which adds advice for the user.
package struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The operation that failed, e.g. `open`, `fsync`, `rename`.
    package var operation: String
    /// The path it was applied to.
    package var path: String
    /// The errno value.
    package var errno: Int32

    /// Creates an error.
    package init(operation: String, path: String, errno: Int32) {
        self.operation = operation
        self.path = path
        self.errno = errno
    }

    /// `<operation> <path> failed: <strerror>`.
    package var description: String { "\(operation) \(path) failed: \(POSIX.describe(errno: errno))" }
}
