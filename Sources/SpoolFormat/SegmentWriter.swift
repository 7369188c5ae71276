import CSpoolSupport
import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Options of a `SegmentWriter`.
public struct SegmentWriterOptions: Sendable {
    /// Rotate to a new segment before a frame and the seal frame after it would make the current one larger than this
    /// many bytes
    /// (default 64 MiB; clamped to 64 KiB ... 1 GiB, the format's largest segment). A single frame larger than this still
    /// gets a segment of its own.
    public var maxSegmentBytes: Int
    /// Compress payloads with LZ4 when that makes them smaller (default true).
    public var compress: Bool
    /// liblz4's acceleration for frame payloads (default 1, `LZ4_compress_default`; values below 1 count as 1).
    /// Any value produces standard LZ4 blocks that every reader decodes.
    public var lz4Acceleration: Int
    /// The encoded OTLP `Resource` message stamped into every segment header.
    public var resource: [UInt8]
    /// The encoded OTLP `InstrumentationScope` message stamped into every segment header.
    public var scope: [UInt8]
    /// The identity written into headers and file names (default: this process).
    public var identity: WriterIdentity
    /// When true, a rotation leaves the full segment unsealed (`.open`, locked) for the caller to take with
    /// `SegmentWriter.takeRotatedSegments()` and seal on another thread, so that `append` does not wait for its two
    /// `fsync`s (default false: `append` seals it before going on).
    package var deferSealingOnRotation = false

    /// Creates options.
    ///
    /// - Parameters:
    ///   - maxSegmentBytes: the rotation size in bytes (default 64 MiB; clamped to 64 KiB ...
    ///     1 GiB, the format's largest segment).
    ///   - compress: whether to LZ4-compress payloads that shrink (default true).
    ///   - lz4Acceleration: liblz4's acceleration (default 1).
    ///   - resource: the encoded OTLP `Resource` for every header (default empty).
    ///   - scope: the encoded OTLP `InstrumentationScope` for every header (default empty).
    ///   - identity: who writes (default `WriterIdentity.current`).
    public init(
        maxSegmentBytes: Int = 64 << 20, compress: Bool = true, lz4Acceleration: Int = 1, resource: [UInt8] = [],
        scope: [UInt8] = [], identity: WriterIdentity = .current
    ) {
        self.maxSegmentBytes = min(max(maxSegmentBytes, 64 << 10), SpoolLimits.maxSegmentBytes)
        self.compress = compress
        self.lz4Acceleration = lz4Acceleration
        self.resource = resource
        self.scope = scope
        self.identity = identity
    }
}

/// Where `SegmentWriter.append` put a frame.
public struct FrameLocation: Sendable, Equatable {
    /// The segment's file name when the frame was written (it ends in `.open`; `.seg` after sealing).
    public var segment: SegmentName
    /// The file offset of the frame header.
    public var offset: Int
    /// The frame's bytes on disk, header included.
    public var length: Int
    /// The frame's sequence number.
    public var sequence: UInt64
}

/// Appends frames to segment files in a spool directory: creates them (mode 0600, `O_EXCL|O_NOFOLLOW|O_CLOEXEC`),
/// holds an exclusive `flock` on each for its whole life, rotates by size, syncs and seals them atomically.
///
/// Each frame is written with a single `pwrite` at the end of the segment, so a concurrent reader sees either
/// nothing of it or a prefix of it. A failed write is cut off again with `ftruncate` so the segment stays valid; when
/// even that fails, the segment is abandoned (left `.open`, lock released) and the next append starts a new one.
///
/// Not thread-safe: one writer belongs to one thread (the tracer's background writer).
public final class SegmentWriter {
    /// The directory written to.
    public let directory: SpoolDirectory
    /// The options in force.
    public let options: SegmentWriterOptions

    private var dirFD: Int32
    private var fd: Int32 = -1
    private var name: SegmentName?
    private var size = 0
    private var sequence: UInt64 = 0
    /// Records in the open segment's frames (its seal record's count).
    private var records: UInt64 = 0
    private var directoryEntryUnsynced = false
    private var dataUnsynced = false
    private let encoder: FrameEncoder
    private var closed = false
    private var rotated: [RotatedSegment] = []

    /// Frames written by this writer since it was created.
    public private(set) var framesWritten = 0
    /// Bytes written by this writer since it was created, headers included.
    public private(set) var bytesWritten = 0
    /// Segments this writer sealed.
    public private(set) var segmentsSealed = 0

