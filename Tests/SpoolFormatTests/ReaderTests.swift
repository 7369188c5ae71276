import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting

/// Reader behaviour beyond single files at rest: following a live writer, starting at a checkpoint, the 1 GiB limit.
@Suite struct ReaderTests {
    @Test func followsALiveWriterFrameByFrame() throws {
        let tmp = TempDirectory("reader-follow")
        defer { tmp.remove() }
        let writer = try SegmentWriter(directory: try SpoolDirectory(path: tmp.path))
        try writer.append(payload: payload([(.span, [0])]), recordCount: 1)
        let path = try #require(writer.currentSegmentPath)
        let reader = try SegmentReader(path: path)
        #expect(!reader.isSealed)
        for i in 1..<50 {
            let frame = try #require(reader.nextFrame())
            #expect(frame.header.sequence == UInt64(i - 1))
            #expect(reader.nextFrame()?.offset == nil)
            #expect(reader.tail == .clean)
            try writer.append(payload: payload([(.span, [UInt8(i)])]), recordCount: 1)
        }
        #expect(reader.nextFrame()?.header.sequence == 49)
        #expect(reader.damageCount == 0)
        try writer.close()
    }

    @Test func startsAtACheckpoint() throws {
        let tmp = TempDirectory("reader-start")
        defer { tmp.remove() }
        var b = SegmentBuilder(header: GoldenVectors.header)
        try GoldenVectors.appendStandard(&b, 0..<4)
        let path = tmp.file("s.seg")
        writeFile(path, b.bytes)
        let offsets = b.frames.map(\.offset)
        for (k, offset) in offsets.enumerated() {
            let reader = try SegmentReader(path: path, startOffset: offset)
            var seen: [Int] = []
            while let f = reader.nextFrame() { seen.append(f.offset) }
            #expect(seen == Array(offsets[k...]))
            #expect(reader.damageCount == 0, "no sequence gap when starting at a checkpoint")
        }
        let clamped = try SegmentReader(path: path, startOffset: 3)
        #expect(clamped.offset == b.headerLength)
        let end = try SegmentReader(path: path, startOffset: b.bytes.count)
        #expect(end.nextFrame()?.offset == nil && end.tail == .clean && end.damageCount == 0)
        // Starting inside a frame: damage up to the next frame, then the rest.
        let inside = try SegmentReader(path: path, startOffset: offsets[1] + 5)
        #expect(
            inside.nextEvent().map { if case .damage(let d) = $0 { d.offset == offsets[1] + 5 } else { false } } == true
        )
        var rest: [Int] = []
        while let f = inside.nextFrame() { rest.append(f.offset) }
        #expect(rest == Array(offsets[2...]))
    }

    @Test func bytesBeyondTheSegmentLimitAreDamage() throws {
        let tmp = TempDirectory("reader-limit")
        defer { tmp.remove() }
        let path = tmp.file("big.seg")
        var b = SegmentBuilder(header: GoldenVectors.header)
        try GoldenVectors.appendStandard(&b, 0..<1)
        writeFile(path, b.bytes)
        // A sparse file just over 1 GiB (tmpfs keeps it sparse): read from a checkpoint near the end.
        let size = SpoolLimits.maxSegmentBytes + 100
        #expect(truncate(path, off_t(size)) == 0)
        let reader = try SegmentReader(path: path, startOffset: SpoolLimits.maxSegmentBytes - 64)
        var damages: [Damage] = []
        while let e = reader.nextEvent() { if case .damage(let d) = e { damages.append(d) } }
        #expect(
            damages == [
                Damage(segment: path, offset: SpoolLimits.maxSegmentBytes - 64, length: 64, reason: .badMagic),
                Damage(segment: path, offset: SpoolLimits.maxSegmentBytes, length: 100, reason: .beyondSegmentLimit),
            ])
        #expect(reader.nextEvent() == nil)
    }

    @Test("a frame that would end beyond 1 GiB is not read: damage from its start to the end of the file")
    func aFrameCrossingTheSegmentLimitIsDamage() throws {
        let tmp = TempDirectory("reader-crossing")
        defer { tmp.remove() }
        var b = SegmentBuilder(header: GoldenVectors.header)
        try GoldenVectors.appendStandard(&b, 0..<1)
        let frame = try b.encodeFrame(records: GoldenVectors.standardFrames()[3], compress: false).bytes
        let start = SpoolLimits.maxSegmentBytes - 40
        for name in ["crossing.seg", "crossing.open"] {
            let path = tmp.file(name)
            writeFile(path, b.bytes)
            // A sparse file whose valid frame starts 40 bytes before the limit and ends after it.
            let fd = open(path, O_WRONLY)
            #expect(frame.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(start)) } == frame.count)
            close(fd)
            let reader = try SegmentReader(path: path, startOffset: start)
            var damages: [Damage] = []
            while let e = reader.nextEvent() { if case .damage(let d) = e { damages.append(d) } }
            #expect(
                damages == [Damage(segment: path, offset: start, length: frame.count, reason: .beyondSegmentLimit)],
                "\(name)")
            #expect(reader.tail == .clean, "\(name): not a torn tail")
            #expect(reader.nextEvent() == nil)
            // The independent reader, started at the same frame boundary, agrees.
            if let python = PythonCrossCheckTests.python {
                let (status, output) = try PythonCrossCheckTests.run(python, ["--start", String(start), path])
                #expect(status == 0, "\(output.prefix(2000))")
                let other = try ExpectedReadJSON.parse(Data(output.utf8))
                #expect(other.damages == [.init(offset: start, length: frame.count, reason: "beyond_segment_limit")])
                #expect(other.tail == .clean && other.frames.isEmpty && other.seal == nil)
            }
        }
    }
}
