import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A validated spool directory: a real directory (not a symbolic link) owned by this process's user.
///
/// Creating one makes the directory (and missing parents) with mode 0700 when it does not exist. Listing it never
/// modifies anything and is safe beside live writers and uploaders.
public struct SpoolDirectory: Sendable, Hashable {
    /// The directory path as given, without trailing slashes.
    public let path: String

    /// Opens, and optionally creates, a spool directory.
    ///
    /// - Parameters:
    ///   - path: the directory.
    ///   - create: make the directory (mode 0700) and its parents when missing.
    /// - Throws: `SpoolError.directoryIsSymlink`, `.directoryNotOwned`, `.notADirectory`, or `.io` (e.g. ENOENT when
    ///   `create` is false and the directory is missing, EACCES, EROFS).
    public init(path: String, create: Bool = true) throws(SpoolError) {
        let trimmed = FileSystem.trimmingTrailingSlashes(path)
        self.path = trimmed
        var st = stat()
        if lstat(trimmed, &st) != 0 {
            let e = errno
            guard e == ENOENT, create else { throw .io(operation: "stat", path: trimmed, errno: e) }
            do throws(SystemCallError) {
                try FileSystem.makeDirectories(trimmed, mode: 0o700, parentMode: 0o755)
            } catch {
                throw SpoolError(error)
            }
            guard lstat(trimmed, &st) == 0 else { throw .io(operation: "stat", path: trimmed, errno: errno) }
        }
        try Self.validate(st, path: trimmed)
    }

    static func validate(_ st: stat, path: String) throws(SpoolError) {
        if (st.st_mode & S_IFMT) == S_IFLNK { throw .directoryIsSymlink(path: path) }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { throw .notADirectory(path: path) }
        guard st.st_uid == geteuid() else {
            throw .directoryNotOwned(path: path, owner: UInt32(st.st_uid), expected: UInt32(geteuid()))
        }
    }

    /// Opens the directory itself (`O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC`) and checks it is still the validated one.
    func openDescriptor() throws(SpoolError) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw .directoryIsSymlink(path: path) }
            throw .io(operation: "open", path: path, errno: e)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            POSIX.closeQuietly(fd)
            throw .io(operation: "stat", path: path, errno: e)
        }
        do throws(SpoolError) {
            try Self.validate(st, path: path)
        } catch {
            POSIX.closeQuietly(fd)
            throw error
        }
        return fd
    }

    /// The full path of a file in this directory.
    public func path(of fileName: String) -> String { FileSystem.join(path, fileName) }

    /// The segments in the directory, oldest first, with size and state (for open ones: whether their writer still
    /// holds its lock). Files that are not segments are ignored; a segment deleted while listing is left out.
    ///
    /// - Throws: `SpoolError.io` when the directory cannot be read.
    public func segments() throws(SpoolError) -> [SegmentInfo] {
        let fileNames: [String]
        do throws(SystemCallError) {
            fileNames = try FileSystem.listDirectory(path)
        } catch {
            throw SpoolError(error)
        }
        let names = fileNames.compactMap(SegmentName.init(fileName:)).sorted()
        var result: [SegmentInfo] = []
        for name in names {
            let full = path(of: name.fileName)
            var st = stat()
            guard lstat(full, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            let state = SegmentState(probing: full, isOpen: name.state == .open)
            result.append(SegmentInfo(name: name, path: full, sizeBytes: Int(st.st_size), state: state))
        }
        return result
    }

    /// Whether a writer process holds the advisory lock of the segment at `path` (it does for the segment's whole
    /// life). Probes with a non-blocking shared `flock` that is released at once.
    package static func writerHoldsLock(_ path: String) -> Bool { lockIsHeld(path) }

    /// Whether another open file description holds an exclusive `flock` on the file at `path`: the probe of
    /// `Spool/FORMAT.md` §2.2 (`flock(LOCK_SH|LOCK_NB)` fails with EWOULDBLOCK; a probe lock that succeeds is
    /// released at once). False when the file cannot be opened.
    static func lockIsHeld(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { POSIX.closeQuietly(fd) }
        let r = POSIX.lock(fd, LOCK_SH | LOCK_NB)
        if r == 0 {
            _ = POSIX.lock(fd, LOCK_UN)
            return false
        }
        return r == EWOULDBLOCK
    }
}

/// One segment file found in a spool directory.
public struct SegmentInfo: Sendable, Hashable {
    /// The parsed file name.
    public var name: SegmentName
    /// The full path.
    public var path: String
    /// The file size in bytes when listed.
    public var sizeBytes: Int
    /// Live (open, its writer holds the lock), abandoned (open, the writer is gone: a reader salvages it up to its
    /// last good frame) or sealed, when listed.
    public var state: SegmentState
}