    /// Opens a writer on `directory`. No file is created until the first `append`.
    ///
    /// - Throws: `SpoolError` when the directory cannot be opened or fails validation; `.tooLarge` when the resource
    ///   and scope do not fit in a segment header (`SpoolLimits.maxSegmentHeaderBytes`).
    public init(directory: SpoolDirectory, options: SegmentWriterOptions = SegmentWriterOptions()) throws(SpoolError) {
        let headerBytes =
            SegmentHeader.fixedSize + 12 + min(options.identity.host.utf8.count, SpoolLimits.maxHostNameBytes)
            + options.resource.count + options.scope.count
        guard headerBytes <= SpoolLimits.maxSegmentHeaderBytes else {
            throw .tooLarge(
                what: "segment header (resource + scope)", bytes: headerBytes, limit: SpoolLimits.maxSegmentHeaderBytes)
        }
        self.directory = directory
        self.options = options
        self.encoder = FrameEncoder(compress: options.compress, acceleration: options.lz4Acceleration)
        self.dirFD = try directory.openDescriptor()
    }

    deinit {
        if fd >= 0 { POSIX.closeQuietly(fd) }
        if dirFD >= 0 { POSIX.closeQuietly(dirFD) }
    }

    /// The path of the segment being written, if one is open.
    public var currentSegmentPath: String? { name.map { directory.path(of: $0.fileName) } }

    /// The size in bytes of the segment being written (0 when none is open).
    public var currentSegmentBytes: Int { fd >= 0 ? size : 0 }

    /// Whether frames were appended to the open segment since the last successful `sync` or `seal` (segments handed
    /// out by `takeRotatedSegments()` are their caller's to seal).
    package var hasUnsyncedData: Bool { dataUnsynced || directoryEntryUnsynced }

    /// Appends one frame holding `recordCount` records encoded in `payload` (see `RecordEncoding`).
    ///
    /// The frame is in the page cache when this returns; call `sync()` to make it durable.
    /// - Throws: `SpoolError.io` (the segment is left valid: the failed frame is cut off), `.tooLarge`, `.closed`,
    ///   or — when the append rotates and the full segment cannot be sealed — the error of `seal()`. With
    ///   `deferSealingOnRotation`, a rotated segment is kept for `takeRotatedSegments()` even when the append then
    ///   fails.
    @discardableResult
    public func append(payload: UnsafeRawBufferPointer, recordCount: Int) throws(SpoolError) -> FrameLocation {
        guard !closed else { throw .closed }
        let frame = try encoder.encode(payload: payload, recordCount: recordCount, sequence: sequence)
        if fd >= 0, sequence > 0, size + frame.count + SealRecord.maxFrameBytes > options.maxSegmentBytes {
            if !options.deferSealingOnRotation || !detachSegment() { try seal() }
            encoder.restampLastFrame(sequence: 0)  // the frame opens the next segment
        }
        if fd < 0 { try openSegment() }
        let offset = size
        let (done, failure) = POSIX.writeAll(fd, frame, at: offset)
        let path = currentSegmentPath ?? directory.path
        if failure != 0 {
            if done > 0, ftruncate(fd, off_t(offset)) != 0 { abandonSegment() }
            throw .io(operation: "write", path: path, errno: failure)
        }
        let location = FrameLocation(segment: name!, offset: offset, length: frame.count, sequence: sequence)
        size += frame.count
        sequence += 1
        records += UInt64(recordCount)
        dataUnsynced = true
        framesWritten += 1
        bytesWritten += frame.count
        return location
    }

