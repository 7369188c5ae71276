import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A git working tree found on disk, read without running `git`: its `HEAD`, refs (loose and `packed-refs`),
/// configuration and index are parsed directly. Linked worktrees (`git worktree add`) and submodules, whose `.git`
/// is a file holding `gitdir: <path>`, are followed, with refs and configuration read from the common directory.
struct GitWorkingTree: Sendable, Equatable {
    /// The working tree's root (the directory holding `.git`), absolute when it could be resolved.
    var root: String
    /// The repository directory of this working tree (`<root>/.git`, or where `gitdir:` points).
    var gitDirectory: String
    /// The directory shared by all worktrees of the repository (refs, `packed-refs`, `config`): the `commondir` of
    /// a linked worktree, else `gitDirectory`.
    var commonDirectory: String

    /// The most directories walked up from the starting path looking for `.git`.
    static let maximumDepth = 64

    /// The working tree holding `path`: `path` itself or its nearest ancestor with a `.git` directory or file.
    ///
    /// - Throws: `GitWorkingTreeError.notARepository` when there is none, `.malformed` for a `.git` file without
    ///   `gitdir:` or a repository directory without `HEAD`.
    static func locate(from path: String) throws(GitWorkingTreeError) -> GitWorkingTree {
        var directory = realPath(path) ?? path
        for _ in 0..<maximumDepth {
            let dotGit = FileSystem.join(directory, ".git")
            if case .success(let status) = FileStatus.of(path: dotGit) {
                return try open(root: directory, dotGit: dotGit, kind: status.kind)
            }
            let parent = FileSystem.split(directory).directory
            if parent == directory || parent.isEmpty || directory == "/" { break }
            directory = parent
        }
        throw .notARepository(path)
    }

    private static func open(
        root: String, dotGit: String, kind: FileStatus.Kind
    ) throws(GitWorkingTreeError) -> GitWorkingTree {
        var gitDirectory = dotGit
        // A symbolic link to a repository directory counts as that directory.
        if kind != .directory && !(kind == .symbolicLink && FileSystem.exists(FileSystem.join(dotGit, "HEAD"))) {
            let text = try readText(dotGit)
            guard text.hasPrefix("gitdir:") else { throw .malformed(dotGit, "no gitdir: line") }
            let target = String(text.dropFirst("gitdir:".count)).gitTrimmed
            gitDirectory = target.hasPrefix("/") ? target : FileSystem.join(root, target)
        }
        guard FileSystem.exists(FileSystem.join(gitDirectory, "HEAD")) else {
            throw .malformed(gitDirectory, "no HEAD file")
        }
        var commonDirectory = gitDirectory
        if let common = try? readText(FileSystem.join(gitDirectory, "commondir")) {
            let target = common.gitTrimmed
            commonDirectory = target.hasPrefix("/") ? target : FileSystem.join(gitDirectory, target)
        }
        return GitWorkingTree(
            root: root, gitDirectory: realPath(gitDirectory) ?? gitDirectory,
            commonDirectory: realPath(commonDirectory) ?? commonDirectory)
    }

    /// What `HEAD` points at.
    struct Head: Sendable, Equatable {
        /// The commit id (hex), nil on a branch with no commit yet.
        var revision: String?
        /// The branch (`main`, without `refs/heads/`) or other ref (`refs/remotes/origin/main`) `HEAD` names; nil
        /// when `HEAD` is detached.
        var branch: String?
        /// Whether `branch` is a local branch (under `refs/heads/`).
        var isLocalBranch: Bool
    }

    /// Reads `HEAD`, following symbolic refs through loose ref files and `packed-refs`.
    ///
    /// - Throws: `GitWorkingTreeError.unreadable` when `HEAD` cannot be read, `.malformed` when it or a ref it
    ///   names holds something other than a ref or a commit id.
    func head() throws(GitWorkingTreeError) -> Head {
        var content = try Self.readText(FileSystem.join(gitDirectory, "HEAD")).gitTrimmed
        var firstRef: String?
        for _ in 0..<8 {
            guard content.hasPrefix("ref:") else {
                guard Self.isObjectID(content) else { throw .malformed("HEAD", "neither a ref nor a commit id") }
                return Self.head(revision: content.lowercased(), ref: firstRef)
            }
            let name = String(content.dropFirst(4)).gitTrimmed
            guard name.hasPrefix("refs/"), !name.contains(".."), !name.contains("//") else {
                throw .malformed("HEAD", "ref \(name) outside refs/")
            }
            if firstRef == nil { firstRef = name }
            guard let next = try resolve(name) else { return Self.head(revision: nil, ref: firstRef) }
            content = next
        }
        throw .malformed("HEAD", "symbolic refs nested too deep")
    }

