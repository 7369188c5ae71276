/// What `SpoolTracer.recordRunSnapshot(_:)` records, and where it reads it from.
///
/// Snapshots are cached per process and per options value: the files named here are read at the first call with
/// these options, later calls reuse what was read (the working tree's state is the state when the run started).
public struct RunSnapshotOptions: Sendable, Hashable {
    /// Records the executable's path, GNU build id or fingerprint (default true).
    public var executable: Bool
    /// The path of a `Package.resolved` file to list the dependencies from (format versions 1, 2, 3); nil for none.
    /// Relative paths are resolved against the current directory.
    public var packageResolvedPath: String?
    /// The bytes of a `Package.resolved` file embedded in the app at build time, read before
    /// `packageResolvedPath`: copy the file next to the target's sources, declare it as
    /// `resources: [.embedInCode("Package.resolved")]`, and pass `PackageResources.Package_resolved`.
    public var embeddedPackageResolved: [UInt8]?
    /// Dependencies the app lists itself, used before `embeddedPackageResolved` and `packageResolvedPath`.
    public var resolvedPackages: [ResolvedPackage]?
    /// A directory in the git working tree to record the commit of (the nearest ancestor holding `.git` is used);
    /// default `.`, the current directory; nil records no git state.
    public var gitWorkingTree: String?
    /// Also records whether tracked files differ from the index (one `lstat` per tracked file; default true).
    public var checksGitDirtyState: Bool
    /// Source files whose content is recorded (opt-in, default none), as `tracespool.snapshot.source.<i>.*`.
    public var sourceFiles: [String]
    /// The most UTF-8 bytes of one source file recorded; longer content is cut and marked `…[truncated]` (default
    /// 65,536; 0 = unlimited).
    public var maxSourceFileBytes: Int

    /// Creates options; by default the executable's identity and the current directory's git state are recorded.
    public init(
        executable: Bool = true, packageResolvedPath: String? = nil, embeddedPackageResolved: [UInt8]? = nil,
        resolvedPackages: [ResolvedPackage]? = nil, gitWorkingTree: String? = ".", checksGitDirtyState: Bool = true,
        sourceFiles: [String] = [], maxSourceFileBytes: Int = 65_536
    ) {
        self.executable = executable
        self.packageResolvedPath = packageResolvedPath
        self.embeddedPackageResolved = embeddedPackageResolved
        self.resolvedPackages = resolvedPackages
        self.gitWorkingTree = gitWorkingTree
        self.checksGitDirtyState = checksGitDirtyState
        self.sourceFiles = sourceFiles
        self.maxSourceFileBytes = maxSourceFileBytes
    }
}