    /// Appends one frame from an array payload. See `append(payload:recordCount:)`.
    @discardableResult
    public func append(payload: [UInt8], recordCount: Int) throws(SpoolError) -> FrameLocation {
        let result: Result<FrameLocation, SpoolError> = payload.withUnsafeBytes { raw in
            do throws(SpoolError) {
                return .success(try append(payload: raw, recordCount: recordCount))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Makes every appended frame durable: `fdatasync` of the segment and, once per new segment, `fsync` of the
    /// directory so the file's name survives a crash too.
    ///
    /// - Throws: `SpoolError.io`, or `.segmentVanished` when someone deleted the open segment (its frames are lost;
    ///   the next append starts a new segment).
    public func sync() throws(SpoolError) {
        guard fd >= 0 else { return }
        let path = currentSegmentPath ?? directory.path
        var st = stat()
        if fstat(fd, &st) == 0, st.st_nlink == 0 {
            abandonSegment()
            throw .segmentVanished(path: path)
        }
        if dataUnsynced {
            let e = POSIX.dataSync(fd)
            guard e == 0 else { throw .io(operation: "fdatasync", path: path, errno: e) }
            dataUnsynced = false
        }
        if directoryEntryUnsynced {
            let e = POSIX.fullSync(dirFD)
            guard e == 0 else { throw .io(operation: "fsync", path: directory.path, errno: e) }
            directoryEntryUnsynced = false
        }
    }

    /// The segments rotated away from since the last call, unsealed (only with `deferSealingOnRotation`), oldest
    /// first. The caller owns them: it must `seal()` each (on any thread) for its frames to become durable.
    package func takeRotatedSegments() -> [RotatedSegment] {
        defer { rotated = [] }
        return rotated
    }

    /// Moves the open segment, unsealed and still locked, to `rotated`. Returns false (leaving it open) when its
    /// directory descriptor cannot be duplicated, so that the caller seals it in place instead.
    private func detachSegment() -> Bool {
        guard let current = name else { return false }
        let directoryFD = fcntl(dirFD, F_DUPFD_CLOEXEC, 0)
        guard directoryFD >= 0 else { return false }
        rotated.append(
            RotatedSegment(
                name: current, directory: directory, sizeBytes: size, sealRecord: sealRecord, fileFD: fd,
                directoryFD: directoryFD))
        fd = -1  // now the rotated segment's
        abandonSegment()
        directoryEntryUnsynced = false  // the rotated segment's seal syncs the directory
        return true
    }

    /// The seal record of the open segment: its frames and records so far.
    private var sealRecord: SealRecord { SealRecord(frameCount: sequence, recordCount: records) }

    /// Seals the open segment, if any: append its seal frame (`Spool/FORMAT.md` §5.1), `fsync` it, rename `.open` to
    /// `.seg`, `fsync` the directory, release the lock. The next append starts a new segment.
    ///
    /// - Throws: `SpoolError.io` or `.segmentVanished`; the segment is then closed unsealed (readers salvage it).
    public func seal() throws(SpoolError) {
        guard fd >= 0, let current = name else { return }
        defer { abandonSegment() }
        try RotatedSegment.seal(
            fileFD: fd, directoryFD: dirFD, name: current, directory: directory, sizeBytes: size,
            sealRecord: sealRecord)
        dataUnsynced = false
        directoryEntryUnsynced = false
        segmentsSealed += 1
    }

    /// Seals the open segment and closes the writer. Idempotent; later appends throw `.closed`.
    public func close() throws(SpoolError) {
        guard !closed else { return }
        closed = true
        defer {
            if dirFD >= 0 { POSIX.closeQuietly(dirFD) }
            dirFD = -1
        }
        try seal()
    }

    private func abandonSegment() {
        if fd >= 0 { POSIX.closeQuietly(fd) }
        fd = -1
        name = nil
        size = 0
        sequence = 0
        records = 0
        dataUnsynced = false
    }

    private func openSegment() throws(SpoolError) {
        do throws(SpoolError) {
            try createSegment()
        } catch {
            // The directory may have been deleted or replaced: open it again by path (re-creating it) once.
            guard case .io(_, _, let e) = error, e == ENOENT || e == ESTALE else { throw error }
            let fresh = try SpoolDirectory(path: directory.path, access: directory.access).openDescriptor()
            POSIX.closeQuietly(dirFD)
            dirFD = fresh
            try createSegment()
        }
    }

    private func createSegment() throws(SpoolError) {
        var attempt = 0
        while true {
            do throws(SpoolError) {
                return try createSegmentOnce()
            } catch {
                // A name collision (same ns, host, pid and random value) is astronomically rare: pick a new name.
                guard case .io(_, _, let e) = error, e == EEXIST, attempt < 3 else { throw error }
                attempt += 1
            }
        }
    }

    private func createSegmentOnce() throws(SpoolError) {
        let created = SystemClock.unixNanos()
        let segment = SegmentName.make(createdUnixNanos: created, identity: options.identity)
        let temporary = segment.temporaryFileName
        let tmpPath = directory.path(of: temporary)
        let newFD = openat(
            dirFD, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
            mode_t(directory.segmentFileMode))
        guard newFD >= 0 else { throw .io(operation: "create", path: tmpPath, errno: errno) }
        func fail(_ op: String, _ e: Int32) -> SpoolError {
            unlinkat(dirFD, temporary, 0)
            POSIX.closeQuietly(newFD)
            return .io(operation: op, path: tmpPath, errno: e)
        }
        let lockResult = POSIX.lock(newFD, LOCK_EX | LOCK_NB)
        guard lockResult == 0 else { throw fail("flock", lockResult) }
        let header = SegmentHeader(
            segmentID: UInt64.random(in: .min ... .max), createdUnixNanos: created, writer: options.identity,
            resource: options.resource, scope: options.scope, flags: .sealRecord
        ).encoded()
        let written = header.withUnsafeBytes { POSIX.writeAll(newFD, $0) }
        guard written.errno == 0 else { throw fail("write", written.errno) }
        // Never replace an existing segment of the same name (RENAME_NOREPLACE where the system has it).
        let renamed = tracespool_rename_noreplace(dirFD, temporary, segment.fileName) == 0
        guard renamed else { throw fail("rename", errno) }
        fd = newFD
        name = segment
        size = header.count
        sequence = 0
        records = 0
        directoryEntryUnsynced = true
        dataUnsynced = true
    }
}
