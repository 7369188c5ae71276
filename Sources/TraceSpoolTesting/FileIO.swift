import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The EINTR-safe system calls the segment files of `SegmentBuilder` and `LiveSegment` need.
enum FileIO {
    /// Writes all of `bytes` to `fd`.
    ///
    /// - Throws: `SpoolError.io` naming `path` when a write fails or writes nothing.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(SpoolError) {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, $0.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            if n == 0 { throw .io(operation: "write", path: path, errno: EIO) }
            done += n
        }
    }

    /// `flock(fd, operation)`, retried on EINTR; returns 0 or the errno.
    static func lock(_ fd: Int32, _ operation: Int32) -> Int32 {
        while true {
            if flock(fd, operation) == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }
}
