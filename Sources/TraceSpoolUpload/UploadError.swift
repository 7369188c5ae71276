import SpoolBase

/// Errors of the uploader library. Each says what failed and what to do next.
public enum UploadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call on an uploader file (checkpoint, lease, dead letter, database) failed.
    case io(operation: String, path: String, errno: Int32)
    /// The configuration is unusable (bad endpoint URL, bad header list, conflicting limits).
    case invalidConfiguration(String)
    /// The SQLite store failed.
    case sqlite(operation: String, code: Int32, message: String)
    /// A spool directory could not be opened.
    case spool(path: String, reason: String)

    /// The `.io` error of a failed system call.
    init(_ error: SystemCallError) { self = .io(operation: error.operation, path: error.path, errno: error.errno) }

    /// A one-line explanation with the next step.
    public var description: String {
        switch self {
        case .io(let op, let path, let e):
            "\(op) \(path) failed: \(POSIX.describe(errno: e)) (check permissions and free space)"
        case .invalidConfiguration(let why):
            "invalid configuration: \(why)"
        case .sqlite(let op, let code, let message):
            "sqlite \(op) failed (code \(code)): \(message) (check the database path, its permissions and free space)"
        case .spool(let path, let reason):
            "cannot use spool directory \(path): \(reason)"
        }
    }
}
