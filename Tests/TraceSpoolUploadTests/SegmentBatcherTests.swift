import Foundation
import OTLPWire
import SpoolFormat
import Synchronization
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@Suite struct SegmentBatcherTests {
    func onlySegment(_ spool: String) throws -> SegmentInfo {
        let segments = try SpoolDirectory(path: spool, create: false).segments()
        try #require(segments.count == 1)
        return segments[0]
    }

    @Test func batchesRespectSpanAndByteLimitsAndCopySpansVerbatim() throws {
        try withTemporarySpool { spool in
            try TestSpans.write(0..<1000, to: spool.path, perFrame: 70)
            let segment = try onlySegment(spool.path)
            let maxBytes = 20_000
            let batcher = try SegmentBatcher(
                path: segment.path, spoolPath: spool.path, checkpoint: nil, maxSpans: 150, maxBytes: maxBytes
            ) { _ in }
            var seen: [Int] = []
            let resource = OTLPResource(attributes: [OTLPKeyValue("service.name", .string("upload-test"))])
            while let batch = batcher.nextBatch() {
                #expect(batch.count <= 150)
                let body = batch.requestBody()
                #expect(body.count == batch.requestSize)
                #expect(body.count <= maxBytes)
                #expect(try OTLPRequestWalker.resources(in: body) == [resource.serialized()])
                let spans = try OTLPRequestWalker.spans(in: body)
                for (i, bytes) in spans.enumerated() {
                    let index = try TestSpans.index(of: RecordedSpan(decoding: bytes).spanID)
                    #expect(bytes == TestSpans.span(index).encoded())
                    #expect(Array(batch.spans[i]) == bytes)
                    seen.append(index)
                }
            }
            #expect(seen == Array(0..<1000))
        }
    }

    @Test func resumingFromAMidFrameCheckpointSendsTheRestExactlyOnce() throws {
        try withTemporarySpool { spool in
            try TestSpans.write(0..<500, to: spool.path, perFrame: 100)
            let segment = try onlySegment(spool.path)
            let first = try SegmentBatcher(
                path: segment.path, spoolPath: spool.path, checkpoint: nil, maxSpans: 130, maxBytes: 1 << 20
            ) { _ in }
            let b1 = try #require(first.nextBatch())
            let b2 = try #require(first.nextBatch())
            #expect(b2.end.recordsSent == 60)  // 260 spans = 2 frames + 60 records of the third
            var seen = try TestSpans.indexes(b1.spans.map(Array.init) + b2.spans.map(Array.init))
            let resumed = try SegmentBatcher(
                path: segment.path, spoolPath: spool.path, checkpoint: b2.end, maxSpans: 130, maxBytes: 1 << 20
            ) { _ in }
            while let b = resumed.nextBatch() { seen += try TestSpans.indexes(b.spans.map(Array.init)) }
            #expect(seen == Array(0..<500))
        }
    }

    @Test func damagedFramesAreReportedAndSkipped() throws {
        try withTemporarySpool { spool in
            var builder = TestSpans.builder()
            for start in stride(from: 0, to: 300, by: 100) {
                try builder.appendFrame(spans: (start..<start + 100).map { TestSpans.span($0) })
            }
            // Corrupt the middle frame's payload.
            let middle = builder.frames[1]
            builder.flipBit(at: middle.payloadOffset + 10)
            let path = try builder.write(into: spool.path)
            let damages = Mutex<[Damage]>([])
            let batcher = try SegmentBatcher(
                path: path, spoolPath: spool.path, checkpoint: nil, maxSpans: 8192, maxBytes: 4 << 20
            ) { damage in damages.withLock { $0.append(damage) } }
            var seen: [Int] = []
            while let b = batcher.nextBatch() { seen += try TestSpans.indexes(b.spans.map(Array.init)) }
            #expect(seen == Array(0..<100) + Array(200..<300))
            #expect(damages.withLock { $0.count } == 1)
            #expect(damages.withLock { $0.first?.offset } == middle.offset)
        }
    }
}
