import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct StateAndStatsTests {
    @Test func lsShowsLiveAbandonedSealedAndUploading() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            var gone = Fixture.segment(created: Fixture.t0)
            try gone.append(Fixture.shortTrace())
            try gone.write(into: spool.path, as: .abandoned)
            var segment = Fixture.segment(created: Fixture.t0 + 1)
            try segment.append(Fixture.agentTrace())
            let live = try segment.writeLive(into: spool.path)
            // An uploader's lease on the sealed segment: a held flock on `<base>.lease`.
            let lease = spool.file("00000000000000000001-testhost-42-00000001.lease")
            let fd = open(lease, O_RDWR | O_CREAT, 0o600)
            #expect(fd >= 0)
            #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
            var segments = try spool.segments()
            #expect(segments.map(\.stateLabel) == ["sealed+uploading", "abandoned", "live"])
            let table = Fixture.render { SegmentLister().run(segments: segments, to: &$0) }
            let rows = table.split(separator: "\n")
            #expect(rows.count == 4)
            #expect(
                rows[1].split(separator: " ").prefix(3)
                    == ["sealed+uploading", "00000000000000000001-testhost-42-00000001.seg", "testhost:42"])
            #expect(rows[2].hasPrefix("abandoned ") && rows[3].hasPrefix("live "))
            #expect(rows[3].contains(" 5 "))  // five spans in the live segment
            close(fd)  // the uploader is done: a lease file without a held lock means nothing
            segments = try spool.segments()
            #expect(segments.map(\.stateLabel) == ["sealed", "abandoned", "live"])
            try live.seal()
        }
    }

    @Test func statsCountsDropsTracesAndTopNamesWithBoundedMemory() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            var segment = Fixture.segment()
            var spans: [OTLPSpan] = []
            for i in 0..<50 {
                spans.append(Fixture.span(0x20 + UInt8(i % 5), UInt8(i + 1), name: "n\(i)", from: 0, to: UInt64(i)))
            }
            try segment.append(spans, drops: DropCounts([.recordTooLarge: 1]))
            try segment.write(into: spool.path)
            let stats = SpoolStats(segments: try spool.segments(), maxTrackedNames: 10, maxTrackedTraces: 4)
            let totals = stats.totals
            #expect(totals.spanRecords == 57)
            #expect(totals.drops == DropCounts([.queueFull: 3, .diskCap: 1, .recordTooLarge: 1]))
            #expect(stats.names.count == 11)  // 10 tracked names + "(other names)"
            #expect(
                stats.names[SpoolStats.otherNames]?.count == 57
                    - stats.names.values.filter { $0.name != SpoolStats.otherNames }.map(\.count).reduce(0, +))
            #expect(stats.traces.saturated && stats.traces.text == ">=4")
            #expect(stats.topByCount(1).first?.name == SpoolStats.otherNames)
            let text = stats.render(top: 2)
            #expect(text.contains("drops:      5 (queue_full 3, disk_cap 1, record_too_large 1) recorded by writers"))
            #expect(text.contains("spans:      57 in >=4 traces"))
        }
    }

    @Test func jsonReportsOfLsAndStatsParse() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let segments = try spool.segments()
            let ls = Fixture.render { SegmentLister().run(segments: segments, json: true, to: &$0) }
            let listing = try #require(JSONSerialization.jsonObject(with: Data(ls.utf8)) as? [String: Any])
            let row = try #require((listing["segments"] as? [[String: Any]])?.first)
            #expect(row["segment"] as? String == Fixture.standardName)
            #expect(row["spans"] as? Int == 7 && row["frames"] as? Int == 2)
            #expect(row["firstSpanStartUnixNano"] as? String == String(Fixture.t0))
            #expect((row["writer"] as? [String: Any])?["pid"] as? Int == 42)
            #expect((row["drops"] as? [String: Any])?["queue_full"] as? Int == 3)
            let stats = SpoolStats(segments: segments).renderJSON(top: 2)
            let object = try #require(JSONSerialization.jsonObject(with: Data(stats.utf8)) as? [String: Any])
            #expect((object["totals"] as? [String: Any])?["spans"] as? Int == 7)
            #expect(object["traces"] as? Int == 2 && object["tracesSaturated"] as? Bool == false)
            let top = try #require(object["topByCount"] as? [[String: Any]])
            #expect(top.map { $0["name"] as? String } == ["chat", "run_agent"])
            #expect((object["segments"] as? [[String: Any]])?.first?["traces"] as? String == "2")
        }
    }
}
