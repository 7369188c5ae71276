import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump

@Suite struct FollowTests {
    private func spanIDs(_ text: String) -> [String] {
        text.split(separator: "\n").map { String($0.split(separator: " ", omittingEmptySubsequences: true)[3]) }
    }

    @Test func pollsPickUpAppendsSealsAndNewSegments() throws {
        try withTemporarySpool { spool in
            var first = Fixture.segment(created: Fixture.t0)
            try first.append([Fixture.span(1, 1, name: "a", from: 0, to: 1)])
            let live = try first.writeLive(into: spool.path)
            let follower = SpanFollower(input: try SpoolInput(path: spool.path))
            var out = ""
            #expect(follower.poll(to: &out) == 1)
            #expect(follower.poll(to: &out) == 0)
            try first.append(
                [Fixture.span(1, 2, name: "b", from: 1, to: 2), Fixture.span(1, 3, name: "c", from: 2, to: 3)],
                to: live)
            #expect(follower.poll(to: &out) == 2)
            // More frames, then the writer seals (rename to .seg) before the next poll: nothing is lost or repeated.
            try first.append([Fixture.span(1, 4, name: "d", from: 3, to: 4)], to: live)
            try live.seal()
            #expect(follower.poll(to: &out) == 1)
            // A new segment appears.
            var second = Fixture.segment(created: Fixture.t0 + 1)
            try second.append([Fixture.span(2, 1, name: "e", from: 4, to: 5)])
            let next = try second.writeLive(into: spool.path)
            #expect(follower.poll(to: &out) == 1)
            try next.seal()
            #expect(follower.poll(to: &out) == 0)
            #expect(
                spanIDs(out) == [
                    "0100000000000001", "0100000000000002", "0100000000000003", "0100000000000004", "0200000000000001",
                ])
            #expect(follower.diagnostics.count == 0)
        }
    }

    @Test func newOnlySkipsWhatIsAlreadyThere() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.append([Fixture.span(1, 1, name: "old", from: 0, to: 1)])
            let live = try segment.writeLive(into: spool.path)
            let follower = SpanFollower(input: try SpoolInput(path: spool.path), skipExisting: true)
            var out = ""
            #expect(follower.poll(to: &out) == 0)
            try segment.append([Fixture.span(1, 2, name: "new", from: 1, to: 2)], to: live)
            #expect(follower.poll(to: &out) == 1)
            try live.seal()
            #expect(spanIDs(out) == ["0100000000000002"])
        }
    }

    @Test func followWhileAnotherThreadAppendsStopsAfterNSpans() throws {
        try withTemporarySpool { spool in
            // The frames a writer appends, one span each, built beforehand.
            var segment = Fixture.segment()
            let live = try segment.writeLive(into: spool.path)
            var frames: [[UInt8]] = []
            for i in 0..<40 {
                let name = i % 2 == 0 ? "keep-\(i)" : "skip-\(i)"
                let frame = try segment.append([
                    Fixture.span(5, UInt8(i + 1), name: name, from: UInt64(i), to: UInt64(i + 1))
                ])
                frames.append(Array(segment.bytes[frame.offset...]))
            }
            let follower = SpanFollower(
                input: try SpoolInput(path: spool.path), filter: try SpanFilter(nameContains: "keep"), json: true)
            let appended = DispatchSemaphore(value: 0)
            Thread { [frames] in
                for frame in frames { try? live.append(frame) }
                try? live.seal()
                appended.signal()
            }.start()
            var out = ""
            let deadline = Date().addingTimeInterval(60)
            let printed = follower.run(limit: 15, intervalMillis: 5, shouldStop: { Date() > deadline }, to: &out)
            #expect(printed == 15)
            let names = try out.split(separator: "\n").map {
                try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])["name"] as? String
            }
            #expect(names == (0..<15).map { "keep-\($0 * 2)" })
            appended.wait()
        }
    }
}
