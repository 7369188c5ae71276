import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lease on one segment: a `flock(LOCK_EX|LOCK_NB)` on its lease file `<base>.lease`
/// (`SegmentName.leaseFileName`) in the spool directory, held while an uploader sends that segment so that two
/// uploaders (processes or tasks) never send it at the same time. Other tools probe it with `isHeld(path:)`.
///
/// The kernel releases the lock when the holder dies, so a crashed uploader never blocks the segment.
public final class SegmentLease: Sendable {
    /// The lease file.
    package let path: String
    private let fd: Int32

    private init(path: String, fd: Int32) {
        self.path = path
        self.fd = fd
    }

    /// Takes the lease file at `path` without waiting, creating it (mode 0600, symbolic links not followed).
    ///
    /// - Returns: nil when another holder has it.
    /// - Throws: `SpoolError.io` when the lease file cannot be opened or locked.
    package static func acquire(path: String) throws(SpoolError) -> SegmentLease? {
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

    /// Whether someone holds the lease file at `path` right now: false when it is missing or not a regular file.
    /// Probes with the same non-blocking shared lock as `SpoolDirectory.writerHoldsLock(_:)`, released at once, so
    /// probing never disturbs an uploader.
    public static func isHeld(path: String) -> Bool {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        return SpoolDirectory.lockIsHeld(path)
    }

    /// Removes the lease file while still holding the lock (after the segment is gone), so nothing is left behind.
    package func removeFile() { unlink(path) }

    deinit { POSIX.closeQuietly(fd) }
}