    private static func head(revision: String?, ref: String?) -> Head {
        guard let ref else { return Head(revision: revision, branch: nil, isLocalBranch: false) }
        let local = ref.hasPrefix("refs/heads/")
        return Head(revision: revision, branch: local ? String(ref.dropFirst(11)) : ref, isLocalBranch: local)
    }

    /// The content of the ref `name`: its loose file (per-worktree refs in `gitDirectory`, others in
    /// `commonDirectory`), else its line in `packed-refs`; nil when neither has it (an unborn branch).
    private func resolve(_ name: String) throws(GitWorkingTreeError) -> String? {
        let perWorktree =
            name.hasPrefix("refs/bisect/") || name.hasPrefix("refs/worktree/")
            || name.hasPrefix("refs/rewritten/")
        let directory = perWorktree ? gitDirectory : commonDirectory
        if let loose = try? Self.readText(FileSystem.join(directory, name)) {
            let value = loose.gitTrimmed
            if !value.isEmpty { return value }
        }
        guard let packed = try? Self.readText(FileSystem.join(commonDirectory, "packed-refs")) else { return nil }
        for line in packed.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            if line.hasPrefix("#") || line.hasPrefix("^") { continue }
            guard let space = line.firstIndex(of: " ") else { continue }
            if line[line.index(after: space)...] == name { return String(line[..<space]) }
        }
        return nil
    }

    /// `remote.origin.url` of the repository's `config`, or nil.
    func originURL() -> String? { configValue(section: #"remote "origin""#, key: "url") }

    /// The hex digits of an object id: 64 when `extensions.objectformat` is `sha256`, else 40.
    func objectIDLength() -> Int {
        configValue(section: "extensions", key: "objectformat")?.lowercased() == "sha256" ? 64 : 40
    }

    /// The first value of `key` in `[section]` of the repository's `config` (no includes, no conditional
    /// sections); nil when absent or unreadable.
    func configValue(section: String, key: String) -> String? {
        guard let text = try? Self.readText(FileSystem.join(commonDirectory, "config")) else { return nil }
        var inSection = false
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = String(rawLine).gitTrimmed
            if line.hasPrefix("[") {
                let header = line.dropFirst().prefix { $0 != "]" }
                inSection = header.lowercased() == section.lowercased()
                continue
            }
            guard inSection, let equals = line.firstIndex(of: "=") else { continue }
            if String(line[..<equals]).gitTrimmed.lowercased() == key.lowercased() {
                var value = String(line[line.index(after: equals)...]).gitTrimmed
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                    value = String(value.dropFirst().dropLast())
                }
                return value
            }
        }
        return nil
    }

    /// Whether `text` is 40 or 64 hex digits.
    static func isObjectID(_ text: String) -> Bool {
        (text.utf8.count == 40 || text.utf8.count == 64) && text.utf8.allSatisfy { Hex.nibble($0) != nil }
    }

    /// The UTF-8 content of a small file (at most 1 MiB is kept).
    static func readText(_ path: String) throws(GitWorkingTreeError) -> String {
        do {
            let bytes = try FileSystem.readFile(path)
            return String(decoding: bytes.prefix(1 << 20), as: UTF8.self)
        } catch {
            throw .unreadable(path, error.description)
        }
    }

    /// The canonical absolute form of `path` (`realpath`), or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, carriage returns and line feeds.
    fileprivate var gitTrimmed: String {
        let isBlank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let utf8 = Substring(self).utf8
        guard let first = utf8.firstIndex(where: { !isBlank($0) }), let last = utf8.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(decoding: utf8[first...last], as: UTF8.self)
    }
}

extension GitWorkingTree {
    /// The commit checked out in the working tree holding `path`, its branch and `remote.origin.url`, read afresh
    /// (a few small files: `HEAD`, a ref or `packed-refs`, `config`; the index is not read).
    ///
    /// - Throws: `GitWorkingTreeError` when no working tree holds `path`, `HEAD` is unreadable or malformed, or the
    ///   branch has no commit yet (`.malformed("HEAD", …)`).
    static func checkedOutCommit(
        at path: String
    ) throws(GitWorkingTreeError) -> (revision: String, branch: String?, repositoryURL: String?) {
        let tree = try locate(from: path)
        let head = try tree.head()
        guard let revision = head.revision else {
            throw .malformed("HEAD", "branch \(head.branch ?? "?") has no commit yet")
        }
        return (revision, head.branch, tree.originURL())
    }
}
