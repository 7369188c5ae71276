import SpoolFormat
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `SpoolDirectory.sweepLeftovers` on real files, with the clock injected (file times are set, nothing sleeps).
@Suite struct SpoolSweepTests {
    static let now = 2_000_000_000
    static let minimumAge = 60

    /// Sets the modification time of `path` (not following a symbolic link) to `unixSeconds`.
    func setModified(_ path: String, _ unixSeconds: Int) {
        var times = [timespec(tv_sec: unixSeconds, tv_nsec: 0), timespec(tv_sec: unixSeconds, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &times, AT_SYMLINK_NOFOLLOW) == 0)
    }

    func base(_ n: Int) -> String { "0000000000000000000\(n)-host.x-\(n)-0000abcd" }

    @Test func everyKindOfLeftoverIsRemovedAndNothingElse() throws {
        let tmp = TempDirectory("sweep")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.path)
        let sealedWriter = try SegmentWriter(directory: spool)
        try sealedWriter.append(payload: [1, 2, 3], recordCount: 0)
        try sealedWriter.close()
        let liveWriter = try SegmentWriter(directory: spool)
        try liveWriter.append(payload: [1, 2, 3], recordCount: 0)
        let segments = try spool.segments()
        try #require(segments.map(\.state) == [.sealed, .live])
        let sealed = segments[0].name
        let live = segments[1].name
        let orphan = try #require(SegmentName(fileName: base(1) + ".seg"))

        let old = Self.now - Self.minimumAge
        let young = Self.now - Self.minimumAge + 1
        // (name, modification time, removed as)
        let files: [(String, Int, SweptFile.Kind?)] = [
            (sealed.checkpointFileName, 0, nil), (sealed.leaseFileName, 0, nil),
            (live.checkpointFileName, 0, nil), (live.leaseFileName, 0, nil),
            (orphan.checkpointFileName, young, .orphanCheckpoint), (orphan.leaseFileName, young, .orphanLease),
            (orphan.salvageMarkerFileName, old, nil),
            ("." + base(2) + ".tmp", old, .segmentTemporary),
            ("." + base(3) + ".tmp", old, nil),  // locked below: a writer is creating it
            ("." + base(4) + ".tmp", young, nil),
            ("." + base(1) + ".ack.tmp-4242-17", old, .checkpointTemporary),
            ("." + sealed.base + ".ack.tmp-4242-18", old - 1000, .checkpointTemporary),
            // Young, but nobody holds the segment's lease: the uploader that wrote it is gone.
            ("." + sealed.base + ".ack.tmp-4242-19", young, .checkpointTemporary),
            // Young, and the segment's lease is held (locked below): an uploader is writing it.
            ("." + live.base + ".ack.tmp-4242-20", young, nil),
            (".notes.tmp", old, nil), ("notes.ack", old, nil), ("notes.lease", old, nil),
            (".notes.ack.tmp-1-2", old, nil), ("unrelated.txt", old, nil),
            ("invocation-8476a536-e9f4.done", old, .staleInvocationMarker), ("invocation-r-2.done", young, nil),
            ("unrelated.done", old, nil), ("invocation-a.b.done", old, nil),
        ]
        for (name, modified, _) in files {
            writeFile(spool.path(of: name), [1])
            setModified(spool.path(of: name), modified)
        }
        // Not regular files: never removed.
        #expect(mkdir(spool.path(of: SpoolFile.deadLetterDirectoryName), 0o700) == 0)
        #expect(mkdir(spool.path(of: base(5) + ".ack"), 0o700) == 0)
        #expect(symlink("/nonexistent", spool.path(of: "." + base(6) + ".tmp")) == 0)
        setModified(spool.path(of: "." + base(6) + ".tmp"), old)
        let lockFD = open(spool.path(of: "." + base(3) + ".tmp"), O_RDONLY)
        #expect(lockFD >= 0 && flock(lockFD, LOCK_EX) == 0)
        defer { close(lockFD) }
        let leaseFD = open(spool.path(of: live.leaseFileName), O_RDONLY)
        #expect(leaseFD >= 0 && flock(leaseFD, LOCK_EX) == 0)
        defer { close(leaseFD) }

        let swept = spool.sweepLeftovers(nowUnixSeconds: Self.now, minimumAgeSeconds: Self.minimumAge)
        let expected = files.compactMap { name, _, kind in kind.map { SweptFile(fileName: name, kind: $0) } }
        #expect(Set(swept) == Set(expected))
        #expect(swept.count == expected.count)
        for (name, _, kind) in files {
            #expect(fileStat(spool.path(of: name)) == nil ? kind != nil : kind == nil, "\(name)")
        }
        for kept in [SpoolFile.deadLetterDirectoryName, base(5) + ".ack", "." + base(6) + ".tmp"] {
            var st = stat()
            #expect(lstat(spool.path(of: kept), &st) == 0, "\(kept)")
        }
        #expect(try spool.segments().map(\.name) == [sealed, live])
        #expect(spool.sweepLeftovers(nowUnixSeconds: Self.now, minimumAgeSeconds: Self.minimumAge).isEmpty)
        try liveWriter.close()
    }

    @Test func theCompanionsOfASegmentSealedSinceItWasListedAreKept() throws {
        let tmp = TempDirectory("sweep-sealed")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.path)
        let writer = try SegmentWriter(directory: spool)
        try writer.append(payload: [1], recordCount: 0)
        let open = try #require(try spool.segments().first).name
        writeFile(spool.path(of: open.checkpointFileName), [1])
        try writer.close()
        #expect(spool.sweepLeftovers(nowUnixSeconds: Self.now, minimumAgeSeconds: 0).isEmpty)
        #expect(fileStat(spool.path(of: open.checkpointFileName)) != nil)
    }
}
