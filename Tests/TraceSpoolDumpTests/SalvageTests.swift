import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump
@testable import tracespool_dump

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct SalvageTests {
    /// All decodable spans of a segment and whether it reads clean.
    private func readBack(_ path: String) throws -> (spans: [OTLPSpan], clean: Bool, header: SegmentHeader) {
        let r = try SegmentReader(path: path)
        var spans: [OTLPSpan] = []
        while let f = r.nextFrame() {
            for rec in f.records where rec.type == .span { spans.append(try OTLPSpan(decoding: rec.body)) }
        }
        return (spans, r.damageCount == 0 && r.tail == .clean, r.header)
    }

    @Test func damagedSegmentIsCopiedIntoACleanSealedSegment() throws {
        try withTemporarySpool { spool in
            var segment = try Fixture.standardSegment()
            segment.flipBit(at: segment.frames[0].payloadOffset + 9, bit: 3)
            let path = try segment.write(into: spool.path, baseName: Fixture.standardBase)
            let input = try SpoolInput(path: spool.path)
            let outcomes = SegmentSalvager().run(input: input, segments: try input.segments())
            #expect(outcomes.count == 1)
            let o = outcomes[0]
            #expect(o.action == .salvaged)
            #expect(o.frames == 1 && o.spans == 2)
            #expect(o.newSegments.count == 1)
            #expect(!o.removedOriginal)
            #expect(o.retiredOriginal == Fixture.standardName + ".salvaged")
            let copy = try readBack(spool.file(o.newSegments[0]))
            #expect(copy.clean)
            #expect(copy.spans == Fixture.shortTrace())
            #expect(copy.header.resource == Fixture.resource && copy.header.scope == Fixture.scope)
            #expect(copy.header.writer.pid == 42 && copy.header.writer.host == "testhost")
            // The original is retired under a name no reader lists, with a marker naming its copies; a second run
            // sees the clean copy only.
            #expect(!FileManager.default.fileExists(atPath: path))
            #expect(FileManager.default.fileExists(atPath: path + ".salvaged"))
            #expect(spool.fileNames().contains("00000000000000000001-testhost-42-00000001.salvaged"))
            #expect(try input.segments().map(\.fileName) == o.newSegments)
            let again = SegmentSalvager().run(input: input, segments: try input.segments())
            #expect(again.map(\.note) == [.clean])
            #expect(
                SalvageReport.render([o]).hasSuffix(
                    " (original kept as \(Fixture.standardName).salvaged)\n"))
            let report = SpoolVerifier().verify(path: spool.path, segments: try input.segments())
            #expect(report.isClean)
        }
    }

    @Test func abandonedSegmentIsSealedIntoACopyAndRemovedOnRequest() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.append(Fixture.agentTrace())
            try segment.append(Fixture.shortTrace(), drops: DropCounts([.ioError: 2]))
            segment.appendRaw([0xF5, 0x53])  // torn tail
            let path = try segment.write(into: spool.path, as: .abandoned)  // `.open`, lock released
            let input = try SpoolInput(path: spool.path)
            #expect(try input.segments().map(\.state) == [.abandoned])
            let outcomes = SegmentSalvager(removeOriginal: true).run(input: input, segments: try input.segments())
            #expect(outcomes[0].action == .salvaged)
            #expect(outcomes[0].removedOriginal)
            #expect(!FileManager.default.fileExists(atPath: path))
            let segments = try input.segments()
            #expect(segments.map(\.state) == [.sealed])
            let copy = try readBack(segments[0].path)
            #expect(copy.clean)
            #expect(copy.spans == Fixture.agentTrace() + Fixture.shortTrace())
            let stats = SpoolStats(segments: segments)
            #expect(stats.totals.drops == DropCounts([.ioError: 2]))
        }
    }

    @Test func liveAndCleanSegmentsAreNeverTouched() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            var segment = Fixture.segment()
            try segment.append(Fixture.agentTrace())
            let live = try segment.writeLive(into: spool.path)
            let livePath = live.path
            let before = try Data(contentsOf: URL(fileURLWithPath: livePath))
            let input = try SpoolInput(path: spool.path)
            let segments = try input.segments()
            #expect(segments.map(\.state) == [.sealed, .live])
            let outcomes = SegmentSalvager(removeOriginal: true).run(input: input, segments: segments)
            #expect(outcomes.map(\.action) == [.skipped, .skipped])
            #expect(outcomes[1].note == .liveWriter)
            #expect(SalvageReport.message(.liveWriter) == "open segment with a live writer: never touched")
            #expect(try Data(contentsOf: URL(fileURLWithPath: livePath)) == before)
            #expect(spool.fileNames().count == 2)
            try live.seal()
        }
    }

    @Test func undecodableSpanRecordsAreLeftOut() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.appendFrame(records: [
                (.span, [0x0A, 0xFF]), (.span, Fixture.span(3, 1, name: "kept", from: 0, to: 5).serialized()),
            ])
            try segment.write(into: spool.path, as: .abandoned)
            let input = try SpoolInput(path: spool.path)
            let o = SegmentSalvager().run(input: input, segments: try input.segments())[0]
            #expect(o.action == .salvaged && o.spans == 1 && o.droppedRecords == 1)
            let copy = try readBack(spool.file(o.newSegments[0]))
            #expect(copy.spans.map(\.name) == ["kept"])
        }
    }

    @Test func recordsTheUploaderAlreadyDeliveredAreNotCopiedAgain() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.append(Fixture.agentTrace())
            let second = try segment.append(Fixture.shortTrace())
            let path = try segment.write(into: spool.path, as: .abandoned)
            // The uploader delivered frame 0 and the first record of frame 1.
            let name = try #require(SegmentName(fileName: String(path.split(separator: "/").last!)))
            try Data("tracespool-ack v1 offset=\(second.offset) sequence=1 records=1\n".utf8)
                .write(to: URL(fileURLWithPath: spool.file(name.checkpointFileName)))
            let input = try SpoolInput(path: spool.path)
            let segments = try input.segments()
            #expect(segments[0].checkpoint == SegmentCheckpoint(offset: second.offset, sequence: 1, recordsSent: 1))
            let listing = Fixture.render { SegmentLister().run(segments: segments, to: &$0) }
            #expect(listing.split(separator: "\n")[1].hasSuffix(" \(second.offset * 100 / segments[0].sizeBytes)%"))
            let o = SegmentSalvager().run(input: input, segments: segments)[0]
            #expect(o.action == .salvaged)
            #expect(o.alreadyUploadedRecords == 6 && o.spans == 1)
            #expect(try readBack(spool.file(o.newSegments[0])).spans == [Fixture.shortTrace()[1]])
            #expect(SalvageReport.render([o]).contains("(6 records already uploaded left out)"))
            // The retired original, given as the input, is copied again whole with --force --ignore-checkpoint.
            let retired = try SpoolInput(path: spool.file(try #require(o.retiredOriginal)))
            let skipped = SegmentSalvager().run(input: retired, segments: try retired.segments())[0]
            #expect(skipped.action == .skipped && skipped.note == .alreadySalvaged(marker: o.retiredOriginal!))
            let all = SegmentSalvager(force: true, outputDirectory: spool.path + "/all", ignoreCheckpoint: true)
                .run(input: retired, segments: try retired.segments())[0]
            #expect(all.spans == 7 && all.alreadyUploadedRecords == 0)
        }
    }

    @Test func aSegmentAnUploaderIsSendingIsLeftAlone() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.append(Fixture.agentTrace())
            let path = try segment.write(into: spool.path, as: .abandoned)
            let name = try #require(SegmentName(fileName: String(path.split(separator: "/").last!)))
            let fd = open(spool.file(name.leaseFileName), O_RDWR | O_CREAT, 0o600)
            #expect(flock(fd, LOCK_EX | LOCK_NB) == 0)
            let input = try SpoolInput(path: spool.path)
            let o = SegmentSalvager(removeOriginal: true).run(input: input, segments: try input.segments())[0]
            #expect(o.action == .skipped && o.note == .beingUploaded)
            #expect(SalvageReport.message(.beingUploaded).contains("uploader"))
            #expect(FileManager.default.fileExists(atPath: path))
            close(fd)
            let after = SegmentSalvager(removeOriginal: true).run(input: input, segments: try input.segments())[0]
            #expect(after.action == .salvaged && after.removedOriginal)
        }
    }
}
