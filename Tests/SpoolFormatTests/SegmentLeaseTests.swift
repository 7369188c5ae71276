import SpoolBase
import SpoolFormat
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The lease (taken by uploaders, probed by other tools), the checkpoint file, segment states and opening a listed
/// segment that was sealed since.
@Suite struct SegmentLeaseTests {
    @Test func oneHolderAtATimeAndProbesSeeIt() throws {
        let tmp = TempDirectory("lease")
        defer { tmp.remove() }
        let path = tmp.file(SegmentName.leaseFileName(base: "x"))
        #expect(!SegmentLease.isHeld(path: path), "no file: not held")
        var lease = try SegmentLease.acquire(path: path)
        #expect(lease != nil)
        #expect(try SegmentLease.acquire(path: path) == nil, "a second holder waits its turn")
        #expect(SegmentLease.isHeld(path: path))
        #expect(SegmentLease.isHeld(path: path), "probing does not take it")
        lease = nil
        #expect(!SegmentLease.isHeld(path: path), "released when its holder goes")
        let again = try #require(try SegmentLease.acquire(path: path))
        again.removeFile()
        #expect(fileStat(path) == nil)
        #expect(mkdir(tmp.file("dir.lease"), 0o700) == 0)
        #expect(!SegmentLease.isHeld(path: tmp.file("dir.lease")))
        #expect(throws: SpoolError.self) { try SegmentLease.acquire(path: tmp.file("missing/x.lease")) }
    }

    @Test func checkpointRoundTripsAndRejectsGarbage() {
        let c = SegmentCheckpoint(offset: 1234, sequence: 7, recordsSent: 3)
        #expect(SegmentCheckpoint(decoding: c.encoded()) == c)
        #expect(SegmentCheckpoint(decoding: Array("garbage".utf8)) == nil)
        #expect(SegmentCheckpoint(decoding: Array("tracespool-ack v1 offset=-1 sequence=0 records=0\n".utf8)) == nil)
    }

    @Test func checkpointsAreReplacedAtomicallyWithNothingLeftBehind() throws {
        let tmp = TempDirectory("checkpoint")
        defer { tmp.remove() }
        let path = tmp.file(SegmentName.checkpointFileName(base: "x"))
        #expect(SegmentCheckpoint.read(path) == nil)
        try SegmentCheckpoint(offset: 60).write(to: path)
        try SegmentCheckpoint(offset: 4096, sequence: 9, recordsSent: 2).write(to: path)
        #expect(SegmentCheckpoint.read(path) == SegmentCheckpoint(offset: 4096, sequence: 9, recordsSent: 2))
        #expect(readFile(path) == Array("tracespool-ack v1 offset=4096 sequence=9 records=2\n".utf8))
        #expect(try FileSystem.listDirectory(tmp.path) == ["x.ack"])
        #expect(throws: SpoolError.self) { try SegmentCheckpoint(offset: 1).write(to: tmp.file("missing/x.ack")) }
    }

    @Test func statesAreProbedAndAListedSegmentIsFollowedToItsSeal() throws {
        let tmp = TempDirectory("listed")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.path)
        let writer = try SegmentWriter(directory: spool)
        try writer.append(payload: payload([(.span, [1, 2, 3])]), recordCount: 1)
        let listed = try #require(try spool.segments().first)
        #expect(listed.state == .live)
        #expect(SegmentState(probing: listed.path, isOpen: true) == .live)
        #expect(SegmentState(probing: listed.path, isOpen: false) == .sealed)
        try writer.close()
        #expect(SegmentState(probing: listed.path, isOpen: true) == .abandoned, "gone: no writer holds it")

        // Listed `.open`, sealed since: opened under its `.seg` name.
        let reader = try SegmentReader.openListed(path: listed.path)
        #expect(reader.path == spool.path(of: listed.name.with(state: .sealed).fileName))
        #expect(reader.isSealed)
        #expect(reader.nextFrame()?.records.map(\.body) == [[1, 2, 3]])

        // Gone under both names.
        unlink(reader.path)
        #expect(throws: SpoolError.io(operation: "open", path: reader.path, errno: ENOENT)) {
            try SegmentReader.openListed(path: listed.path)
        }
        // Only a segment name listed `.open` is followed.
        let custom = tmp.file("custom.open")
        #expect(throws: SpoolError.io(operation: "open", path: custom, errno: ENOENT)) {
            try SegmentReader.openListed(path: custom)
        }
    }
}
