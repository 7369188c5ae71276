#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small EINTR-safe wrappers over the system calls the spool uses.
enum POSIX {
    /// Writes all of `bytes` at the current offset; returns the number written before an error, and the errno.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> (written: Int, errno: Int32) {
        var done = 0
        while done < bytes.count {
            let n = write(fd, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                return (done, errno)
            }
            if n == 0 { return (done, EIO) }
            done += n
        }
        return (done, 0)
    }

    /// Reads up to `buffer.count` bytes at `offset`, retrying short reads; returns the count read (short at EOF).
    static func preadFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<
        Int, POSIXErrno
    > {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(POSIXErrno(code: errno))
            }
            if n == 0 { break }
            done += n
        }
        return .success(done)
    }

    /// `fdatasync` (or `fsync` where the system has no fdatasync), retried on EINTR.
    static func dataSync(_ fd: Int32) -> Int32 {
        while true {
            #if os(Linux)
                let r = fdatasync(fd)
            #else
                let r = fsync(fd)
            #endif
            if r == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    /// `fsync`, retried on EINTR.
    static func fullSync(_ fd: Int32) -> Int32 {
        while true {
            if fsync(fd) == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    /// `flock`, retried on EINTR; returns 0 or errno.
    static func lock(_ fd: Int32, _ op: Int32) -> Int32 {
        while true {
            if flock(fd, op) == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    /// The size of the open file, or nil.
    static func fileSize(_ fd: Int32) -> Int? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// Closes `fd`, ignoring EINTR (Linux closes the descriptor anyway).
    static func closeQuietly(_ fd: Int32) {
        _ = close(fd)
    }
}

/// An errno value as an `Error`.
struct POSIXErrno: Error {
    var code: Int32
}
