#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// EINTR-safe wrappers over the descriptor-level system calls the package uses. Each retries a call interrupted by a
/// signal and reports any other failure as its `errno` value; none of them throws or traps.
package enum POSIX {
    /// Writes all of `bytes` at the descriptor's current offset (`write`), or at file offset `offset` when one is
    /// given (`pwrite`, the descriptor's offset unchanged), retrying short writes and EINTR.
    ///
    /// - Returns: the bytes written before a failure (all of them on success) and the failure's errno (0 on success;
    ///   EIO when a call writes nothing, which would otherwise never finish).
    package static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int? = nil) -> (
        written: Int, errno: Int32
    ) {
        var done = 0
        while done < bytes.count {
            let start = bytes.baseAddress! + done
            let remaining = bytes.count - done
            let n = offset.map { pwrite(fd, start, remaining, off_t($0 + done)) } ?? write(fd, start, remaining)
            if n < 0 {
                if errno == EINTR { continue }
                return (done, errno)
            }
            if n == 0 { return (done, EIO) }
            done += n
        }
        return (done, 0)
    }

    /// Writes all of `bytes` at the descriptor's current offset; see `writeAll(_:_:at:)`.
    ///
    /// - Returns: 0 on success, else the errno of the failed `write`.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { writeAll(fd, $0).errno }
    }

    /// Reads up to `buffer.count` bytes at file offset `offset`, retrying short reads and EINTR.
    ///
    /// - Returns: the number of bytes read (fewer than `buffer.count` only at the end of the file), or the errno of
    ///   the failed `pread`.
    package static func preadFully(_ fd: Int32, _ buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Result<
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

    /// `fdatasync` (`fsync` where the system has no `fdatasync`), retried on EINTR.
    ///
    /// - Returns: 0 on success, else the errno.
    package static func dataSync(_ fd: Int32) -> Int32 {
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

    /// `fsync` (file data and metadata, or a directory's entries), retried on EINTR.
    ///
    /// - Returns: 0 on success, else the errno.
    package static func fullSync(_ fd: Int32) -> Int32 {
        while true {
            if fsync(fd) == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    /// `flock(fd, operation)` (`LOCK_EX`, `LOCK_SH`, `LOCK_UN`, optionally with `LOCK_NB`), retried on EINTR.
    ///
    /// - Returns: 0 on success, else the errno (`EWOULDBLOCK` when a non-blocking lock is held by another
    ///   descriptor).
    package static func lock(_ fd: Int32, _ operation: Int32) -> Int32 {
        while true {
            if flock(fd, operation) == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    /// The size in bytes of the open file, or nil when `fstat` fails.
    package static func fileSize(_ fd: Int32) -> Int? {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        return Int(st.st_size)
    }

    /// Sets the permission bits of the open file `fd` to `mode` (`fchmod`), retried on EINTR.
    ///
    /// - Returns: 0 on success, else the errno (EPERM when this process does not own the file).
    package static func changeMode(_ fd: Int32, _ mode: UInt32) -> Int32 {
        while true {
            if fchmod(fd, mode_t(mode)) == 0 { return 0 }
            if errno != EINTR { return errno }
        }
    }

    /// This process's effective user id (`geteuid`).
    package static var effectiveUserID: UInt32 { UInt32(geteuid()) }

    /// The group id of `name`, a group name or a decimal group id (the value of `TRACESPOOL_SPOOL_GROUP` and
    /// `--spool-group`); nil when no such group exists.
    package static func groupID(named name: String) -> UInt32? {
        if let id = UInt32(name) { return id }
        guard !name.isEmpty else { return nil }
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let rc = getgrnam_r(name, &entry, &buffer, buffer.count, &result)
        guard rc == 0, result != nil else { return nil }
        return UInt32(entry.gr_gid)
    }

    /// The user name of `uid` (`getpwuid_r`), or the uid in decimal when it has none.
    package static func userName(of uid: UInt32) -> String {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let rc = getpwuid_r(uid_t(uid), &entry, &buffer, buffer.count, &result)
        guard rc == 0, result != nil, let name = entry.pw_name else { return "\(uid)" }
        return String(cString: name)
    }

    /// Closes `fd`, ignoring errors: EINTR too, since Linux closes the descriptor anyway and a retry could close
    /// another thread's new descriptor.
    package static func closeQuietly(_ fd: Int32) {
        _ = close(fd)
    }

    /// The system's text for an errno value (`strerror`), e.g. `No such file or directory`; `errno N` when the
    /// system has none.
    package static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
