import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A validated spool directory: a real directory (not a symbolic link) whose owner and permissions suit the way it is
/// used (`Access`, and `Spool/FORMAT.md`, "Permissions and ownership").
///
/// A writer's directory is made (with missing parents) with mode 0700 when it does not exist, must belong to this
/// process's user, and is tightened when other users may write it. Listing it never modifies anything and is safe
/// beside live writers and uploaders.
public struct SpoolDirectory: Sendable, Hashable {
    /// The directory path as given, without trailing slashes.
    public let path: String
    /// How the directory is used, which decides the checks.
    package let access: Access
    /// The directory's owner (user id) when it was validated: the owner segments must have to be shipped.
    package let owner: UInt32
    /// The permission bits of segment files created in this directory: 0640 in a shared-group directory (so the
    /// group's uploader can read them), else 0600.
    package let segmentFileMode: UInt32

    /// Opens, and optionally creates, a spool directory for writing (`Access.write` without a shared group).
    ///
    /// - Parameters:
    ///   - path: the directory.
    ///   - create: make the directory (mode 0700) and its parents when missing.
    /// - Throws: `SpoolError.directoryIsSymlink`, `.directoryNotOwned`, `.notADirectory`,
    ///   `.directoryWritableByOthers` (group or others may write it and it cannot be tightened), or `.io` (e.g.
    ///   ENOENT when `create` is false and the directory is missing, EACCES, EROFS).
    public init(path: String, create: Bool = true) throws(SpoolError) {
        try self.init(path: path, access: .write(create: create, sharedGroup: nil))
    }

    /// Opens a spool directory for `access`: creates and tightens it for `.write`, checks owner and permissions for
    /// `.ship`, checks only that it is a real directory for `.inspect`.
    ///
    /// - Throws: as `init(path:create:)`; `.directoryNotOwned` and `.directoryWritableByOthers` follow the rules of
    ///   `access`.
    package init(path: String, access: Access) throws(SpoolError) {
        let trimmed = FileSystem.trimmingTrailingSlashes(path)
        var status = try Self.status(trimmed, creatingFor: access)
        if let excess = try Self.check(status, path: trimmed, access: access) {
            status = try Self.tighten(trimmed, removing: excess, access: access)
        }
        self.path = trimmed
        self.access = access
        self.owner = status.uid
        self.segmentFileMode = access.sharesGroup(of: status) ? 0o640 : 0o600
    }

    /// The status of the directory, made first when it is missing and `access` creates it.
    private static func status(_ path: String, creatingFor access: Access) throws(SpoolError) -> FileStatus {
        switch FileStatus.of(path: path) {
        case .success(let status): return status
        case .failure(let e) where e.code == ENOENT && access.creates:
            try make(path, access: access)
            switch FileStatus.of(path: path) {
            case .success(let status): return status
            case .failure(let e): throw .io(operation: "stat", path: path, errno: e.code)
            }
        case .failure(let e): throw .io(operation: "stat", path: path, errno: e.code)
        }
    }

    /// Opens the directory itself (`O_DIRECTORY|O_NOFOLLOW|O_CLOEXEC`) and checks it is still the validated one.
    func openDescriptor() throws(SpoolError) -> Int32 {
        let fd = try Self.openDirectory(path)
        switch FileStatus.of(descriptor: fd) {
        case .success(let status):
            do throws(SpoolError) {
                if try Self.check(status, path: path, access: access) != nil {
                    throw .directoryWritableByOthers(path: path, permissions: status.permissions)
                }
            } catch {
                POSIX.closeQuietly(fd)
                throw error
            }
            return fd
        case .failure(let e):
            POSIX.closeQuietly(fd)
            throw .io(operation: "stat", path: path, errno: e.code)
        }
    }

    /// Opens the directory `path` without following a symbolic link.
    static func openDirectory(_ path: String) throws(SpoolError) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ELOOP { throw .directoryIsSymlink(path: path) }
            if e == ENOTDIR {
                if case .success(let s) = FileStatus.of(path: path), s.kind == .symbolicLink {
                    throw .directoryIsSymlink(path: path)
                }
                throw .notADirectory(path: path)
            }
            throw .io(operation: "open", path: path, errno: e)
        }
        return fd
    }

    /// The full path of a file in this directory.
    public func path(of fileName: String) -> String { FileSystem.join(path, fileName) }

    /// The segments in the directory, oldest first, with size, owner and state (for open ones: whether their writer
    /// still holds its lock). Files that are not segments are ignored (`listing()` reports the refused ones); a
    /// segment deleted while listing is left out.
    ///
    /// - Throws: `SpoolError.io` when the directory cannot be read.
    public func segments() throws(SpoolError) -> [SegmentInfo] {
        try listing().segments
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
    /// The file's owner (user id) when listed.
    package var owner: UInt32
    /// Live (open, its writer holds the lock), abandoned (open, the writer is gone: a reader salvages it up to its
    /// last good frame) or sealed, when listed.
    public var state: SegmentState
}
