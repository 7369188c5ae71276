package import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The signal a serverless function's tracer leaves in its spool directory when it has made one invocation's spans
/// durable: an empty file `invocation-<request id>.done` (`Spool/FORMAT.md`, "Invocation markers").
///
/// An uploader running as an AWS Lambda extension watches for the marker of the invocation in progress so that it can
/// ship that invocation's spans without waiting for the platform's `runtimeDone` telemetry event. The marker carries no
/// data: a missing, stale or forged one only moves the moment of a drain, never what is shipped.
package enum InvocationMarker {
    /// The file name prefix of every marker.
    package static let prefix = "invocation-"
    /// The file name suffix of every marker.
    package static let suffix = ".done"
    /// The longest request id a marker names, bytes.
    package static let maxRequestIDBytes = 128

    /// The marker's file name for `requestID`, or nil when the id is empty, longer than ``maxRequestIDBytes`` or has
    /// a byte outside `[A-Za-z0-9-]` (Lambda request ids are UUIDs).
    package static func fileName(requestID: String) -> String? {
        let bytes = Array(requestID.utf8)
        guard !bytes.isEmpty, bytes.count <= maxRequestIDBytes, bytes.allSatisfy(isAllowed) else { return nil }
        return prefix + requestID + suffix
    }

    /// The request id a marker's file name names, or nil when `fileName` is not a marker name.
    package static func requestID(fromFileName fileName: String) -> String? {
        guard fileName.hasPrefix(prefix), fileName.hasSuffix(suffix) else { return nil }
        let id = String(fileName.dropFirst(prefix.count).dropLast(suffix.count))
        return Self.fileName(requestID: id) == fileName ? id : nil
    }

    /// Creates the marker of `requestID` in `directory` (mode 0600, symbolic links not followed; an existing marker
    /// is left as it is). Not synced: a marker lost in a crash only delays a drain.
    ///
    /// - Throws: `SystemCallError` when the file cannot be created; `EINVAL` when `requestID` cannot be a marker
    ///   name.
    package static func write(requestID: String, in directory: String) throws(SystemCallError) {
        guard let name = fileName(requestID: requestID) else {
            throw SystemCallError(operation: "open", path: FileSystem.join(directory, prefix), errno: EINVAL)
        }
        let path = FileSystem.join(directory, name)
        let fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SystemCallError(operation: "open", path: path, errno: errno) }
        POSIX.closeQuietly(fd)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            true
        default: false
        }
    }
}
