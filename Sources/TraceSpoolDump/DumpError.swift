package import SpoolFormat
package import TraceSpoolStore

/// An error of the dump tool's library. Each case says what failed; the `tracespool-dump` executable words it for
/// its user, with what to do next.
package enum DumpError: Error, Sendable, Equatable {
    /// The input path does not exist or is neither a directory nor a regular file.
    case inputNotFound(path: String)
    /// The spool library failed (unreadable directory, segment header, ...).
    case spool(SpoolError)
    /// A trace id (or prefix) is not 1 to 32 hexadecimal digits.
    case invalidTraceID(String)
    /// No span of the requested trace was found.
    case traceNotFound(String)
    /// The uploader's SQLite store could not be read (`StoreError.sqlite`: which operation failed, SQLite's message).
    case store(StoreError)
    /// A spool-only command (`ls`, `stats`, `verify`, `salvage`, `spans --follow`) was given the SQLite store.
    case notASpool(path: String, command: String)
    /// The input exists but is not spool data: `what` says what it is instead.
    case notSpoolData(path: String, what: NotSpoolData)

    /// What an input that is not spool data is.
    package enum NotSpoolData: Sendable, Equatable {
        /// Neither a directory nor a regular file (a device, a socket, a FIFO): its kind, e.g. "a character device".
        case notAFileOrDirectory(kind: String)
        /// A directory holding `entries` entries, none of them a segment or a file the spool's tools keep.
        case directoryWithoutSpoolFiles(entries: Int)
        /// A file without a segment name whose first bytes are not a segment header (`problem` says why).
        case notASegment(problem: SegmentHeader.Problem)
    }
}
