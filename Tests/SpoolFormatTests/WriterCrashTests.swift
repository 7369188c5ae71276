import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing

/// A writer process killed with SIGKILL in the middle of writing: its `.open` segment is left unlocked
/// (abandoned), and every complete frame reads back with consecutive sequence numbers; a partial last frame is the
/// tail, never damage.
@Suite struct WriterCrashTests {
    @Test func sigkilledWriterLeavesAnAbandonedReadableSegment() throws {
        let tmp = TempDirectory("sigkill")
        defer { tmp.remove() }
        let dir = tmp.file("spool")
        let perFrame = 10
        let child = try ChildWriter.spawn([dir, "0", String(perFrame), "--forever", "--pause-micros", "200"])
        var live: SegmentInfo?
        let grew = try ChildWriter.waitUntil {
            guard access(dir, F_OK) == 0 else { return false }
            live = try SpoolDirectory(path: dir, create: false).segments().first { $0.sizeBytes > 48 << 10 }
            return live != nil
        }
        guard grew, let segment = live else {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            Issue.record("the child never wrote 48 KiB")
            return
        }
        #expect(segment.name.state == .open)
        #expect(segment.name.pid == child.processIdentifier)
        #expect(segment.state == .live, "a live writer in another process holds the lock")

        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)

        let after = try SpoolDirectory(path: dir, create: false).segments()
        #expect(after.count == 1)
        let left = try #require(after.first)
        #expect(left.name == segment.name)
        #expect(left.state == .abandoned)
        #expect(!SpoolDirectory.writerHoldsLock(left.path))

        let r = try readSegment(left.path)
        #expect(r.damages.isEmpty, "\(r.damages)")
        #expect(!r.frames.isEmpty)
        #expect(r.frames.map(\.header.sequence) == (0..<UInt64(r.frames.count)).map { $0 })
        let end = r.frames.last?.endOffset ?? r.headerLength
        switch r.tail {
        case .clean: #expect(end == left.sizeBytes)
        case .partialFrame(let offset, let length): #expect(offset == end && offset + length == left.sizeBytes)
        }
        let records = try r.records.map { try #require(TestWriterWorkload.parse($0.body)) }
        #expect(records.allSatisfy { $0.pid == child.processIdentifier })
        #expect(records.map(\.index) == Array(0..<(r.frames.count * perFrame)))
    }
}
