package import SpoolBase

/// Errors of the uploader library: why a ``SpoolUploader`` could not be created. Each says what failed and what to
/// do next. (Failures while draining are not thrown: they are logged and counted in the ``DrainSummary``.)
public enum UploadError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A configuration value is unusable; the problem names the property or environment variable.
    case invalidConfiguration(ConfigurationProblem)
    /// A system call on an uploader file (checkpoint, lease, dead letter, database) failed.
    case io(operation: String, path: String, errno: Int32)
    /// The SQLite store failed (it cannot be opened, or its schema cannot be created or migrated).
    case sqlite(operation: String, code: Int32, message: String)

    /// The `.io` error of a failed system call.
    package init(_ error: SystemCallError) {
        self = .io(operation: error.operation, path: error.path, errno: error.errno)
    }

    /// A one-line explanation with the next step.
    public var description: String {
        switch self {
        case .invalidConfiguration(let problem):
            "invalid configuration: \(problem)"
        case .io(let op, let path, let e):
            "\(op) \(path) failed: \(POSIX.describe(errno: e)) (check permissions and free space)"
        case .sqlite(let op, let code, let message):
            "sqlite \(op) failed (code \(code)): \(message) (check the database path, its permissions and free space)"
        }
    }
}
