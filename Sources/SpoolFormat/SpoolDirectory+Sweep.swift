import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SpoolDirectory {
    /// Removes what dead writers and uploaders left in the directory, and returns what it removed:
    ///
    /// - `<base>.ack` and `<base>.lease` whose segment exists under neither `<base>.seg` nor `<base>.open` (an
    ///   uploader died between deleting a finished segment and its companions);
    /// - a writer's `.<base>.tmp` that no writer holds locked and that was last modified at least
    ///   `minimumAgeSeconds` before `nowUnixSeconds` (a writer holds the lock from just after creating the file until
    ///   the segment is sealed or given up, so the age only covers the instant between `open` and `flock`);
    /// - an uploader's `.<base>.ack.tmp-<pid>-<random>` when nobody holds the segment's lease (checkpoints are
    ///   written only under the lease, and a live uploader keeps the file only while it writes and `fsync`s one, so
    ///   the file of a holder that released or lost the lease is an orphan), or when it was last modified at least
    ///   `minimumAgeSeconds` before `nowUnixSeconds`;
    /// - an invocation marker `invocation-<id>.done` last modified at least `minimumAgeSeconds` before
    ///   `nowUnixSeconds` (`InvocationMarker`: a marker is acted on within its invocation, or never).
    ///
    /// Only regular files with those names are removed; every other name, and everything of live writers, live
    /// uploaders and segments that exist, is left alone. Safe beside live writers, uploaders and readers; a failed
    /// removal is skipped (the next sweep tries again).
    ///
    /// - Parameters:
    ///   - nowUnixSeconds: the current time, in seconds since the Unix epoch.
    ///   - minimumAgeSeconds: how old a temporary file must be to count as a dead process's (the uploader uses 60).
    /// - Returns: the removed files, in directory order.
    package func sweepLeftovers(nowUnixSeconds: Int, minimumAgeSeconds: Int) -> [SweptFile] {
        var swept: [SweptFile] = []
        for fileName in (try? FileSystem.listDirectory(path)) ?? [] {
            let kind: SweptFile.Kind
            switch SpoolFile(fileName: fileName) {
            case .checkpoint(let base) where isRegularFile(fileName) && !segmentExists(base: base):
                kind = .orphanCheckpoint
            case .lease(let base) where isRegularFile(fileName) && !segmentExists(base: base):
                kind = .orphanLease
            case .segmentTemporary
            where isRegularFile(fileName, modifiedBefore: nowUnixSeconds - minimumAgeSeconds)
                && !Self.writerHoldsLock(path(of: fileName)):
                kind = .segmentTemporary
            case .checkpointTemporary(let base)
            where isRegularFile(fileName)
                && (isRegularFile(fileName, modifiedBefore: nowUnixSeconds - minimumAgeSeconds)
                    || !SegmentLease.isHeld(path: path(of: SegmentName.leaseFileName(base: base)))):
                kind = .checkpointTemporary
            default:
                guard InvocationMarker.requestID(fromFileName: fileName) != nil,
                    isRegularFile(fileName, modifiedBefore: nowUnixSeconds - minimumAgeSeconds)
                else { continue }
                kind = .staleInvocationMarker
            }
            if unlink(path(of: fileName)) == 0 { swept.append(SweptFile(fileName: fileName, kind: kind)) }
        }
        return swept
    }

    /// Whether the segment `base` exists, sealed or open.
    private func segmentExists(base: String) -> Bool {
        [SegmentName.State.sealed, .open].contains {
            FileSystem.exists(path(of: SegmentName.fileName(base: base, state: $0)))
        }
    }

    /// Whether `fileName` is a regular file (not followed if a symbolic link) last modified no later than
    /// `modifiedBefore` (Unix seconds; nil: any time).
    private func isRegularFile(_ fileName: String, modifiedBefore latest: Int? = nil) -> Bool {
        var st = stat()
        guard lstat(path(of: fileName), &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        #if canImport(Darwin)
            let modified = Int(st.st_mtimespec.tv_sec)
        #else
            let modified = Int(st.st_mtim.tv_sec)
        #endif
        return latest.map { modified <= $0 } ?? true
    }
}
