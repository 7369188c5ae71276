import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SpanStore {
    /// The default store for a spool directory: `tracespool.sqlite` in the spool directory's parent
    /// (`/var/spool/app/traces` → `/var/spool/app/tracespool.sqlite`), so it lives on the same volume but outside the
    /// directory the spool library scans.
    package static func defaultPath(forSpool spool: String) -> String {
        FileSystem.join(FileSystem.split(FileSystem.trimmingTrailingSlashes(spool)).directory, "tracespool.sqlite")
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
