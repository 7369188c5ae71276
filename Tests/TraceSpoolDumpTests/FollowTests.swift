import Foundation
import OTLPWire
import SpoolFormat
import Synchronization
import Testing

@testable import TraceSpoolDump

@Suite struct FollowTests {
    private func spanIDs(_ text: String) -> [String] {
        text.split(separator: "\n").map { String($0.split(separator: " ", omittingEmptySubsequences: true)[3]) }
    }

    @Test func pollsPickUpAppendsSealsAndNewSegments() throws {
        let spool = TempSpool()
        let w = try Fixture.writer(spool)
        try Fixture.append(w, [Fixture.span(1, 1, name: "a", from: 0, to: 1)])
        let follower = SpanFollower(input: try SpoolInput(path: spool.path))
        var out = ""
        #expect(follower.poll(to: &out) == 1)
        #expect(follower.poll(to: &out) == 0)
        try Fixture.append(
            w, [Fixture.span(1, 2, name: "b", from: 1, to: 2), Fixture.span(1, 3, name: "c", from: 2, to: 3)])
        #expect(follower.poll(to: &out) == 2)
        // More frames, then the writer seals (rename to .seg) before the next poll: nothing is lost or repeated.
        try Fixture.append(w, [Fixture.span(1, 4, name: "d", from: 3, to: 4)])
        try w.seal()
        #expect(follower.poll(to: &out) == 1)
        // A new segment appears.
        try Fixture.append(w, [Fixture.span(2, 1, name: "e", from: 4, to: 5)])
        #expect(follower.poll(to: &out) == 1)
        try w.close()
        #expect(follower.poll(to: &out) == 0)
        #expect(
            spanIDs(out) == [
                "0100000000000001", "0100000000000002", "0100000000000003", "0100000000000004", "0200000000000001",
            ])
        #expect(follower.diagnostics.count == 0)
    }

    @Test func newOnlySkipsWhatIsAlreadyThere() throws {
        let spool = TempSpool()
        let w = try Fixture.writer(spool)
        try Fixture.append(w, [Fixture.span(1, 1, name: "old", from: 0, to: 1)])
        let follower = SpanFollower(input: try SpoolInput(path: spool.path), skipExisting: true)
        var out = ""
        #expect(follower.poll(to: &out) == 0)
        try Fixture.append(w, [Fixture.span(1, 2, name: "new", from: 1, to: 2)])
        #expect(follower.poll(to: &out) == 1)
        try w.close()
        #expect(spanIDs(out) == ["0100000000000002"])
    }

    @Test func followWhileAnotherThreadAppendsStopsAfterNSpans() throws {
        let spool = TempSpool()
        let path = spool.path
        let follower = SpanFollower(
            input: try SpoolInput(path: path), filter: try SpanFilter(nameContains: "keep"), json: true)
        let writerDone = DoneFlag()
        let appender = Thread {
            defer { writerDone.set() }
            guard let dir = try? SpoolDirectory(path: path, create: false),
                let w = try? SegmentWriter(directory: dir, options: SegmentWriterOptions(maxSegmentBytes: 64 << 10))
            else { return }
            for i in 0..<40 {
                let name = i % 2 == 0 ? "keep-\(i)" : "skip-\(i)"
                let body = Fixture.span(5, UInt8(i + 1), name: name, from: UInt64(i), to: UInt64(i + 1)).serialized()
                var payload: [UInt8] = []
                RecordEncoding.append(type: .span, body: body, to: &payload)
                _ = try? w.append(payload: payload, recordCount: 1)
                usleep(2_000)
            }
            try? w.close()
        }
        appender.start()
        var out = ""
        let deadline = Date().addingTimeInterval(60)
        let printed = follower.run(limit: 15, intervalMillis: 5, shouldStop: { Date() > deadline }, to: &out)
        #expect(printed == 15)
        let names = try out.split(separator: "\n").map {
            try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["name"] as? String
        }
        #expect(names == (0..<15).map { "keep-\($0 * 2)" })
        while !writerDone.isSet { usleep(1_000) }
    }
}

/// A flag set by one thread and read by another.
final class DoneFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
