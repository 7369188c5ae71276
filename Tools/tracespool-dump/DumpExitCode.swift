/// The exit statuses of `tracespool-dump`, documented in `Docs/Dump.md`.
enum DumpExitCode: Int32, Sendable {
    /// The command succeeded (for `verify`: every segment is clean).
    case success = 0
    /// The command failed: unreadable input, I/O error, salvage failure.
    case failure = 1
    /// `verify` found damage (or an unreadable segment header).
    case damaged = 2
    /// `trace ID` found no span of that trace.
    case notFound = 3
    /// A command-line usage error (argument-parser's validation code).
    case usage = 64
}
