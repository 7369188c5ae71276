import Foundation
import SpoolFormat
import Testing
import TraceSpool
import TraceSpoolTesting

/// Spans `a`, `b`, … of one trace, each a child of the first.
func letteredSpans(_ names: String...) -> [RecordedSpan] {
    names.enumerated().map { i, name in
        RecordedSpan(
            operationName: name, traceID: TraceID(high: 1, low: 2), spanID: SpanID(UInt64(i + 1)),
            parentSpanID: i == 0 ? nil : SpanID(1), startNanosecondsSinceEpoch: 1_000 + UInt64(i),
            endNanosecondsSinceEpoch: 2_000 + UInt64(i), attributes: ["index": .int64(Int64(i))])
    }
}

/// Every frame and damage a `SegmentReader` finds in `path`.
func readEvents(_ path: String) throws -> (frames: [SegmentFrame], damages: [Damage], tail: SegmentTail) {
    let reader = try SegmentReader(path: path)
    var frames: [SegmentFrame] = []
    var damages: [Damage] = []
    while let event = reader.nextEvent() {
        switch event {
        case .frame(let f): frames.append(f)
        case .damage(let d): damages.append(d)
        }
    }
    return (frames, damages, reader.tail)
}

@Suite("SegmentBuilder", .timeLimit(.minutes(1)))
struct SegmentBuilderTests {
    @Test("frames of spans and drops: the reader finds exactly the frames the builder lists")
    func framesMatchTheReader() throws {
        try withTemporarySpool { spool in
            var builder = SegmentBuilder()
            let spans = letteredSpans("a", "b", "c")
            let first = try builder.appendFrame(spans: Array(spans[0..<2]))
            let second = try builder.appendFrame(spans: [spans[2]], drops: DropCounts([.queueFull: 2]), compress: false)
            let raw = try builder.appendFrame(records: [(RecordType(rawValue: 9), [1, 2, 3])])
            #expect(builder.frames == [first, second, raw])
            #expect(first.offset == builder.headerLength && second.offset == first.endOffset)
            #expect(first.recordTypes == [.span, .span] && second.recordTypes == [.drops, .span])
            #expect(second.codec == .stored && second.storedLength == second.uncompressedLength)
            #expect(builder.nextSequence == 3 && raw.sequence == 2)
            let path = try builder.write(into: spool.path)
            #expect(path.hasSuffix(".seg") && SegmentName(fileName: String(path.split(separator: "/").last!)) != nil)
            #expect(FileManager.default.contents(atPath: path).map { [UInt8]($0) } == builder.bytes)
            let read = try readEvents(path)
            #expect(read.damages.isEmpty && read.tail == .clean)
            #expect(
                read.frames.map { [$0.offset, $0.length, Int($0.header.sequence), Int($0.header.recordCount)] }
                    == builder.frames.map { [$0.offset, $0.length, Int($0.sequence), $0.recordCount] })
            #expect(read.frames.map(\.header.payloadCRC) == builder.frames.map(\.storedCRC32C))
            #expect(read.frames.map(\.header.codec) == builder.frames.map(\.codec))

            let contents = try spool.contents()
            #expect(
                contents.spans
                    == spans.map { span in
                        var s = span
                        s.resource = ["service.name": "tests"]
                        return s
                    })
            #expect(contents.drops == DropCounts([.queueFull: 2]))
            #expect(contents.damages.isEmpty && contents.unreadable.isEmpty)
        }
    }

    @Test("the default header is fixed: equal builders give equal bytes")
    func deterministic() throws {
        func build() throws -> [UInt8] {
            var builder = SegmentBuilder(resource: ["service.name": "x", "host.name": "h"])
            try builder.appendFrame(spans: letteredSpans("a", "b"))
            return builder.bytes
        }
        #expect(try build() == build())
        let header = SegmentBuilder().header
        #expect(header.segmentID == 1 && header.createdUnixNanos == 1_700_000_000_000_000_000)
        #expect(header.writer == WriterIdentity(pid: 1, host: "test-host", startUnixNanos: 1_700_000_000_000_000_000))
    }

    @Test("a flipped bit in frame N: that frame is damage, the others are read")
    func flipBit() throws {
        try withTemporarySpool { spool in
            var builder = SegmentBuilder()
            for name in ["a", "b", "c"] { try builder.appendFrame(spans: letteredSpans(name)) }
            let middle = builder.frames[1]
            builder.flipBit(at: middle.payloadOffset + 1, bit: 5)
            #expect(builder.frames.map(\.sequence) == [0, 2])
            let path = try builder.write(into: spool.path)
            let read = try readEvents(path)
            #expect(read.frames.map(\.offset) == builder.frames.map(\.offset))
            #expect(
                read.damages == [
                    Damage(
                        segment: path, offset: middle.offset, length: middle.length, reason: .payloadChecksumMismatch)
                ])
            let contents = try spool.contents()
            #expect(contents.spans.map(\.operationName) == ["a", "c"])
            #expect(contents.damages == read.damages && !contents.isIntact)
        }
    }

    @Test("a zeroed range: the frames it touches are damage")
    func zeroRange() throws {
        try withTemporarySpool { spool in
            var builder = SegmentBuilder()
            for name in ["a", "b", "c", "d"] { try builder.appendFrame(spans: letteredSpans(name)) }
            let (b, c) = (builder.frames[1], builder.frames[2])
            builder.zero(b.endOffset - 4..<c.offset + 4)
            builder.zero(builder.frames[0].offset + 5..<builder.frames[0].offset + 5)  // empty: nothing changes
            #expect(builder.frames.map(\.sequence) == [0, 3])
            let path = try builder.write(into: spool.path)
            let read = try readEvents(path)
            #expect(read.frames.map(\.offset) == builder.frames.map(\.offset))
            #expect(read.damages.map(\.offset) == [b.offset])
            #expect(read.damages.first?.length == c.endOffset - b.offset)
        }
    }

    @Test("a truncated frame: a torn tail in an abandoned segment, damage in a sealed one")
    func truncate() throws {
        try withTemporarySpool { spool in
            var builder = SegmentBuilder()
            for name in ["a", "b"] { try builder.appendFrame(spans: letteredSpans(name)) }
            let last = builder.frames[1]
            builder.truncate(toLength: last.offset + 40)
            #expect(builder.bytes.count == last.offset + 40 && builder.frames.count == 1)
            let open = try builder.write(into: spool.path, as: .abandoned)
            #expect(open.hasSuffix(".open"))
            let openRead = try readEvents(open)
            #expect(openRead.frames.count == 1 && openRead.damages.isEmpty)
            #expect(openRead.tail == .partialFrame(offset: last.offset, length: 40))
            let segments = try SpoolDirectory(path: spool.path, create: false).segments()
            #expect(segments.map(\.state) == [.abandoned])

            let sealed = try builder.write(into: spool.path, as: .sealed, baseName: "00000000000000000002-h-1-00000001")
            #expect(sealed == spool.path + "/00000000000000000002-h-1-00000001.seg")
            #expect(
                try readEvents(sealed).damages == [
                    Damage(segment: sealed, offset: last.offset, length: 40, reason: .truncatedFrame)
                ])
            #expect(throws: SpoolError.self) {
                try builder.write(into: spool.path, baseName: "00000000000000000002-h-1-00000001")
            }
            let contents = try spool.contents()
            #expect(contents.spans.map(\.operationName) == ["a", "a"])
            #expect(contents.damages.map(\.reason) == [.truncatedFrame])
        }
    }

    @Test("a live segment holds its writer's lock until it is sealed or abandoned")
    func liveSegment() throws {
        try withTemporarySpool { spool in
            var builder = SegmentBuilder()
            try builder.appendFrame(spans: letteredSpans("first"))
            let live = try builder.writeLive(into: spool.path)
            #expect(live.isLive && live.path.hasSuffix(".open"))
            #expect(SpoolDirectory.writerHoldsLock(live.path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: spool.path).count == 1, "no .tmp left")
            var segments = try SpoolDirectory(path: spool.path, create: false).segments()
            #expect(segments.map(\.state) == [.live])
            let next = try builder.appendFrame(spans: letteredSpans("second"))
            try live.append(builder.bytes[next.offset...])
            #expect(try spool.spans().map(\.operationName) == ["first", "second"])
            let openPath = live.path
            try live.seal()
            #expect(!live.isLive && live.path == String(openPath.dropLast(5)) + ".seg")
            #expect(!FileManager.default.fileExists(atPath: openPath))
            #expect(!SpoolDirectory.writerHoldsLock(live.path))
            #expect(throws: SpoolError.closed) { try live.append([0]) }
            #expect(throws: SpoolError.closed) { try live.seal() }

            let dying = try SegmentBuilder(segmentID: 2).writeLive(into: spool.path)
            #expect(SpoolDirectory.writerHoldsLock(dying.path))
            dying.abandon()
            #expect(!dying.isLive && dying.path.hasSuffix(".open"))
            segments = try SpoolDirectory(path: spool.path, create: false).segments()
            #expect(segments.filter { $0.state == .abandoned }.map(\.path) == [dying.path])
            do {
                let released = try SegmentBuilder(segmentID: 3).writeLive(into: spool.path)
                #expect(SpoolDirectory.writerHoldsLock(released.path))
            }
            #expect(
                try SpoolDirectory(path: spool.path, create: false).segments().filter { $0.state == .abandoned }.count
                    == 2)
        }
    }

    @Test("writing creates a missing spool directory with mode 0700")
    func createsDirectory() throws {
        try withTemporarySpool { spool in
            let nested = spool.path + "/nested"
            try SegmentBuilder().write(into: nested)
            let attributes = try FileManager.default.attributesOfItem(atPath: nested)
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o700)
            let files = try FileManager.default.contentsOfDirectory(atPath: nested)
            let file = try FileManager.default.attributesOfItem(atPath: nested + "/" + files[0])
            #expect((file[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        }
    }
}
