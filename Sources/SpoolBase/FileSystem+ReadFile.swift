#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension FileSystem {
    /// The whole content of the regular file at `path` (a symbolic link at its end is followed), read in one pass.
    ///
    /// - Throws: `SystemCallError` naming the failed call (`open` — ENOENT when nothing is there —, `fstat`, `read`).
    package static func readFile(_ path: String) throws(SystemCallError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError(operation: "open", path: path, errno: errno) }
        defer { POSIX.closeQuietly(fd) }
        guard let size = POSIX.fileSize(fd) else { throw SystemCallError(operation: "fstat", path: path, errno: errno) }
        var bytes: [UInt8] = []
        var capacity = max(size, 4096)
        while true {
            var buffer = [UInt8](repeating: 0, count: capacity)
            let result = buffer.withUnsafeMutableBytes { POSIX.preadFully(fd, $0, at: bytes.count) }
            switch result {
            case .failure(let e): throw SystemCallError(operation: "read", path: path, errno: e.code)
            case .success(let n):
                bytes.append(contentsOf: buffer[0..<n])
                if n < capacity { return bytes }
            }
            capacity = 65_536
        }
    }
}
