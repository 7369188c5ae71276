import CSQLite
import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The checks that keep a SQLite store private to the user who writes it, applied before SQLite opens it for
/// writing and again once the schema exists.
///
/// For the database file and each companion (`-wal`, `-shm`, `-journal`) that exists: it must not be a symbolic link,
/// must be a regular file and must belong to this process's effective user; a file of ours that group or others may
/// access is tightened to 0600. A missing database file is created 0600 (`O_EXCL|O_NOFOLLOW`) before SQLite opens it,
/// so SQLite, which gives the companions the mode of the database file, creates them 0600 too. A store in a directory
/// named `SpanStore.privateDirectoryName` gets that directory created 0700 and checked first.
package enum StoreFileGuard {
    /// Makes the store's files safe to open for writing, as the type describes.
    ///
    /// - Throws: `StoreError.symbolicLink`, `.notOwned`, `.notAFile`, `.directoryNotPrivate`, or `.sqlite` with
    ///   operation `.open` when a system call fails (the directory or file cannot be made, EACCES, EROFS).
    package static func prepare(_ path: String) throws(StoreError) {
        let directory = FileSystem.split(path).directory
        if FileSystem.split(directory).name == SpanStore.privateDirectoryName {
            try makePrivateDirectory(directory)
        }
        // The companions first: a foreign one stops the store before anything is created.
        for suffix in SpanStore.companionSuffixes { try check(path + suffix, createIfMissing: false) }
        try check(path, createIfMissing: true)
    }

    /// Checks the store's files again after SQLite opened them (the write-ahead log and its index exist then).
    ///
    /// - Throws: as `prepare(_:)`.
    package static func recheck(_ path: String) throws(StoreError) {
        for file in [path] + SpanStore.companionSuffixes.map({ path + $0 }) {
            try check(file, createIfMissing: false)
        }
    }

    /// Creates `directory` with mode 0700 when missing (its parents must exist), then checks it: a real directory,
    /// ours, no permission for group or others.
    ///
    /// - Throws: `StoreError.symbolicLink`, `.notOwned`, `.notAFile` (not a directory), `.directoryNotPrivate`, or
    ///   `.sqlite` with operation `.open` when `mkdir` or `lstat` fails.
    package static func makePrivateDirectory(_ directory: String) throws(StoreError) {
        do throws(SystemCallError) {
            try FileSystem.makeDirectory(directory, mode: 0o700)
        } catch {
            throw failure(directory, "mkdir", error.errno)
        }
        let status: FileStatus
        switch FileStatus.of(path: directory) {
        case .success(let s): status = s
        case .failure(let e): throw failure(directory, "lstat", e.code)
        }
        try requireOurs(status, .directory, path: directory)
        guard !status.isAccessibleByOthers else {
            throw .directoryNotPrivate(path: directory, permissions: status.permissions)
        }
    }

    /// Checks one file of the store; creates it empty with mode 0600 when missing and `createIfMissing`.
    private static func check(_ file: String, createIfMissing: Bool) throws(StoreError) {
        let status: FileStatus
        switch FileStatus.of(path: file) {
        case .success(let s):
            status = s
        case .failure(let e) where e.code == ENOENT:
            guard createIfMissing else { return }
            let fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                // Made by someone else since the lstat: check that one. Any other failure (a missing directory, no
                // permission) makes SQLite's open fail too, which reports it in its own words.
                if errno == EEXIST { return try check(file, createIfMissing: false) }
                return
            }
            POSIX.closeQuietly(fd)
            return try check(file, createIfMissing: false)
        case .failure(let e):
            throw failure(file, "lstat", e.code)
        }
        try requireOurs(status, .regular, path: file)
        guard status.isAccessibleByOthers else { return }
        let fd = open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw failure(file, "open", errno) }
        defer { POSIX.closeQuietly(fd) }
        // The file may have been replaced since the lstat: tighten only the one just checked to be ours.
        guard case .success(let opened) = FileStatus.of(descriptor: fd), opened.uid == POSIX.effectiveUserID,
            opened.kind == .regular
        else { throw .notOwned(path: file, owner: status.uid, expected: POSIX.effectiveUserID) }
        let e = POSIX.changeMode(fd, 0o600)
        guard e == 0 else { throw failure(file, "fchmod", e) }
    }

    /// Throws unless `status`, of `path`, is of `kind` and belongs to this process's effective user.
    ///
    /// - Throws: `StoreError.symbolicLink`, `.notAFile` (another kind), `.notOwned`.
    private static func requireOurs(_ status: FileStatus, _ kind: FileStatus.Kind, path: String) throws(StoreError) {
        if status.kind == .symbolicLink { throw .symbolicLink(path: path) }
        guard status.kind == kind else { throw .notAFile(path: path) }
        guard status.uid == POSIX.effectiveUserID else {
            throw .notOwned(path: path, owner: status.uid, expected: POSIX.effectiveUserID)
        }
    }

    /// The `.open` error of a failed system call on one of the store's files.
    private static func failure(_ path: String, _ call: String, _ code: Int32) -> StoreError {
        .sqlite(path: path, operation: .open, code: SQLITE_CANTOPEN, message: "\(call): \(POSIX.describe(errno: code))")
    }
}
