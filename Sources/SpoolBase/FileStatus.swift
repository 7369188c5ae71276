#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `lstat` or `fstat` says about a file: its type, owner, group and permission bits. The permission checks of
/// spool directories, segments and SQLite stores read these fields.
package struct FileStatus: Sendable, Equatable {
    /// The kind of file.
    package enum Kind: Sendable, Equatable {
        /// A regular file.
        case regular
        /// A directory.
        case directory
        /// A symbolic link (only `lstat` reports one).
        case symbolicLink
        /// Anything else: a device, a FIFO, a socket.
        case other
    }

    /// The kind of file.
    package var kind: Kind
    /// The owner's user id.
    package var uid: UInt32
    /// The group id.
    package var gid: UInt32
    /// The permission bits with set-user-id, set-group-id and sticky (`st_mode & 0o7777`).
    package var permissions: UInt32
    /// The size in bytes.
    package var size: Int

    /// Whether users other than the owner have any permission on it (`0o077`).
    package var isAccessibleByOthers: Bool { permissions & 0o077 != 0 }

    /// The status of `path` without following a symbolic link at its end (`lstat`).
    ///
    /// - Returns: the status, or the errno of the failed `lstat` (ENOENT when nothing is there).
    package static func of(path: String) -> Result<FileStatus, POSIXErrno> {
        var st = stat()
        guard lstat(path, &st) == 0 else { return .failure(POSIXErrno(code: errno)) }
        return .success(FileStatus(st))
    }

    /// The status of the open file `fd` (`fstat`).
    ///
    /// - Returns: the status, or the errno of the failed `fstat`.
    package static func of(descriptor fd: Int32) -> Result<FileStatus, POSIXErrno> {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(POSIXErrno(code: errno)) }
        return .success(FileStatus(st))
    }

    /// The fields of a `stat` result.
    init(_ st: stat) {
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFLNK: kind = .symbolicLink
        default: kind = .other
        }
        uid = UInt32(st.st_uid)
        gid = UInt32(st.st_gid)
        permissions = UInt32(st.st_mode) & 0o7777
        size = Int(st.st_size)
    }
}
