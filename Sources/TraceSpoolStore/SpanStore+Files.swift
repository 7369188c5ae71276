import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SpanStore {
    /// The name of the directory that holds the default store: `tracespool-store-<euid>`. A store whose directory
    /// has this name is kept private: the directory is created with mode 0700 when missing and refused when it is a
    /// symbolic link, belongs to another user or grants any permission to group or others
    /// (`checkPrivateDirectory(_:)`).
    package static var privateDirectoryName: String { "tracespool-store-\(POSIX.effectiveUserID)" }

    /// The suffixes of the files SQLite keeps beside a database: the write-ahead log, its shared-memory index and the
    /// rollback journal.
    package static let companionSuffixes = ["-wal", "-shm", "-journal"]

    /// The default store for a spool directory: `tracespool.sqlite` in the private directory
    /// `tracespool-store-<euid>` beside the spool directory (`/var/spool/app/traces` →
    /// `/var/spool/app/tracespool-store-1000/tracespool.sqlite`), so it lives on the same volume, outside the
    /// directory the spool library scans, and in a directory no other user can enter, even when the spool's parent is
    /// a shared directory such as `/tmp`.
    package static func defaultPath(forSpool spool: String) -> String {
        let parent = FileSystem.split(FileSystem.trimmingTrailingSlashes(spool)).directory
        return FileSystem.join(FileSystem.join(parent, privateDirectoryName), "tracespool.sqlite")
    }

    /// Whether `path` is a SQLite store rather than a spool: a regular file whose name ends in `.sqlite` or `.db`, or
    /// that starts with the SQLite header `SQLite format 3\0`. Never modifies anything; false when unreadable.
    package static func isStore(path: String) -> Bool {
        guard isRegularFile(path) else { return false }
        if path.hasSuffix(".sqlite") || path.hasSuffix(".db") { return true }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { POSIX.closeQuietly(fd) }
        var header = [UInt8](repeating: 0, count: 16)
        let read = header.withUnsafeMutableBytes { POSIX.preadFully(fd, $0, at: 0) }
        return (try? read.get()) == 16 && header == Array("SQLite format 3\0".utf8)
    }

    /// Whether `path` names a regular file (following symbolic links).
    static func isRegularFile(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }
}
