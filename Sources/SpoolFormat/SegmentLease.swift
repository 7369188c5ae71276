import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lease on one segment: a `flock(LOCK_EX|LOCK_NB)` on `<base>.lease` in the spool directory, held
/// while an uploader sends that segment so two uploaders (processes or tasks) never send it at the same time.
///
/// The kernel releases the lock when the holder dies, so a crashed uploader never blocks the segment.
public final class SegmentLease: Sendable {
    /// The lease file.
    public let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lease without waiting.
    ///
    /// - Returns: nil when another holder has it.
    /// - Throws: `UploadError.io` when the lease file cannot be created.
    public static func acquire(path: String) throws(UploadError) -> SegmentLease? {
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        let e = POSIX.lock(fd, LOCK_EX | LOCK_NB)
        if e != 0 {
            POSIX.closeQuietly(fd)
            if e == EWOULDBLOCK { return nil }
            throw .io(operation: "flock", path: path, errno: e)
        }
        return SegmentLease(path: path, fd: fd)
    }

    /// Removes the lease file while still holding the lock (after the segment is gone), so nothing is left behind.
    public func removeFile() { unlink(path) }

    deinit { close(fd) }
}
