import SpoolBase
import SpoolFormat
import Synchronization
import Tracing

/// What ran: the executable's identity, the package's resolved dependencies, the git state of a working tree and,
/// opt-in, source files, read once per process and `RunSnapshotOptions` value (see `cached(_:)`).
struct RunSnapshot: Sendable {
    /// The executable's identity, when `RunSnapshotOptions.executable`.
    var executable: ExecutableIdentity?
    /// The dependencies as `identity@version`, sorted; nil when none were configured or they could not be read.
    var dependencies: [String]?
    /// Why the configured dependencies could not be read.
    var dependenciesError: String?
    /// The working tree's root, when one was found.
    var gitRoot: String?
    /// What `HEAD` points at.
    var gitHead: GitWorkingTree.Head?
    /// `remote.origin.url`.
    var gitRepositoryURL: String?
    /// The tracked files that differ from the index; nil when not checked or unreadable.
    var gitChangedPaths: [String]?
    /// Why the git state (or part of it) could not be read.
    var gitError: String?
    /// The source files asked for: path, content (the first `maxSourceFileBytes` + 1 KiB bytes, enough for the
    /// cut and the redaction of a credential across it), or why it could not be read.
    var sources: [(path: String, content: String?, error: String?)] = []

    /// The most changed paths recorded.
    static let maximumChangedPaths = 32

    /// The process-wide executable identity, read at the first use.
    static let currentExecutable = ExecutableIdentity.current()

    private static let cache = Mutex<[RunSnapshotOptions: RunSnapshot]>([:])

    /// The snapshot for `options`: read at the first call with equal options, then reused. `fresh` is true for the
    /// call that read it (the one that logs what could not be read).
    static func cached(_ options: RunSnapshotOptions) -> (snapshot: RunSnapshot, fresh: Bool) {
        if let known = cache.withLock({ $0[options] }) { return (known, false) }
        let snapshot = RunSnapshot(reading: options)
        return cache.withLock { cache in
            if let known = cache[options] { return (known, false) }
            cache[options] = snapshot
            return (snapshot, true)
        }
    }

    /// Reads everything `options` asks for; never throws (failures land in the `…Error` fields).
    init(reading options: RunSnapshotOptions) {
        if options.executable { executable = Self.currentExecutable }
        readDependencies(options)
        if let tree = options.gitWorkingTree { readGit(tree, checkDirty: options.checksGitDirtyState) }
        let margin = options.maxSourceFileBytes > 0 ? options.maxSourceFileBytes + 1024 : Int.max
        for path in options.sourceFiles {
            do {
                let bytes = try FileSystem.readFile(path)
                sources.append((path, String(decoding: bytes.prefix(margin), as: UTF8.self), nil))
            } catch {
                sources.append((path, nil, error.description))
            }
        }
    }

    private mutating func readDependencies(_ options: RunSnapshotOptions) {
        var packages = options.resolvedPackages
        do {
            if packages == nil, let embedded = options.embeddedPackageResolved {
                packages = try ResolvedPackage.parse(packageResolved: embedded)
            } else if packages == nil, let path = options.packageResolvedPath {
                let bytes: [UInt8]
                do { bytes = try FileSystem.readFile(path) } catch {
                    dependenciesError = error.description
                    return
                }
                packages = try ResolvedPackage.parse(packageResolved: bytes)
            }
        } catch {
            dependenciesError = error.description
        }
        dependencies = packages?.map(\.pinDescription).sorted()
    }

    private mutating func readGit(_ path: String, checkDirty: Bool) {
        do {
            let tree = try GitWorkingTree.locate(from: path)
            gitRoot = tree.root
            gitRepositoryURL = tree.originURL()
            gitHead = try tree.head()
            if checkDirty { gitChangedPaths = try tree.changedPaths() }
        } catch {
            gitError = error.description
        }
    }

    /// What could not be read, one line each (logged once, at debug level, by the call that read the snapshot).
    var problems: [String] {
        var problems: [String] = []
        if let error = executable?.error { problems.append("executable: \(error)") }
        if let dependenciesError { problems.append("dependencies: \(dependenciesError)") }
        if let gitError { problems.append("git: \(gitError)") }
        for source in sources { if let error = source.error { problems.append("source \(source.path): \(error)") } }
        return problems
    }

    /// The snapshot as span attributes; source contents (only when `includeSources`) cut to `sourceLimit` bytes
    /// and redacted by `redactor`.
    func attributes(
        includeSources: Bool, sourceLimit: Int, redactor: Redactor?
    ) -> [(String, SpanAttribute)] {
        var attributes: [(String, SpanAttribute)] = []
        func add(_ key: String, _ value: String?) { if let value { attributes.append((key, .string(value))) } }
        if let executable {
            add(AttributeNames.processExecutablePath, executable.path)
            add(AttributeNames.processExecutableBuildIDGNU, executable.gnuBuildID)
            add(AttributeNames.snapshotExecutableFingerprint, executable.fingerprint)
            add(AttributeNames.snapshotExecutableError, executable.error)
        }
        if let dependencies { attributes.append((AttributeNames.snapshotDependencies, .stringArray(dependencies))) }
        add(AttributeNames.snapshotDependenciesError, dependenciesError)
        add(AttributeNames.snapshotGitWorktree, gitRoot)
        if let gitHead {
            add(AttributeNames.vcsRefHeadRevision, gitHead.revision)
            add(AttributeNames.vcsRefHeadName, gitHead.branch)
            if gitHead.isLocalBranch { add(AttributeNames.vcsRefHeadType, "branch") }
            attributes.append((AttributeNames.snapshotGitDetached, .bool(gitHead.branch == nil)))
        }
        add(AttributeNames.vcsRepositoryURLFull, gitRepositoryURL)
        if let gitChangedPaths {
            attributes.append((AttributeNames.snapshotGitDirty, .bool(!gitChangedPaths.isEmpty)))
            attributes.append((AttributeNames.snapshotGitChangedCount, .int64(Int64(gitChangedPaths.count))))
            if !gitChangedPaths.isEmpty {
                let first = Array(gitChangedPaths.prefix(Self.maximumChangedPaths))
                attributes.append((AttributeNames.snapshotGitChangedPaths, .stringArray(first)))
            }
        }
        add(AttributeNames.snapshotGitError, gitError)
        for (i, source) in sources.enumerated() {
            let prefix = "\(AttributeNames.snapshotSource).\(i)."
            add(prefix + AttributeNames.snapshotSourcePath, source.path)
            if includeSources, let content = source.content {
                add(
                    prefix + AttributeNames.snapshotSourceContent,
                    JSONCapture.truncate(content, sourceLimit, redactor: redactor))
            }
            add(prefix + AttributeNames.snapshotSourceError, source.error)
        }
        return attributes
    }
}
