import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension GitWorkingTree {
    /// The tracked files that differ from the index, as `git status` would list them in its "changes not staged"
    /// part plus unresolved conflicts and `git add -N` paths: a file is changed when it is missing, its type
    /// (regular file or symbolic link) or executable bit (unless `core.filemode` is false) differs from the index,
    /// its size differs, or its modification time differs (or is as recent as the index file's, git's "racily
    /// clean" case) and its content no longer hashes to the recorded blob id. Not counted: untracked files,
    /// submodules (their own commits), paths marked `skip-worktree`, and changes that are staged but match the
    /// working tree. Content hashed through a clean filter or end-of-line conversion by git is compared raw here, so
    /// such a file counts as changed once its time changes; SHA-256 repositories compare stat data only.
    ///
    /// One `lstat` per tracked file; content is read only for files whose time changed.
    ///
    /// - Returns: the changed paths (relative to `root`), in index order.
    /// - Throws: `GitWorkingTreeError` when the index cannot be read or is malformed; no index is no change.
    func changedPaths() throws(GitWorkingTreeError) -> [String] {
        let indexPath = FileSystem.join(gitDirectory, "index")
        let bytes: [UInt8]
        do {
            bytes = try FileSystem.readFile(indexPath)
        } catch {
            if error.errno == ENOENT { return [] }
            throw .unreadable(indexPath, error.description)
        }
        let hashesContent = objectIDLength() == 40
        let index = try GitWorkingTreeIndex(parsing: bytes, objectIDBytes: hashesContent ? 20 : 32)
        let indexTime = Self.modificationTime(indexPath)
        let checksMode = configValue(section: "core", key: "filemode")?.lowercased() != "false"
        var changed: [String] = []
        for entry in index.entries where !entry.skipsWorktree && entry.mode & 0o170000 != 0o160000 {
            if changed.last == entry.path { continue }
            if entry.stage != 0 || entry.isIntentToAdd || isChanged(entry, indexTime, hashesContent, checksMode) {
                changed.append(entry.path)
            }
        }
        return changed
    }

    private func isChanged(
        _ entry: GitWorkingTreeIndex.Entry, _ indexTime: (Int, Int)?, _ hashesContent: Bool, _ checksMode: Bool
    ) -> Bool {
        let path = FileSystem.join(root, entry.path)
        var st = stat()
        guard lstat(path, &st) == 0 else { return true }
        let type = UInt32(st.st_mode) & UInt32(S_IFMT)
        let isLink = entry.mode & 0o170000 == 0o120000
        guard type == (isLink ? UInt32(S_IFLNK) : UInt32(S_IFREG)) else { return true }
        if checksMode, !isLink, (entry.mode & 0o100 != 0) != (UInt32(st.st_mode) & 0o100 != 0) { return true }
        guard UInt32(truncatingIfNeeded: Int64(st.st_size)) == entry.size else { return true }
        let time = Self.modificationTime(st)
        let sameTime =
            UInt32(truncatingIfNeeded: time.0) == entry.modifiedSeconds
            && UInt32(truncatingIfNeeded: time.1) == entry.modifiedNanoseconds
        let racy = indexTime.map { time.0 > $0.0 || (time.0 == $0.0 && time.1 >= $0.1) } ?? true
        if sameTime && !racy { return false }
        guard hashesContent else { return !sameTime }
        guard let id = Self.blobID(path, isLink: isLink, size: Int(st.st_size)) else { return true }
        return id != entry.objectID
    }

    /// Git's blob id of the file (or link target) at `path`; nil when it cannot be read whole.
    static func blobID(_ path: String, isLink: Bool, size: Int) -> [UInt8]? {
        if isLink {
            var buffer = [CChar](repeating: 0, count: 4097)
            let n = readlink(path, &buffer, 4096)
            guard n >= 0 else { return nil }
            var hash = GitWorkingTreeBlobHash(blobSize: n)
            hash.update(buffer[0..<n].map { UInt8(bitPattern: $0) })
            return hash.finish()
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { POSIX.closeQuietly(fd) }
        var hash = GitWorkingTreeBlobHash(blobSize: size)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var offset = 0
        while offset < size {
            let want = min(buffer.count, size - offset)
            let result = buffer.withUnsafeMutableBytes {
                POSIX.preadFully(fd, .init(rebasing: $0[0..<want]), at: offset)
            }
            guard case .success(let n) = result, n == want else { return nil }
            hash.update(buffer[0..<n])
            offset += n
        }
        return hash.finish()
    }

    private static func modificationTime(_ path: String) -> (Int, Int)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return modificationTime(st)
    }

    private static func modificationTime(_ st: stat) -> (Int, Int) {
        #if canImport(Darwin)
            return (Int(st.st_mtimespec.tv_sec), Int(st.st_mtimespec.tv_nsec))
        #else
            return (Int(st.st_mtim.tv_sec), Int(st.st_mtim.tv_nsec))
        #endif
    }
}
