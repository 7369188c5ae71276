import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump
@testable import tracespool_dump

@Suite struct VerifyTests {
    private func verify(_ spool: TemporarySpool) throws -> SpoolVerifier.Report {
        SpoolVerifier().verify(path: spool.path, segments: try spool.segments())
    }

    @Test func cleanSpoolVerifiesClean() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let report = try verify(spool)
            #expect(report.isClean)
            #expect(report.exitCode == .success)
            #expect(SpoolVerifier().renderText(report).hasSuffix("result: clean (1 segments)\n"))
        }
    }

    @Test func bitFlipMidFrameIsReportedWithOffsetAndReason() throws {
        try withTemporarySpool { spool in
            var segment = try Fixture.standardSegment()
            let f = segment.frames
            segment.flipBit(at: f[0].payloadOffset + 20, bit: 3)
            try segment.write(into: spool.path, baseName: Fixture.standardBase)
            let report = try verify(spool)
            #expect(!report.isClean)
            #expect(report.exitCode == .damaged)
            let s = report.segments[0]
            #expect(s.frames == 1)
            #expect(s.damages.map(\.offset) == [f[0].offset])
            #expect(s.damages.map(\.length) == [f[0].length])
            #expect(s.damages.map(\.reason.code) == ["payload_crc_mismatch"])
            let text = SpoolVerifier().renderText(report)
            #expect(text.contains("\(Fixture.standardName) @\(f[0].offset) +\(f[0].length) payload_crc_mismatch"))
            #expect(text.contains("result: DAMAGED: 1 of 1 segments"))
        }
    }

    @Test func truncatedSealedTailAndAppendedGarbageAreDamage() throws {
        try withTemporarySpool { spool in
            var segment = try Fixture.standardSegment()
            let f = segment.frames
            segment.truncate(toLength: segment.bytes.count - 10)
            try segment.write(into: spool.path, baseName: Fixture.standardBase)
            var s = try verify(spool).segments[0]
            #expect(s.damages.map(\.reason.code) == ["truncated_frame"])
            #expect(s.damages.first?.offset == f[1].offset)
            #expect(s.frames == 1)

            try withTemporarySpool { second in
                var garbage = try Fixture.standardSegment()
                garbage.appendRaw([UInt8](repeating: 0x5A, count: 100))
                try garbage.write(into: second.path, baseName: Fixture.standardBase)
                s = try verify(second).segments[0]
                #expect(s.frames == 2)
                #expect(s.damages.map(\.reason.code) == ["bad_magic"])
                #expect(s.damagedBytes == 100)
            }
        }
    }

    @Test func tornTailOfAnAbandonedSegmentIsNotDamage() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.append(Fixture.agentTrace())
            segment.appendRaw(Array(FrameHeader.magic) + [1, 0, 0, 0])  // a torn frame start
            // The writer went away without sealing: the segment is abandoned.
            try segment.write(into: spool.path, as: .abandoned)
            let report = try verify(spool)
            #expect(report.isClean)
            #expect(report.segments[0].segment.state == .abandoned)
            #expect(report.segments[0].partialTail?.length == 8)
            #expect(SpoolVerifier().renderText(report).contains("torn tail"))
        }
    }

    @Test func unreadableHeaderIsDamage() throws {
        try withTemporarySpool { spool in
            var segment = try Fixture.standardSegment()
            segment.flipBit(at: 50, bit: 3)  // inside the host name: header CRC fails
            try segment.write(into: spool.path, baseName: Fixture.standardBase)
            let report = try verify(spool)
            #expect(!report.isClean)
            #expect(report.segments[0].headerError?.contains("CRC") == true)
        }
    }

    @Test func segmentsSealedOrRemovedWhileVerifyingAreNotDamage() throws {
        try withTemporarySpool { spool in
            let removed = try Fixture.writeStandard(spool)
            var segment = Fixture.segment()
            try segment.append(Fixture.agentTrace())
            let live = try segment.writeLive(into: spool.path)
            let listed = try spool.segments()  // [sealed, live]
            try FileManager.default.removeItem(atPath: removed)  // an uploader finished it
            try live.seal()  // the live one is sealed: `.open` renamed to `.seg`
            let report = SpoolVerifier().verify(path: spool.path, segments: listed)
            #expect(report.isClean)
            #expect(report.segments[0].vanished)
            #expect(report.segments[1].segment.state == .sealed)
            #expect(report.segments[1].spanRecords == 5)
        }
    }

    @Test func jsonReportParses() throws {
        try withTemporarySpool { spool in
            var segment = try Fixture.standardSegment()
            let f = segment.frames
            segment.flipBit(at: f[1].payloadOffset + 5, bit: 3)
            try segment.write(into: spool.path, baseName: Fixture.standardBase)
            let json = SpoolVerifier().renderJSON(try verify(spool))
            let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            #expect(object["clean"] as? Bool == false)
            #expect(object["damageCount"] as? Int == 1)
            let segments = try #require(object["segments"] as? [[String: Any]])
            let damages = try #require(segments.first?["damages"] as? [[String: Any]])
            #expect(damages.first?["offset"] as? Int == f[1].offset)
            #expect(damages.first?["code"] as? String == "payload_crc_mismatch")
            #expect(segments.first?["segment"] as? String == Fixture.standardName)
        }
    }

    /// The golden vectors of `Spool/vectors` (present once the format tests have landed).
    @Test(.enabled(if: GoldenVectors.available)) func goldenVectorsVerifyAsDocumented() throws {
        let expectations: [String: (clean: Bool, codes: [String])] = [
            "valid.seg": (true, []), "torn-tail.open": (true, []), "truncated-frame.seg": (false, ["truncated_frame"]),
            "bitflip.seg": (false, ["payload_crc_mismatch"]),
            "bad-header-crc-frame.seg": (false, ["header_crc_mismatch"]),
            "huge-length.seg": (false, ["length_beyond_limit"]), "garbage-between.seg": (false, ["bad_magic"]),
            "sequence-gap.seg": (false, ["sequence_gap"]), "zero-length.seg": (false, []),
            "truncated-header.seg": (false, []), "bad-segment-header.seg": (false, []),
        ]
        for (name, expected) in expectations {
            let path = GoldenVectors.directory + "/" + name
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let input = try SpoolInput(path: path)
            let report = SpoolVerifier().verify(path: path, segments: try input.segments())
            #expect(report.isClean == expected.clean, "\(name)")
            #expect(report.segments[0].damages.map(\.reason.code) == expected.codes, "\(name)")
            // Every other command reads every vector without trapping.
            var sink = ""
            SpanLister().run(segments: try input.segments(), to: &sink)
            TreeDump().run(segments: try input.segments(), to: &sink)
            _ = SpoolStats(segments: try input.segments()).render()
        }
    }
}

/// Locates `Spool/vectors` in the package.
enum GoldenVectors {
    static let packageRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()
    static let directory =
        ProcessInfo.processInfo.environment["TRACESPOOL_VECTORS_DIR"] ?? packageRoot + "/Spool/vectors"
    static var available: Bool { FileManager.default.fileExists(atPath: directory + "/valid.seg") }
}
