import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SpoolDirectory {
    /// How a process uses a spool directory, which decides what it checks and changes (`Spool/FORMAT.md`,
    /// "Permissions and ownership").
    package enum Access: Sendable, Hashable {
        /// A writer's (the tracer): the directory must belong to this process's user. When `create` is true a missing
        /// directory is made with mode 0700, or, with a `sharedGroup`, with mode 2770 and that group. Write permission
        /// for others, and for the group unless the directory's group is `sharedGroup`, is removed; when it cannot
        /// be, the directory is refused.
        case write(create: Bool, sharedGroup: UInt32?)
        /// An uploader's, which ships what it finds under its own credentials: the directory must belong to this
        /// process's user, or have `sharedGroup` as its group; it must not be writable by others, nor by its group
        /// unless that is `sharedGroup`. Nothing is changed.
        case ship(sharedGroup: UInt32?)
        /// A read-only inspection (`tracespool-dump`): any owner, any permissions; nothing is changed.
        case inspect

        /// Whether a missing directory is made.
        var creates: Bool {
            if case .write(create: true, _) = self { return true }
            return false
        }

        /// The configured shared group, if any.
        var sharedGroup: UInt32? {
            switch self {
            case .write(_, let group), .ship(let group): group
            case .inspect: nil
            }
        }

        /// Whether the directory `status` is the configured shared group's (its group is the shared group).
        func sharesGroup(of status: FileStatus) -> Bool {
            sharedGroup.map { $0 == status.gid } ?? false
        }

        /// The write bits (`0o022` or `0o002`) that others must not have on a directory with `status`.
        func forbiddenWriteBits(for status: FileStatus) -> UInt32 {
            sharesGroup(of: status) ? 0o002 : 0o022
        }
    }

    /// Checks `status` against the rules of `access`.
    ///
    /// - Returns: the write bits a writer must remove (nil when there are none, and always nil for `.ship` and
    ///   `.inspect`).
    /// - Throws: `SpoolError.directoryIsSymlink`, `.notADirectory`, `.directoryNotOwned`,
    ///   `.directoryWritableByOthers` (`.ship` only).
    static func check(_ status: FileStatus, path: String, access: Access) throws(SpoolError) -> UInt32? {
        if status.kind == .symbolicLink { throw .directoryIsSymlink(path: path) }
        guard status.kind == .directory else { throw .notADirectory(path: path) }
        let me = POSIX.effectiveUserID
        let excess = status.permissions & access.forbiddenWriteBits(for: status)
        switch access {
        case .inspect:
            return nil
        case .write:
            guard status.uid == me else { throw .directoryNotOwned(path: path, owner: status.uid, expected: me) }
            return excess == 0 ? nil : excess
        case .ship:
            guard status.uid == me || access.sharesGroup(of: status) else {
                throw .directoryNotOwned(path: path, owner: status.uid, expected: me)
            }
            guard excess == 0 else { throw .directoryWritableByOthers(path: path, permissions: status.permissions) }
            return nil
        }
    }

    /// Removes the write bits `excess` from the writer's directory (`fchmod` on the directory opened without
    /// following links, after checking it is still ours).
    ///
    /// - Returns: the directory's status afterwards.
    /// - Throws: `SpoolError.directoryWritableByOthers` when the mode cannot be changed; the errors of `check`.
    static func tighten(_ path: String, removing excess: UInt32, access: Access) throws(SpoolError) -> FileStatus {
        let fd = try openDirectory(path)
        defer { POSIX.closeQuietly(fd) }
        guard case .success(let status) = FileStatus.of(descriptor: fd) else {
            throw .directoryWritableByOthers(path: path, permissions: 0)
        }
        guard let excess = try check(status, path: path, access: access) else { return status }
        let permissions = status.permissions & ~excess
        guard POSIX.changeMode(fd, permissions) == 0 else {
            throw .directoryWritableByOthers(path: path, permissions: status.permissions)
        }
        var tightened = status
        tightened.permissions = permissions
        return tightened
    }

    /// Makes the missing directory `path` (parents 0755) with mode 0700, or in a shared group with mode 2770 and that
    /// group (set-group-id, so that the files made in it get the group too).
    static func make(_ path: String, access: Access) throws(SpoolError) {
        do throws(SystemCallError) {
            try FileSystem.makeDirectories(path, mode: 0o700, parentMode: 0o755)
        } catch {
            throw SpoolError(error)
        }
        guard let group = access.sharedGroup else { return }
        let fd = try openDirectory(path)
        defer { POSIX.closeQuietly(fd) }
        if fchown(fd, uid_t.max, gid_t(group)) != 0 {
            throw .io(operation: "fchown to group \(group)", path: path, errno: errno)
        }
        let e = POSIX.changeMode(fd, 0o2770)
        if e != 0 { throw .io(operation: "fchmod", path: path, errno: e) }
    }
}
