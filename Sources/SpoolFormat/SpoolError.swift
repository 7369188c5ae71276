import SpoolBase

/// An error of the spool library. Each case says what failed and, in `description`, what to do next.
public enum SpoolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A system call failed with `errno` on `path`.
    case io(operation: String, path: String, errno: Int32)
    /// The spool directory is a symbolic link; TraceSpool refuses to follow it.
    case directoryIsSymlink(path: String)
    /// The spool directory belongs to another user (uid `owner`, this process runs as `expected`).
    case directoryNotOwned(path: String, owner: UInt32, expected: UInt32)
    /// Users other than the spool directory's owner may write it (`permissions`: the mode's low 12 bits): anyone could
    /// plant a segment there. Writers tighten such a directory of their own and report this when they cannot;
    /// uploaders refuse it unless its group is the configured shared group (and then only group write is allowed).
    case directoryWritableByOthers(path: String, permissions: UInt32)
    /// The path exists and is not a directory.
    case notADirectory(path: String)
    /// A segment file's header is unreadable; nothing in it can be trusted.
    case badSegmentHeader(path: String, problem: SegmentHeader.Problem)
    /// A record or frame is larger than the format allows.
    case tooLarge(what: String, bytes: Int, limit: Int)
    /// The open segment file was deleted or renamed by someone else; a new segment is started on the next append.
    case segmentVanished(path: String)
    /// The writer was closed.
    case closed

    /// The `.io` error of a failed system call.
    init(_ error: SystemCallError) { self = .io(operation: error.operation, path: error.path, errno: error.errno) }

    /// The path the error is about, when it names one.
    package var path: String? {
        switch self {
        case .io(_, let path, _), .directoryIsSymlink(let path), .directoryNotOwned(let path, _, _),
            .directoryWritableByOthers(let path, _), .notADirectory(let path), .badSegmentHeader(let path, _),
            .segmentVanished(let path):
            path
        case .tooLarge, .closed: nil
        }
    }

    /// What went wrong and what to do next.
    public var description: String {
        switch self {
        case .io(let op, let path, let e):
            "\(op) \(path) failed: \(Self.errnoText(e))" + Self.advice(e)
        case .directoryIsSymlink(let path):
            "spool directory \(path) is a symbolic link; point TRACESPOOL_DIR at the real directory"
        case .directoryNotOwned(let path, let owner, let expected):
            "spool directory \(path) is owned by uid \(owner), not by this process (uid \(expected)); "
                + "use a directory of your own (set TRACESPOOL_DIR), or, for an uploader running as another user on "
                + "purpose, give the directory a shared group and set TRACESPOOL_SPOOL_GROUP (--spool-group)"
        case .directoryWritableByOthers(let path, let permissions):
            "spool directory \(path) has mode \(String(permissions, radix: 8)): other users may write it and plant "
                + "segments; remove their write permission (chmod go-w \(path)), or, for an uploader in a shared "
                + "group on purpose, set TRACESPOOL_SPOOL_GROUP (--spool-group) to the directory's group"
        case .notADirectory(let path): "spool path \(path) exists and is not a directory"
        case .badSegmentHeader(let path, let problem):
            "\(path): \(problem); the file is not readable as a segment (check it with `tracespool-dump verify`)"
        case .tooLarge(let what, let bytes, let limit): "\(what) of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case .segmentVanished(let path): "segment \(path) was removed while open; a new segment will be started"
        case .closed: "the segment writer is closed"
        }
    }

    static func errnoText(_ e: Int32) -> String { POSIX.describe(errno: e) + " (errno \(e))" }

    static func advice(_ e: Int32) -> String {
        switch e {
        case ENOSPC, EDQUOT: "; free disk space or lower the spool cap"
        case EACCES, EPERM: "; check the spool directory's permissions"
        case EROFS: "; the file system is read-only, choose a writable spool directory"
        case ENOENT: "; the path does not exist"
        default: ""
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
