import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing

/// Spool directory validation (symlinks, ownership, modes) and listing (segments only, open/sealed, liveness).
@Suite struct SpoolDirectoryTests {
    @Test func refusesASymlinkedDirectory() throws {
        let tmp = TempDirectory("dir-symlink")
        defer { tmp.remove() }
        let real = tmp.file("real")
        let link = tmp.file("link")
        #expect(mkdir(real, 0o700) == 0)
        #expect(symlink(real, link) == 0)
        #expect(spoolError { _ = try SpoolDirectory(path: link) } == .directoryIsSymlink(path: link))
        #expect(spoolError { _ = try SpoolDirectory(path: link + "/") } == .directoryIsSymlink(path: link))
        #expect(spoolError { _ = try SpoolDirectory(path: link, create: false) } == .directoryIsSymlink(path: link))
        _ = try SpoolDirectory(path: real)
    }

    @Test func createsPrivateDirectoriesAndSegmentFiles() throws {
        let tmp = TempDirectory("dir-modes")
        defer { tmp.remove() }
        let path = tmp.file("a/b/spool")
        let spool = try SpoolDirectory(path: path)
        let st = try #require(fileStat(path))
        #expect(st.st_mode & S_IFMT == S_IFDIR)
        #expect(st.st_mode & 0o777 == 0o700)
        #expect(st.st_uid == geteuid())
        let writer = try SegmentWriter(directory: spool)
        #expect(writer.currentSegmentPath == nil, "no file before the first append")
        #expect(try spool.segments().isEmpty)
        try writer.append(payload: payload([(.span, [1])]), recordCount: 1)
        let open = try #require(writer.currentSegmentPath)
        #expect(try #require(fileStat(open)).st_mode & 0o777 == 0o600)
        #expect(open.hasSuffix(".open"))
        try writer.close()
        let sealed = try #require(try spool.segments().first)
        #expect(sealed.path.hasSuffix(".seg"))
        #expect(try #require(fileStat(sealed.path)).st_mode & 0o777 == 0o600)
        #expect(access(open, F_OK) != 0, "the .open name is gone after sealing")
    }

