/// Why a git working tree's commit or dirty state could not be read. The run snapshot records the description as
/// `tracespool.snapshot.git.error`; `recordGitCommit` logs it at debug level and records nothing.
enum GitWorkingTreeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Neither the path nor any of its ancestors holds a `.git`: configure the working tree's path.
    case notARepository(String)
    /// A file of the repository could not be read (the file, the failure).
    case unreadable(String, String)
    /// A file of the repository holds something git would not write (the file, what is wrong).
    case malformed(String, String)

    var description: String {
        switch self {
        case .notARepository(let path): "no git working tree at \(path) or above it"
        case .unreadable(let path, let failure): "cannot read \(path): \(failure)"
        case .malformed(let path, let problem): "malformed \(path): \(problem)"
        }
    }
}
