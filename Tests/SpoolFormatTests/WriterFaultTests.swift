import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing

/// Real faults under a writer: a full file system, its open segment deleted, its spool directory deleted.
@Suite struct WriterFaultTests {
    /// Runs a command and returns its exit status.
    static func run(_ tool: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(.enabled(if: geteuid() == 0, "mounting a tmpfs needs root"))
    func fullFileSystemFailsTheAppendAndLeavesTheSegmentReadable() throws {
        let tmp = TempDirectory("enospc")
        defer { tmp.remove() }
        let mnt = tmp.file("mnt")
        #expect(mkdir(mnt, 0o700) == 0)
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", mnt]) == 0 else {
            print("note: skipping the full-file-system test: cannot mount a tmpfs here (no CAP_SYS_ADMIN?)")
            return
        }
        defer { _ = Self.run("/bin/umount", ["-l", mnt]) }
        let filler = mnt + "/filler"
        writeFile(filler, [UInt8](repeating: 0xAB, count: 64 << 10))
        let spool = try SpoolDirectory(path: mnt + "/spool")
        let writer = try SegmentWriter(directory: spool, options: SegmentWriterOptions(compress: false))
        var rng = SplitMix64(seed: 404)
        var written: [[UInt8]] = []
        var failure: SpoolError?
        for _ in 0..<100 {
            let p = payload([(.span, rng.bytes(8000))])
            if let error = spoolError({ try writer.append(payload: p, recordCount: 1) }) {
                failure = error
                break
            }
            written.append(p)
        }
        let path = try #require(writer.currentSegmentPath)
        guard case .io(let operation, let failedPath, let errno) = failure else {
            Issue.record("expected an io error, got \(String(describing: failure))")
            return
        }
        #expect(errno == ENOSPC)
        #expect(operation == "write" && failedPath == path)
        #expect(failure?.description.contains("free disk space") == true)
        #expect(written.count > 5)

        var r = try readSegment(path)
        #expect(r.frames.map(\.payload) == written)
        #expect(r.damages.isEmpty)
        #expect(r.tail == .clean, "the failed frame was cut off again")

        // Free space: writing resumes in the same segment with the next sequence number.
        #expect(unlink(filler) == 0)
        let p = payload([(.span, rng.bytes(8000))])
        let location = try writer.append(payload: p, recordCount: 1)
        written.append(p)
        #expect(location.sequence == UInt64(written.count - 1))
        #expect(writer.currentSegmentPath == path)
        try writer.sync()
        try writer.close()
        let segments = try spool.segments()
        #expect(segments.count == 1)
        r = try readSegment(try #require(segments.first).path)
        #expect(r.frames.map(\.payload) == written)
        #expect(r.frames.map(\.header.sequence) == (0..<UInt64(written.count)).map { $0 })
        #expect(r.damages.isEmpty && r.tail == .clean)
    }

    @Test func deletedOpenSegmentThrowsVanishedAndTheNextAppendStartsANewOne() throws {
        let tmp = TempDirectory("vanished")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.file("spool"))
        let writer = try SegmentWriter(directory: spool)
        try writer.append(payload: payload([(.span, [1])]), recordCount: 1)
        try writer.append(payload: payload([(.span, [2])]), recordCount: 1)
        let first = try #require(writer.currentSegmentPath)
        #expect(unlink(first) == 0)
        #expect(spoolError { try writer.sync() } == .segmentVanished(path: first))
        #expect(writer.currentSegmentPath == nil)
        let location = try writer.append(payload: payload([(.span, [3])]), recordCount: 1)
        #expect(location.sequence == 0)
        let second = try #require(writer.currentSegmentPath)
        #expect(second != first)
        try writer.sync()
        try writer.close()
        let segments = try spool.segments()
        #expect(segments.count == 1)
        let r = try readSegment(try #require(segments.first).path)
        #expect(r.records.map { Array($0.body) } == [[3]])
    }

    @Test func deletedSpoolDirectoryIsRecreatedForTheNextSegment() throws {
        let tmp = TempDirectory("rmdir")
        defer { tmp.remove() }
        let dir = tmp.file("spool")
        let spool = try SpoolDirectory(path: dir)
        let writer = try SegmentWriter(directory: spool)

        // Deleted between segments.
        try writer.append(payload: payload([(.span, [1])]), recordCount: 1)
        try writer.seal()
        try FileManager.default.removeItem(atPath: dir)
        try writer.append(payload: payload([(.span, [2])]), recordCount: 1)
        #expect(try #require(fileStat(dir)).st_mode & 0o777 == 0o700)
        try writer.sync()

        // Deleted under an open segment.
        try FileManager.default.removeItem(atPath: dir)
        #expect(spoolError { try writer.sync() }.map { if case .segmentVanished = $0 { true } else { false } } == true)
        try writer.append(payload: payload([(.span, [3])]), recordCount: 1)
        try writer.close()
        let segments = try SpoolDirectory(path: dir, create: false).segments()
        #expect(segments.count == 1)
        let r = try readSegment(try #require(segments.first).path)
        #expect(r.records.map { Array($0.body) } == [[3]])
        #expect(r.damages.isEmpty && r.tail == .clean)
    }

    /// `SpoolLimits`: writers never produce values beyond the limits. A Resource and scope too large for a segment
    /// header (1 MiB) must be refused up front, not written into segments no reader accepts.
    @Test func aResourceTooLargeForTheSegmentHeaderIsRefused() throws {
        let tmp = TempDirectory("bigresource")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.path)
        let resource = [UInt8](repeating: 0x41, count: SpoolLimits.maxSegmentHeaderBytes)
        let error = spoolError {
            let writer = try SegmentWriter(directory: spool, options: SegmentWriterOptions(resource: resource))
            try writer.append(payload: payload([(.span, [1])]), recordCount: 1)
            try writer.close()
        }
        guard case .tooLarge(_, let bytes, let limit) = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            for s in try spool.segments() {
                #expect(
                    spoolError { _ = try SegmentReader(path: s.path) } == nil, "the writer made an unreadable segment")
            }
            return
        }
        #expect(bytes > limit && limit == SpoolLimits.maxSegmentHeaderBytes)
        #expect(try spool.segments().isEmpty)

