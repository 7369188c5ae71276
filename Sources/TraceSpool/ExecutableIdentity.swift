import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which executable ran: its path and its GNU build id, or, when it has none, a fingerprint of its bytes.
///
/// Read once per process by `RunSnapshot` (`process.executable.path`, `process.executable.build_id.gnu`,
/// `tracespool.snapshot.executable.fingerprint`). Reading never throws: what could not be read is nil and `error`
/// says why.
struct ExecutableIdentity: Sendable, Equatable {
    /// The executable's absolute path (the target of `/proc/self/exe`); nil when it could not be read.
    var path: String?
    /// The GNU build id as lower-case hex (the `NT_GNU_BUILD_ID` note the linker writes with `--build-id`, which
    /// the Swift toolchain passes on Linux); nil when the file has none or is not ELF.
    var gnuBuildID: String?
    /// The fallback identity when there is no build id: `fnv1a64:<16 hex digits>-<size>`, the 64-bit FNV-1a hash of
    /// the first and last 4 KiB of the file followed by its size in bytes. It changes whenever the file's size or
    /// its ends change (headers, symbol tables, the linker's trailing sections) but, unlike a build id, two builds
    /// that differ only in their middle can share it. Nil when a build id was found or the file could not be read.
    var fingerprint: String?
    /// Why something could not be read (the file could not be opened, is not ELF, is malformed), or nil.
    var error: String?

    /// Creates an identity from its parts.
    init(path: String? = nil, gnuBuildID: String? = nil, fingerprint: String? = nil, error: String? = nil) {
        self.path = path
        self.gnuBuildID = gnuBuildID
        self.fingerprint = fingerprint
        self.error = error
    }

    /// The identity of the running executable: `/proc/self/exe` is read (it stays readable when the file on disk
    /// was replaced or deleted). Outside Linux, `error` says the path is unknown.
    static func current() -> ExecutableIdentity {
        #if os(Linux)
            var identity = read(fileAt: "/proc/self/exe")
            identity.path = resolvedLink("/proc/self/exe")
            return identity
        #else
            return ExecutableIdentity(
                error: "the executable's path is read from /proc/self/exe, which this system lacks")
        #endif
    }

    /// The identity of the file at `path` (`path` recorded as given).
    static func read(fileAt path: String) -> ExecutableIdentity {
        var identity = ExecutableIdentity(path: path)
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            identity.error = "open \(path): \(POSIX.describe(errno: errno))"
            return identity
        }
        defer { POSIX.closeQuietly(fd) }
        let read = { (offset: Int, count: Int) -> [UInt8]? in
            guard count >= 0 else { return nil }
            var bytes = [UInt8](repeating: 0, count: count)
            let result = bytes.withUnsafeMutableBytes { POSIX.preadFully(fd, $0, at: offset) }
            guard case .success(let n) = result, n == count else { return nil }
            return bytes
        }
        do {
            if let id = try gnuBuildID(read) {
                identity.gnuBuildID = Hex.string(of: id)
                return identity
            }
        } catch {
            identity.error = error.description
        }
        identity.fingerprint = fingerprint(fd, read)
        return identity
    }

    /// `fnv1a64:<hash>-<size>` over the first and last 4 KiB (the whole file when smaller than 8 KiB) and the size.
    static func fingerprint(_ fd: Int32, _ read: (Int, Int) -> [UInt8]?) -> String? {
        guard let size = POSIX.fileSize(fd) else { return nil }
        let edge = 4096
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ bytes: [UInt8]) {
            for byte in bytes {
                hash ^= UInt64(byte)
                hash = hash &* 0x0000_0100_0000_01B3
            }
        }
        if size <= 2 * edge {
            guard let all = read(0, size) else { return nil }
            mix(all)
        } else {
            guard let head = read(0, edge), let tail = read(size - edge, edge) else { return nil }
            mix(head)
            mix(tail)
        }
        return "fnv1a64:\(Hex.string(hash))-\(size)"
    }

    /// The target of the symbolic link at `path`, or nil.
    static func resolvedLink(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let n = readlink(path, &buffer, 4096)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Why an executable's build id could not be read.
enum ExecutableIdentityError: Error, CustomStringConvertible, Equatable {
    /// The file does not start with the ELF magic number (a script, a Mach-O file, garbage).
    case notELF
    /// A header or a note lies beyond the end of the file or has an impossible size.
    case malformed(String)

    var description: String {
        switch self {
        case .notELF: "not an ELF file; identified by its fingerprint"
        case .malformed(let what): "malformed ELF file (\(what)); identified by its fingerprint"
        }
    }
}
