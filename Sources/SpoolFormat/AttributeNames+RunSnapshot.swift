extension AttributeNames {
    // MARK: Executable identity (OpenTelemetry process semantic conventions)

    /// `process.executable.path`: the absolute path of the running executable (`/proc/self/exe`).
    @inlinable public static var processExecutablePath: String { "process.executable.path" }
    /// `process.executable.build_id.gnu`: the executable's GNU build id (lower-case hex of the ELF
    /// `NT_GNU_BUILD_ID` note).
    @inlinable public static var processExecutableBuildIDGNU: String { "process.executable.build_id.gnu" }
    /// `tracespool.snapshot.executable.fingerprint`: the fallback identity of an executable without a GNU build
    /// id, `fnv1a64:<16 hex digits>-<size in bytes>` over the executable's first and last 4 KiB and its size.
    @inlinable public static var snapshotExecutableFingerprint: String { "tracespool.snapshot.executable.fingerprint" }
    /// `tracespool.snapshot.executable.error`: why the executable's identity could not be read.
    @inlinable public static var snapshotExecutableError: String { "tracespool.snapshot.executable.error" }

    // MARK: Resolved dependencies

    /// `tracespool.snapshot.dependencies` (array of strings): the package's resolved dependencies, one
    /// `identity@version` (or `identity@branch:<name>:<revision>`, `identity@revision:<revision>`) each, sorted.
    @inlinable public static var snapshotDependencies: String { "tracespool.snapshot.dependencies" }
    /// `tracespool.snapshot.dependencies.error`: why the dependencies could not be read.
    @inlinable public static var snapshotDependenciesError: String { "tracespool.snapshot.dependencies.error" }

    // MARK: Version control (OpenTelemetry VCS semantic conventions and TraceSpool's own)

    /// `vcs.ref.head.revision`: the commit the working tree's `HEAD` points at (hex object id).
    @inlinable public static var vcsRefHeadRevision: String { "vcs.ref.head.revision" }
    /// `vcs.ref.head.name`: the branch `HEAD` points at (`main`), absent for a detached `HEAD`.
    @inlinable public static var vcsRefHeadName: String { "vcs.ref.head.name" }
    /// `vcs.ref.head.type`: `branch` when `HEAD` names a branch; absent for a detached `HEAD`.
    @inlinable public static var vcsRefHeadType: String { "vcs.ref.head.type" }
    /// `vcs.repository.url.full`: the repository's URL (`remote.origin.url` of the git configuration).
    @inlinable public static var vcsRepositoryURLFull: String { "vcs.repository.url.full" }
    /// `vcs.commit.message`: the commit message `recordGitCommit` was given.
    @inlinable public static var vcsCommitMessage: String { "vcs.commit.message" }
    /// `tracespool.snapshot.git.worktree`: the root of the working tree that was read.
    @inlinable public static var snapshotGitWorktree: String { "tracespool.snapshot.git.worktree" }
    /// `tracespool.snapshot.git.detached` (bool): `HEAD` holds a commit id rather than a branch.
    @inlinable public static var snapshotGitDetached: String { "tracespool.snapshot.git.detached" }
    /// `tracespool.snapshot.git.dirty` (bool): a tracked file differs from the index (see Docs/Tracer.md, "Run
    /// snapshot", for exactly what counts).
    @inlinable public static var snapshotGitDirty: String { "tracespool.snapshot.git.dirty" }
    /// `tracespool.snapshot.git.changed_count` (int): how many tracked files differ from the index.
    @inlinable public static var snapshotGitChangedCount: String { "tracespool.snapshot.git.changed_count" }
    /// `tracespool.snapshot.git.changed_paths` (array of strings): the first changed paths (at most 32), relative
    /// to the working tree's root.
    @inlinable public static var snapshotGitChangedPaths: String { "tracespool.snapshot.git.changed_paths" }
    /// `tracespool.snapshot.git.error`: why the working tree's commit or dirty state could not be read.
    @inlinable public static var snapshotGitError: String { "tracespool.snapshot.git.error" }

    // MARK: Source files

    /// `tracespool.snapshot.source`: the prefix of the captured source files, `tracespool.snapshot.source.<i>.path`,
    /// `.content` (cut to the size limit and redacted like other captured values) and `.error`.
    @inlinable public static var snapshotSource: String { "tracespool.snapshot.source" }
    /// `path`: a captured source file's path as given (`tracespool.snapshot.source.<i>.path`).
    @inlinable public static var snapshotSourcePath: String { "path" }
    /// `content`: a captured source file's content (`tracespool.snapshot.source.<i>.content`), absent when input and
    /// output capture is off for the span.
    @inlinable public static var snapshotSourceContent: String { "content" }
    /// `error`: why a source file could not be read (`tracespool.snapshot.source.<i>.error`).
    @inlinable public static var snapshotSourceError: String { "error" }
}
