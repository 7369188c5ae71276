import SpoolBase
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A full segment that a `SegmentWriter` rotated away from without sealing it
/// (`SegmentWriterOptions.deferSealingOnRotation`): still named `.open` and still locked, so readers treat it as
/// being written, until `seal()` makes it durable and renames it `.seg`.
///
/// Sealing takes two `fsync`s (the file and the directory), milliseconds or more on a real disk; a rotated segment
/// lets the writer go on appending to the next segment meanwhile and leaves the waiting to another thread.
/// Dropping a rotated segment without sealing it closes it unsealed: readers salvage it like one whose writer died.
package final class RotatedSegment: Sendable {
    /// The segment's file name while it is being written (it ends in `.open`).
    package let name: SegmentName
    /// The directory it is in.
    package let directory: SpoolDirectory
    /// Bytes in the segment, header included (the seal frame goes here).
    package let sizeBytes: Int
    /// The seal record the seal frame carries: the segment's frame and record counts.
    package let sealRecord: SealRecord
    /// The segment's descriptor and a descriptor of its directory (-1 once sealed or closed unsealed), and the
    /// error of a failed seal.
    private let state: Mutex<(file: Int32, directory: Int32, failure: SpoolError?)>

    init(
        name: SegmentName, directory: SpoolDirectory, sizeBytes: Int, sealRecord: SealRecord, fileFD: Int32,
        directoryFD: Int32
    ) {
        self.name = name
        self.directory = directory
        self.sizeBytes = sizeBytes
        self.sealRecord = sealRecord
        self.state = Mutex((fileFD, directoryFD, nil))
    }

    deinit {
        state.withLock { closeAll(&$0) }
    }

    /// The segment's path while it is being written (`.open`).
    package var path: String { directory.path(of: name.fileName) }

    /// Seals the segment: append the seal frame, `fsync` it, rename `.open` to `.seg`, `fsync` the directory, release
    /// the lock. Safe from
    /// any thread; only the first call does the work, later ones return or throw as it did.
    ///
    /// - Throws: `SpoolError.io` or `.segmentVanished` (someone deleted it); the segment is then closed unsealed and
    ///   its frames since the writer's last `sync` may be lost (readers salvage what is on disk).
    package func seal() throws(SpoolError) {
        try state.withLock { (s) throws(SpoolError) in
            if let failure = s.failure { throw failure }
            guard s.file >= 0 else { return }
            defer { closeAll(&s) }
            do throws(SpoolError) {
                try Self.seal(
                    fileFD: s.file, directoryFD: s.directory, name: name, directory: directory, sizeBytes: sizeBytes,
                    sealRecord: sealRecord)
            } catch {
                s.failure = error
                throw error
            }
        }
    }

    private func closeAll(_ s: inout (file: Int32, directory: Int32, failure: SpoolError?)) {
        if s.file >= 0 { POSIX.closeQuietly(s.file) }
        if s.directory >= 0 { POSIX.closeQuietly(s.directory) }
        s.file = -1
        s.directory = -1
    }

    /// The sealing steps, shared with `SegmentWriter.seal()`: append the seal frame of `sealRecord` at `sizeBytes`
    /// (`Spool/FORMAT.md` §5.1), `fsync` the file, rename it to `.seg`, `fsync` the directory. Closes nothing.
    ///
    /// - Throws: `.segmentVanished`, or `SpoolError.io` of the first step that failed; a seal frame that could not be
    ///   written whole is cut off again, so the segment, left `.open`, ends at its last data frame.
    static func seal(
        fileFD: Int32, directoryFD: Int32, name: SegmentName, directory: SpoolDirectory, sizeBytes: Int,
        sealRecord: SealRecord
    ) throws(SpoolError) {
        let openPath = directory.path(of: name.fileName)
        var st = stat()
        if fstat(fileFD, &st) == 0, st.st_nlink == 0 { throw .segmentVanished(path: openPath) }
        let frame = sealRecord.frameBytes
        let (done, failure) = frame.withUnsafeBytes { POSIX.writeAll(fileFD, $0, at: sizeBytes) }
        if failure != 0 {
            if done > 0 { _ = ftruncate(fileFD, off_t(sizeBytes)) }
            throw .io(operation: "write", path: openPath, errno: failure)
        }
        var e = POSIX.fullSync(fileFD)
        guard e == 0 else { throw .io(operation: "fsync", path: openPath, errno: e) }
        let sealed = name.with(state: .sealed)
        guard renameat(directoryFD, name.fileName, directoryFD, sealed.fileName) == 0 else {
            throw .io(operation: "rename", path: openPath, errno: errno)
        }
        e = POSIX.fullSync(directoryFD)
        guard e == 0 else { throw .io(operation: "fsync", path: directory.path, errno: e) }
    }
}