    @Test func refusesAFileAndAMissingDirectoryWithoutCreate() throws {
        let tmp = TempDirectory("dir-notdir")
        defer { tmp.remove() }
        let file = tmp.file("plain")
        writeFile(file, [1, 2, 3])
        #expect(spoolError { _ = try SpoolDirectory(path: file) } == .notADirectory(path: file))
        let missing = tmp.file("missing")
        #expect(
            spoolError { _ = try SpoolDirectory(path: missing, create: false) }
                == .io(operation: "stat", path: missing, errno: ENOENT))
        #expect(access(missing, F_OK) != 0)
    }

    @Test(.enabled(if: geteuid() == 0, "chown needs root"))
    func refusesADirectoryOwnedByAnotherUser() throws {
        let tmp = TempDirectory("dir-owner")
        defer { tmp.remove() }
        let other = tmp.file("other")
        #expect(mkdir(other, 0o700) == 0)
        #expect(chown(other, 65534, 65534) == 0)
        #expect(
            spoolError { _ = try SpoolDirectory(path: other) }
                == .directoryNotOwned(path: other, owner: 65534, expected: geteuid()))
    }

    @Test func listsSegmentsOnlyWithStateAndLiveness() throws {
        let tmp = TempDirectory("dir-list")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.file("spool"))
        let record = payload([(.span, Array("x".utf8))])

        let sealedWriter = try SegmentWriter(directory: spool)
        try sealedWriter.append(payload: record, recordCount: 1)
        try sealedWriter.close()
        let liveWriter = try SegmentWriter(directory: spool)
        try liveWriter.append(payload: record, recordCount: 1)
        do {
            // A writer that goes away without sealing: its descriptor (and lock) is closed, its segment stays open.
            let dropped = try SegmentWriter(directory: spool)
            try dropped.append(payload: record, recordCount: 1)
        }

        let first = try #require(try spool.segments().first).name
        writeFile(spool.path(of: "notes.txt"), [1])
        writeFile(spool.path(of: first.checkpointFileName), [1])
        writeFile(spool.path(of: first.leaseFileName), [])
        writeFile(spool.path(of: ".00000000000000000009-h-1-0000abcd.tmp"), [1])
        writeFile(spool.path(of: "1234-host-1-abcdefgh.seg"), [1])
        writeFile(spool.path(of: "00000000000000000003-host-x-0000abcd.seg"), [1])
        #expect(mkdir(spool.path(of: "dead-letter"), 0o700) == 0)
        #expect(mkdir(spool.path(of: "00000000000000000001-h-1-0000abcd.seg"), 0o700) == 0)
        #expect(symlink(spool.path(of: first.fileName), spool.path(of: "00000000000000000002-h-2-0000abcd.seg")) == 0)

        let segments = try spool.segments()
        #expect(segments.count == 3)
        #expect(segments.map(\.name.state) == [.sealed, .open, .open])
        #expect(segments.map(\.state) == [.sealed, .live, .abandoned])
        #expect(segments.allSatisfy { $0.name.pid == getpid() })
        #expect(segments[1].path == liveWriter.currentSegmentPath)
        #expect(SpoolDirectory.writerHoldsLock(segments[1].path))
        #expect(!SpoolDirectory.writerHoldsLock(segments[2].path))
        for s in segments {
            #expect(s.sizeBytes == Int(try #require(fileStat(s.path)).st_size))
            #expect(s.path == spool.path(of: s.name.fileName))
            #expect(try readSegment(s.path).frames.count == 1)
        }
        try liveWriter.close()
        #expect(try spool.segments().map(\.name.state) == [.sealed, .sealed, .open])
    }

    @Test func segmentNamesRoundTripAndSort() throws {
        let identity = WriterIdentity(pid: 31337, host: "my host-name/ü.example", startUnixNanos: 5)
        let a = SegmentName.make(createdUnixNanos: 1_700_000_000_000_000_001, identity: identity)
        let b = SegmentName.make(createdUnixNanos: 1_700_000_000_000_000_002, identity: identity)
        #expect(a.state == .open && a.pid == 31337)
        #expect(a.host == "my_host_name___.example")
        #expect(a.fileName.hasPrefix("01700000000000000001-my_host_name___.example-31337-"))
        #expect(a < b)
        #expect(SegmentName(fileName: a.fileName) == a)
        #expect(SegmentName(fileName: a.with(state: .sealed).fileName) == a.with(state: .sealed))
        #expect(a.with(state: .sealed).fileName == a.base + ".seg")
        #expect(a.temporaryFileName == "." + a.base + ".tmp")
        #expect(SegmentName(temporaryFileName: a.temporaryFileName) == a)
        for notTemporary in [a.fileName, a.base + ".tmp", ".notes.tmp", "." + a.base + ".tmp-1-2"] {
            #expect(SegmentName(temporaryFileName: notTemporary) == nil, "\(notTemporary)")
        }
        let empty = SegmentName.make(createdUnixNanos: 7, identity: WriterIdentity(pid: 1, host: "", startUnixNanos: 0))
        #expect(empty.host == "unknown")
        #expect(SegmentName(fileName: empty.fileName)?.createdUnixNanos == 7)
        let long = SegmentName.make(
            createdUnixNanos: 7,
            identity: WriterIdentity(pid: 1, host: String(repeating: "h", count: 300), startUnixNanos: 0))
        #expect(long.host.utf8.count == SpoolLimits.maxHostNameBytes)
        for bad in [
            "x.seg", "a-b-c-d.seg", "0000000000000000001-h-1-0000abcd.seg", "00000000000000000001-h-1-0000abcz.seg",
            "00000000000000000001-h-x-0000abcd.seg", "00000000000000000001-h-1-0000abcd.seg.tmp",
            "00000000000000000001-h-1-0000abcd", "00000000000000000001-h-1-abcd.open",
        ] {
            #expect(SegmentName(fileName: bad) == nil, "\(bad)")
        }
    }
}
