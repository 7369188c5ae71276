import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolUpload

@Suite struct SegmentBatcherTests {
    func onlySegment(_ spool: String) throws -> SegmentInfo {
        let segments = try SpoolDirectory(path: spool, create: false).segments()
        try #require(segments.count == 1)
        return segments[0]
    }

    @Test func batchesRespectSpanAndByteLimitsAndCopySpansVerbatim() throws {
        let tmp = TempDirectory("batcher")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<1000, to: tmp.spool, perFrame: 70)
        let segment = try onlySegment(tmp.spool)
        let maxBytes = 20_000
        let batcher = try SegmentBatcher(
            path: segment.path, spoolPath: tmp.spool, checkpoint: nil, maxSpans: 150, maxBytes: maxBytes
        ) { _ in }
        var seen: [Int] = []
        while let batch = batcher.nextBatch() {
            #expect(batch.count <= 150)
            let body = batch.requestBody()
            #expect(body.count == batch.requestSize)
            #expect(body.count <= maxBytes)
            #expect(try OTLPRequestWalker.resources(in: body) == [TestSpans.resource.serialized()])
            let spans = try OTLPRequestWalker.spans(in: body)
            for (i, bytes) in spans.enumerated() {
                let index = try TestSpans.index(ofSpanID: OTLPSpan(decoding: bytes).spanID)
                #expect(bytes == TestSpans.span(index).serialized())
                #expect(Array(batch.spans[i]) == bytes)
                seen.append(index)
            }
        }
        #expect(seen == Array(0..<1000))
    }

    @Test func resumingFromAMidFrameCheckpointSendsTheRestExactlyOnce() throws {
        let tmp = TempDirectory("resume")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<500, to: tmp.spool, perFrame: 100)
        let segment = try onlySegment(tmp.spool)
        let first = try SegmentBatcher(
            path: segment.path, spoolPath: tmp.spool, checkpoint: nil, maxSpans: 130, maxBytes: 1 << 20
        ) { _ in }
        let b1 = try #require(first.nextBatch())
        let b2 = try #require(first.nextBatch())
        #expect(b2.end.recordsSent == 60)  // 260 spans = 2 frames + 60 records of the third
        var seen = try TestSpans.indexes(b1.spans.map(Array.init) + b2.spans.map(Array.init))
        let resumed = try SegmentBatcher(
            path: segment.path, spoolPath: tmp.spool, checkpoint: b2.end, maxSpans: 130, maxBytes: 1 << 20
        ) { _ in }
        while let b = resumed.nextBatch() { seen += try TestSpans.indexes(b.spans.map(Array.init)) }
        #expect(seen == Array(0..<500))
    }

    @Test func damagedFramesAreReportedAndSkipped() throws {
        let tmp = TempDirectory("damage")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<300, to: tmp.spool, perFrame: 100)
        let segment = try onlySegment(tmp.spool)
        // Corrupt the middle frame's payload.
        let reader = try SegmentReader(path: segment.path)
        _ = reader.nextFrame()
        let middle = try #require(reader.nextFrame())
        try corrupt(path: segment.path, at: middle.offset + FrameHeader.size + 10)
        var damages: [Damage] = []
        let batcher = try SegmentBatcher(
            path: segment.path, spoolPath: tmp.spool, checkpoint: nil, maxSpans: 8192, maxBytes: 4 << 20
        ) { damages.append($0) }
        var seen: [Int] = []
        while let b = batcher.nextBatch() { seen += try TestSpans.indexes(b.spans.map(Array.init)) }
        #expect(seen == Array(0..<100) + Array(200..<300))
        #expect(damages.count == 1)
        #expect(damages.first?.offset == middle.offset)
    }
}

func corrupt(path: String, at offset: Int) throws {
    let fd = open(path, O_RDWR)
    try #require(fd >= 0)
    defer { close(fd) }
    var byte: UInt8 = 0
    _ = pread(fd, &byte, 1, off_t(offset))
    byte ^= 0xFF
    _ = pwrite(fd, &byte, 1, off_t(offset))
}
