#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Path-level file helpers: existence, directories, listing, and the durable atomic replacement of a small file.
/// System calls are retried on EINTR; failures throw `SystemCallError` naming the call and the path.
package enum FileSystem {
    /// The directory for temporary files: `$TMPDIR` without trailing slashes, `/tmp` when it is unset or empty.
    package static var temporaryDirectory: String {
        let directory = ProcessEnvironment.value("TMPDIR") ?? ""
        return directory.isEmpty ? "/tmp" : trimmingTrailingSlashes(directory)
    }

    /// `path` without trailing slashes; `/` (or only slashes) stays `/`.
    package static func trimmingTrailingSlashes(_ path: String) -> String {
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }

    /// The path of `name` in the directory `directory`: `directory/name`, or `/name` in the root.
    package static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }

    /// Whether anything exists at `path`, without following a symbolic link at its end (`lstat`).
    package static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// Makes the directory `path` with `mode` unless something already exists there.
    ///
    /// - Throws: `SystemCallError` (`mkdir`) for any failure but EEXIST.
    package static func makeDirectory(_ path: String, mode: UInt32 = 0o700) throws(SystemCallError) {
        if mkdir(path, mode_t(mode)) != 0, errno != EEXIST {
            throw SystemCallError(operation: "mkdir", path: path, errno: errno)
        }
    }

    /// Makes the directory `path` and its missing parents (`mkdir -p`): the last component with `mode`, parents with
    /// `parentMode`. Existing components are left as they are.
    ///
    /// - Throws: `SystemCallError` (`mkdir`) naming the component that could not be made.
    package static func makeDirectories(_ path: String, mode: UInt32 = 0o700, parentMode: UInt32 = 0o755)
        throws(SystemCallError)
    {
        var prefix = path.hasPrefix("/") ? "/" : ""
        let components = path.split(separator: "/")
        for (i, component) in components.enumerated() {
            prefix += component
            try makeDirectory(prefix, mode: i == components.count - 1 ? mode : parentMode)
            prefix += "/"
        }
    }

    /// Splits a path into its directory and its last component: `a/b/c` → (`a/b`, `c`), `/c` → (`/`, `c`),
    /// `c` → (`.`, `c`).
    package static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// The names in the directory `path`, without `.` and `..`, in the order the system lists them.
    ///
    /// - Throws: `SystemCallError` (`opendir`) when the directory cannot be opened.
    package static func listDirectory(_ path: String) throws(SystemCallError) -> [String] {
        guard let directory = opendir(path) else {
            throw SystemCallError(operation: "opendir", path: path, errno: errno)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// `fsync`s the directory `path`, so that the creations, renames and removals of its entries survive a crash.
    ///
    /// - Throws: `SystemCallError` (`open` or `fsync`).
    package static func syncDirectory(_ path: String) throws(SystemCallError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemCallError(operation: "open", path: path, errno: errno) }
        defer { POSIX.closeQuietly(fd) }
        let e = POSIX.fullSync(fd)
        guard e == 0 else { throw SystemCallError(operation: "fsync", path: path, errno: e) }
    }

    /// The start of the names of the temporary files `writeAtomically` creates for a file named `name`:
    /// `.<name>.tmp-` (followed by the writer's pid, `-` and a random decimal number).
    package static func temporaryFilePrefix(for name: String) -> String { "." + name + ".tmp-" }

    /// Replaces the file at `path` with `bytes`, durably and atomically: writes a hidden temporary file in the same
    /// directory (`temporaryFilePrefix(for:)`, created with `mode`, symbolic links not followed), `fsync`s it,
    /// `rename`s it over `path` and `fsync`s the directory. Readers see the old content or the new one, never a
    /// mixture, and after a crash the file holds one of the two.
    ///
    /// - Throws: `SystemCallError` naming the failed call (`open`, `write`, `fsync`, `rename`); the temporary file is
    ///   then removed and the old file is intact. A failure of the final directory `fsync` leaves the new content in
    ///   place but perhaps not yet durable.
    package static func writeAtomically(_ bytes: [UInt8], to path: String, mode: UInt32 = 0o600)
        throws(SystemCallError)
    {
        let (directory, name) = split(path)
        let temporary = join(
            directory, temporaryFilePrefix(for: name) + "\(getpid())-\(UInt32.random(in: 0 ... .max))")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode_t(mode))
        guard fd >= 0 else { throw SystemCallError(operation: "open", path: temporary, errno: errno) }
        var failure: SystemCallError?
        var e = POSIX.writeAll(fd, bytes)
        if e != 0 {
            failure = SystemCallError(operation: "write", path: temporary, errno: e)
        } else {
            e = POSIX.fullSync(fd)
            if e != 0 { failure = SystemCallError(operation: "fsync", path: temporary, errno: e) }
        }
        POSIX.closeQuietly(fd)
        if let failure {
            unlink(temporary)
            throw failure
        }
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw SystemCallError(operation: "rename", path: path, errno: e)
        }
        try syncDirectory(directory)
    }
}
