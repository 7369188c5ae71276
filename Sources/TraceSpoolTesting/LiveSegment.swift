import SpoolBase
public import SpoolFormat
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An `.open` segment whose writer lives: it holds the segment's lock, as a writer does for a segment's whole life,
/// so readers and uploaders treat the segment as being written. Made by `SegmentBuilder.writeLive(into:baseName:)`.
///
/// Append frames to it, then seal it (the writer finished) or abandon it (the writer died). Released without either,
/// it is abandoned.
///
/// ```swift
/// var builder = SegmentBuilder()
/// try builder.appendFrame(spans: [RecordedSpan(operationName: "first")])
/// let live = try builder.writeLive(into: spool.path)
/// let next = try builder.appendFrame(spans: [RecordedSpan(operationName: "second")])
/// try live.append(builder.bytes[next.offset...])
/// try live.seal()
/// ```
public final class LiveSegment: Sendable {
    private struct State {
        /// The descriptor holding the lock; -1 once sealed or abandoned.
        var fd: Int32
        var path: String
    }

    private let state: Mutex<State>

    init(descriptor: Int32, path: String) {
        state = Mutex(State(fd: descriptor, path: path))
    }

    deinit { abandon() }

    /// The segment file's path: `<base>.open`, and `<base>.seg` once sealed.
    public var path: String { state.withLock { $0.path } }

    /// Whether the segment's lock is still held (false once sealed or abandoned).
    public var isLive: Bool { state.withLock { $0.fd >= 0 } }

    /// Appends `bytes` at the end of the file with one `write` (as a writer appends a frame), for example the bytes
    /// a `SegmentBuilder` appended since the file was written.
    ///
    /// - Throws: `SpoolError.closed` when the segment was sealed or abandoned; `.io` when the write fails.
    public func append(_ bytes: some Collection<UInt8>) throws(SpoolError) {
        let bytes = Array(bytes)
        try state.withLock { s throws(SpoolError) in
            guard s.fd >= 0 else { throw .closed }
            let failed = POSIX.writeAll(s.fd, bytes)
            guard failed == 0 else { throw .io(operation: "write", path: s.path, errno: failed) }
        }
    }

    /// Seals the segment as readers see a writer do it: renames `<base>.open` to `<base>.seg`, then releases the
    /// lock. Unlike a writer it does not sync the file or the directory (a test's spool need not survive a power
    /// loss).
    ///
    /// - Throws: `SpoolError.closed` when the segment was sealed or abandoned; `.io` when the rename fails (the
    ///   segment stays live).
    public func seal() throws(SpoolError) {
        try state.withLock { s throws(SpoolError) in
            guard s.fd >= 0 else { throw .closed }
            guard let sealed = SegmentName.path(s.path, withState: .sealed) else { throw .closed }
            guard rename(s.path, sealed) == 0 else { throw .io(operation: "rename", path: s.path, errno: errno) }
            s.path = sealed
            POSIX.closeQuietly(s.fd)
            s.fd = -1
        }
    }

    /// Releases the lock and leaves the file `.open`, as when the writer dies: the segment is abandoned. Does nothing
    /// when it was sealed or abandoned already.
    public func abandon() {
        state.withLock { s in
            if s.fd >= 0 { close(s.fd) }
            s.fd = -1
        }
    }
}
