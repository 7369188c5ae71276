import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing

/// Several writer processes share one spool directory: names never collide, every segment reads clean, each
/// segment holds one process's records only, and every record of every child is present exactly once, in order.
@Suite struct MultiProcessWriterTests {
    @Test func fourChildProcessesInOneDirectory() throws {
        let tmp = TempDirectory("multiproc")
        defer { tmp.remove() }
        let dir = tmp.file("spool")
        let (children, frames, perFrame) = (4, 600, 20)
        let processes = try (0..<children).map { _ in
            try ChildWriter.spawn([dir, String(frames), String(perFrame), "--max-segment-bytes", "65536"])
        }
        for p in processes {
            p.waitUntilExit()
            #expect(p.terminationReason == .exit && p.terminationStatus == 0)
        }
        let pids = Set(processes.map(\.processIdentifier))
        let segments = try SpoolDirectory(path: dir, create: false).segments()
        #expect(Set(segments.map(\.name.base)).count == segments.count)
        #expect(Set(segments.map(\.name.pid)) == pids)
        #expect(segments.count >= 2 * children, "each child should rotate at least once")

        var indexes: [Int32: [Int]] = [:]
        for segment in segments {
            #expect(segment.name.state == .sealed)
            let r = try readSegment(segment.path)
            #expect(r.damages.isEmpty, "\(segment.name): \(r.damages)")
            #expect(r.tail == .clean)
            #expect(r.header.writer.pid == segment.name.pid)
            #expect(r.frames.map(\.header.sequence) == (0..<UInt64(r.frames.count)).map { $0 })
            for record in r.records {
                let parsed = try #require(TestWriterWorkload.parse(record.body), "foreign record in \(segment.name)")
                #expect(parsed.pid == segment.name.pid, "records of two processes in \(segment.name)")
                indexes[parsed.pid, default: []].append(parsed.index)
            }
        }
        for pid in pids {
            #expect(
                indexes[pid] == Array(0..<(frames * perFrame)), "child \(pid): records missing, doubled or reordered")
        }
    }
}
