import SpoolBase
public import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SegmentBuilder {
    /// How `write(into:as:baseName:)` leaves a segment file.
    public enum FileState: Sendable {
        /// `<base>.seg`: complete and immutable. A partial frame at its end is damage (`truncated_frame`).
        case sealed
        /// `<base>.open` with no writer holding its lock: left by a writer that died. Readers salvage it; a partial
        /// frame at its end is a torn tail, not damage.
        case abandoned
    }

    /// Writes `bytes` as a new segment file into the spool directory `directory` (created with mode 0700 when
    /// missing), with mode 0600.
    ///
    /// - Parameters:
    ///   - directory: the spool directory.
    ///   - state: sealed (`.seg`, the default) or abandoned (`.open`, unlocked). For an open segment whose writer
    ///     lives, use `writeLive(into:baseName:)`.
    ///   - baseName: the file name without extension (default: a new unique segment name from the header's
    ///     creation time, host and pid, as writers make them). Readers ignore files whose names are not segment
    ///     names (`<20-digit ns>-<host>-<pid>-<8 hex digits>`).
    /// - Returns: the file's path.
    /// - Throws: `SpoolError` when the directory is not a usable spool directory or the file cannot be created
    ///   (`.io` with `EEXIST` when it exists) or written.
    @discardableResult
    public func write(
        into directory: String, as state: FileState = .sealed, baseName: String? = nil
    ) throws(SpoolError) -> String {
        let spool = try SpoolDirectory(path: directory)
        let base = baseName ?? SegmentName.make(createdUnixNanos: header.createdUnixNanos, identity: header.writer).base
        let path = spool.path(of: SegmentName.fileName(base: base, state: state == .sealed ? .sealed : .open))
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "create", path: path, errno: errno) }
        defer { close(fd) }
        let failed = POSIX.writeAll(fd, bytes)
        guard failed == 0 else { throw .io(operation: "write", path: path, errno: failed) }
        return path
    }

    /// Writes `bytes` as the `.open` segment of a live writer, as a writer creates one: a hidden `.<base>.tmp` file
    /// (mode 0600) is locked (`flock`, exclusive), written and renamed to `<base>.open`. The returned segment holds
    /// the lock, so readers see a live writer, until it is sealed, abandoned or released.
    ///
    /// - Parameters:
    ///   - directory: the spool directory (created with mode 0700 when missing).
    ///   - baseName: as for `write(into:as:baseName:)`.
    /// - Throws: `SpoolError` when the directory is not a usable spool directory, or the file cannot be created,
    ///   locked, written or renamed.
    public func writeLive(into directory: String, baseName: String? = nil) throws(SpoolError) -> LiveSegment {
        let spool = try SpoolDirectory(path: directory)
        let base = baseName ?? SegmentName.make(createdUnixNanos: header.createdUnixNanos, identity: header.writer).base
        let temporary = spool.path(of: SegmentName.temporaryFileName(base: base))
        let path = spool.path(of: SegmentName.fileName(base: base, state: .open))
        let fd = open(temporary, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io(operation: "create", path: temporary, errno: errno) }
        do throws(SpoolError) {
            let locked = POSIX.lock(fd, LOCK_EX | LOCK_NB)
            guard locked == 0 else { throw .io(operation: "flock", path: temporary, errno: locked) }
            let failed = POSIX.writeAll(fd, bytes)
            guard failed == 0 else { throw .io(operation: "write", path: temporary, errno: failed) }
            guard rename(temporary, path) == 0 else { throw .io(operation: "rename", path: temporary, errno: errno) }
        } catch {
            unlink(temporary)
            close(fd)
            throw error
        }
        return LiveSegment(descriptor: fd, path: path)
    }
}
