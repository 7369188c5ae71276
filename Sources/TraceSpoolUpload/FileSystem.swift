#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Small EINTR-safe file helpers for the uploader's own files (checkpoints, leases, dead letters).
enum FileSystem {
    /// Writes `bytes` to `path` durably and atomically: a hidden temporary file in the same directory, `fsync`, then
    /// `rename` over `path` and `fsync` of the directory.
    ///
    /// - Throws: `UploadError.io` naming the failed operation; the temporary file is removed on failure.
    static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws(UploadError) {
        let (directory, name) = split(path)
        let tmp = directory + "/." + name + ".tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(operation: "open", path: tmp, errno: errno) }
        var failure: UploadError?
        if let e = writeAll(fd, bytes) {
            failure = .io(operation: "write", path: tmp, errno: e)
        } else if fsync(fd) != 0 {
            failure = .io(operation: "fsync", path: tmp, errno: errno)
        }
        close(fd)
        if let failure {
            unlink(tmp)
            throw failure
        }
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw .io(operation: "rename", path: path, errno: e)
        }
        try syncDirectory(directory)
    }

    /// `fsync`s a directory so renames and unlinks in it are durable.
    static func syncDirectory(_ directory: String) throws(UploadError) {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw .io(operation: "open", path: directory, errno: errno) }
        defer { close(dfd) }
        guard fsync(dfd) == 0 else { throw .io(operation: "fsync", path: directory, errno: errno) }
    }

    /// Writes all bytes; returns the errno of a failure, nil on success.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                done += n
            }
            return nil
        }
    }

    /// Whether a regular file (or anything) exists at `path` without following symbolic links.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Makes a directory with `mode` unless it exists.
    static func makeDirectory(_ path: String, mode: mode_t = 0o700) throws(UploadError) {
        if mkdir(path, mode) != 0, errno != EEXIST { throw .io(operation: "mkdir", path: path, errno: errno) }
    }

    /// Splits a path into directory and last component.
    static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let dir = String(path[..<slash])
        return (dir.isEmpty ? "/" : dir, String(path[path.index(after: slash)...]))
    }

    /// The file names in a directory (without `.` and `..`); empty when it cannot be read.
    static func listDirectory(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// A readable description of an errno value.
    static func describe(errno code: Int32) -> String {
        guard let s = strerror(code) else { return "errno \(code)" }
        return String(cString: s)
    }
}