        // Just below the limit is fine.
        let fits = [UInt8](repeating: 0x41, count: SpoolLimits.maxSegmentHeaderBytes - 60 - 64 - 1)
        let writer = try SegmentWriter(
            directory: spool,
            options: SegmentWriterOptions(
                resource: fits,
                identity: WriterIdentity(pid: 1, host: String(repeating: "h", count: 64), startUnixNanos: 0)))
        try writer.append(payload: payload([(.span, [1])]), recordCount: 1)
        try writer.close()
        let r = try readSegment(try #require(try spool.segments().first).path)
        #expect(r.header.resource == fits && r.frames.count == 1)
    }

    /// A spool directory replaced by a symbolic link while a writer runs: the next segment is refused, not created
    /// wherever the link points.
    @Test func aSpoolDirectoryReplacedByASymlinkIsRefused() throws {
        let tmp = TempDirectory("swapdir")
        defer { tmp.remove() }
        let dir = tmp.file("spool")
        let elsewhere = tmp.file("elsewhere")
        #expect(mkdir(elsewhere, 0o700) == 0)
        let writer = try SegmentWriter(directory: try SpoolDirectory(path: dir))
        try writer.append(payload: payload([(.span, [1])]), recordCount: 1)
        try writer.seal()
        try FileManager.default.removeItem(atPath: dir)
        #expect(symlink(elsewhere, dir) == 0)
        #expect(
            spoolError { try writer.append(payload: payload([(.span, [2])]), recordCount: 1) }
                == .directoryIsSymlink(path: dir))
        #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere).isEmpty)
        try writer.close()
    }

    /// The writer's counters and sync state.
    @Test func writerCountersAndSyncState() throws {
        let tmp = TempDirectory("counters")
        defer { tmp.remove() }
        let writer = try SegmentWriter(directory: try SpoolDirectory(path: tmp.path))
        #expect(!writer.hasUnsyncedData && writer.currentSegmentBytes == 0 && writer.framesWritten == 0)
        let a = try writer.append(payload: payload([(.span, [1, 2, 3])]), recordCount: 1)
        #expect(writer.hasUnsyncedData)
        #expect(writer.currentSegmentBytes == a.offset + a.length)
        #expect(writer.bytesWritten == a.length && writer.framesWritten == 1)
        try writer.sync()
        #expect(!writer.hasUnsyncedData)
        let b = try writer.append(payload: payload([(.span, [4])]), recordCount: 1)
        #expect(b.offset == a.offset + a.length && b.sequence == 1 && writer.hasUnsyncedData)
        try writer.seal()
        #expect(!writer.hasUnsyncedData && writer.currentSegmentPath == nil && writer.currentSegmentBytes == 0)
        #expect(writer.segmentsSealed == 1)
        try writer.seal()
        try writer.close()
        try writer.close()
        #expect(writer.segmentsSealed == 1, "sealing and closing again are no-ops")
    }
}
