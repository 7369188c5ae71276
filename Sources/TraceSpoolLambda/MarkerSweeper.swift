import SpoolBase
import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Removes invocation markers a minute old or older from the spool directory: markers of invocations the extension
/// did not act on (periodic strategy, an invocation that timed out, an earlier environment on the same `/tmp`).
package enum MarkerSweeper {
    /// How old a marker must be before it is removed, seconds.
    package static let maxAgeSeconds = 60

    /// Removes the old markers in `directory`.
    ///
    /// - Returns: how many were removed.
    @discardableResult
    package static func sweep(_ directory: String, nowUnixSeconds: Int = Int(time(nil))) -> Int {
        guard let dir = opendir(directory) else { return 0 }
        defer { closedir(dir) }
        var removed = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard InvocationMarker.requestID(fromFileName: name) != nil else { continue }
            let path = FileSystem.join(directory, name)
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            #if canImport(Darwin)
                let modified = Int(st.st_mtimespec.tv_sec)
            #else
                let modified = Int(st.st_mtim.tv_sec)
            #endif
            if nowUnixSeconds - modified >= maxAgeSeconds, unlink(path) == 0 { removed += 1 }
        }
        return removed
    }
}
