public import SpoolFormat

/// An error of the dump tool. Each case says what failed and, in `description`, what to do next.
public enum DumpError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input path does not exist or is neither a directory nor a regular file.
    case inputNotFound(path: String)
    /// The spool library failed (unreadable directory, segment header, ...).
    case spool(SpoolError)
    /// A command-line value is malformed; `what` names the option and the expected form.
    case invalidArgument(String)
    /// No span of the requested trace was found.
    case traceNotFound(String)
    /// `salvage` could not write or seal a new segment.
    case salvageFailed(path: String, underlying: SpoolError)
    /// The uploader's SQLite store could not be read: `operation` failed with SQLite's `message`.
    case sqlite(path: String, operation: String, message: String)
    /// A spool-only command (`ls`, `stats`, `verify`, `salvage`, `spans --follow`) was given the SQLite store.
    case notASpool(path: String, command: String)

    /// What went wrong and what to do next.
    public var description: String {
        switch self {
        case .inputNotFound(let path):
            "\(path): no such spool directory or segment file; pass a spool directory (TRACESPOOL_DIR) or one "
                + "`.seg`/`.open` file"
        case .spool(let error): error.description
        case .invalidArgument(let what): what
        case .traceNotFound(let id):
            "no span of trace \(id) in the spool; list trace ids with `tracespool-dump spans` or `tree`"
        case .salvageFailed(let path, let underlying):
            "salvaging \(path) failed: \(underlying); the original segment was kept, fix the cause and run salvage again"
        case .sqlite(let path, let operation, let message):
            "\(path): cannot \(operation) of the SQLite trace store: \(message); check that it is the store "
                + "`tracespool-upload --sqlite` writes and that it is readable"
        case .notASpool(let path, let command):
            "\(path) is the uploader's SQLite store: `\(command)` works on spools; for the SQLite store use "
                + "spans/tree/trace"
        }
    }
}
