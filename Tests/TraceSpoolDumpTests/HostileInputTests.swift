import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump

/// A small deterministic generator (SplitMix64) so failures reproduce.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite struct HostileInputTests {
    /// Runs every command over the spool; none may trap, and counts must stay consistent.
    private func runEverything(_ spool: TemporarySpool, salvageInto output: String) throws {
        let input = try SpoolInput(path: spool.path)
        let segments = try input.segments()
        var sink = ""
        SegmentLister().run(segments: segments, to: &sink)
        let listed = SpanLister().run(segments: segments, to: &sink)
        let tree = TreeDump(maxSpans: 1000).run(segments: segments, to: &sink)
        let stats = SpoolStats(segments: segments)
        _ = stats.render()
        let report = SpoolVerifier().verify(path: spool.path, segments: segments)
        _ = SpoolVerifier().renderJSON(report)
        #expect(listed.printed == tree.spans + tree.skippedSpans)
        #expect(listed.spansRead == stats.totals.spanRecords)
        let outcomes = SegmentSalvager(outputDirectory: output).run(input: input, segments: segments)
        #expect(!outcomes.contains { $0.action == .failed })
        // Whatever was salvaged reads back clean.
        for o in outcomes {
            for name in o.newSegments {
                let r = try SegmentReader(path: output + "/" + name)
                while r.nextFrame() != nil {}
                #expect(r.damageCount == 0)
            }
        }
    }

    @Test func randomCorruptionNeverCrashesAnyCommand() throws {
        var rng = SplitMix(state: 0x5EED)
        for round in 0..<40 {
            try withTemporarySpool { spool in
                try withTemporarySpool { output in
                    let path = try Fixture.writeStandard(spool)
                    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
                    switch round % 4 {
                    case 0:
                        for _ in 0..<Int.random(in: 1...8, using: &rng) {
                            bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(
                                in: 1...255, using: &rng)
                        }
                    case 1: bytes.removeLast(Int.random(in: 1..<bytes.count, using: &rng))
                    case 2:
                        let at = Int.random(in: 0...bytes.count, using: &rng)
                        bytes.insert(
                            contentsOf: (0..<Int.random(in: 1...300, using: &rng)).map { _ in
                                UInt8.random(in: 0...255, using: &rng)
                            }, at: at)
                    default:
                        // A frame header claiming a huge payload, with a valid header CRC.
                        var header: [UInt8] = []
                        FrameHeader(
                            codec: .lz4Block, sequence: 2, recordCount: 1_000_000, uncompressedLength: 16 << 20,
                            storedLength: 15 << 20, payloadCRC: 0
                        )
                        .encode(into: &header)
                        bytes += header + [UInt8](repeating: 0, count: 64)
                    }
                    try Data(bytes).write(to: URL(fileURLWithPath: path))
                    try runEverything(spool, salvageInto: output.path)
                }
            }
        }
    }

    @Test func garbageFilesAndForeignFilesAreHandled() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            var rng = SplitMix(state: 7)
            let junk = (0..<200_000).map { _ in UInt8.random(in: 0...255, using: &rng) }
            try Data(junk).write(to: URL(fileURLWithPath: spool.file("00000000000000000002-x-1-0000000a.seg")))
            try Data().write(to: URL(fileURLWithPath: spool.file("00000000000000000003-x-1-0000000b.open")))
            try Data("not a segment".utf8).write(to: URL(fileURLWithPath: spool.file("notes.txt")))
            let segments = try spool.segments()
            #expect(segments.count == 3)
            let report = SpoolVerifier().verify(path: spool.path, segments: segments)
            #expect(report.segments.map { $0.headerError != nil } == [false, true, true])
            try withTemporarySpool { output in
                try runEverything(spool, salvageInto: output.path)
            }
        }
    }
}
