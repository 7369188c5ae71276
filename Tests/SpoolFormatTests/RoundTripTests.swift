import SpoolFormat
import SpoolTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Everything a writer appends reads back unchanged, in order, across rotation, with both codecs.
@Suite struct RoundTripTests {
    @Test func thousandsOfRecordsAcrossRotatedSegments() throws {
        let tmp = TempDirectory("roundtrip")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.file("spool"))
        let resource = Array("resource: service.name=roundtrip".utf8)
        let scope = Array("scope: tests 1.0".utf8)
        let writer = try SegmentWriter(
            directory: spool, options: SegmentWriterOptions(maxSegmentBytes: 1 << 20, resource: resource, scope: scope))

        var rng = SplitMix64(seed: 0x0123_4567)
        var written: [(RecordType, [UInt8])] = []
        var locations: [FrameLocation] = []
        var totalDrops = DropCounts()
        var frameIndex = 0
        while written.count < 3000 {
            var records: [(RecordType, [UInt8])] = []
            if frameIndex % 25 == 3 {
                let drops = DropCounts([.queueFull: rng.next() % 1000, .ioError: rng.next() % 5 + 1])
                totalDrops.add(drops)
                records.append((.drops, drops.encoded()))
            }
            for _ in 0..<(1 + Int(rng.next() % 40)) { records.append((.span, randomRecordBody(&rng))) }
            locations.append(try writer.append(payload: payload(records), recordCount: records.count))
            written += records
            frameIndex += 1
            if frameIndex % 50 == 0 { try writer.sync() }
        }
        #expect(writer.framesWritten == frameIndex)
        try writer.close()
        #expect(spoolError { try writer.append(payload: [], recordCount: 0) } == .closed)

        let segments = try spool.segments()
        #expect(segments.count >= 3, "rotation should produce several segments")
        #expect(segments.allSatisfy { $0.name.state == .sealed && $0.state == .sealed })
        #expect(Set(segments.map(\.name.base)).count == segments.count)
        #expect(segments.map(\.name.createdUnixNanos) == segments.map(\.name.createdUnixNanos).sorted())
        #expect(writer.bytesWritten < segments.reduce(0) { $0 + $1.sizeBytes })

        var read: [(RecordType, [UInt8])] = []
        var codecs: Set<FrameCodec> = []
        var readLocations: [(String, Int, UInt64)] = []
        var readDrops = DropCounts()
        for segment in segments {
            #expect(segment.sizeBytes <= 1 << 20)
            let r = try readSegment(segment.path)
            #expect(r.header.resource == resource)
            #expect(r.header.scope == scope)
            #expect(r.header.writer.pid == getpid())
            #expect(r.header.createdUnixNanos == segment.name.createdUnixNanos)
            #expect(r.damages.isEmpty)
            #expect(r.tail == .clean)
            #expect(r.frames.map(\.header.sequence) == (0..<UInt64(r.frames.count)).map { $0 })
            // The writer sealed it with a seal frame holding its counts, the file's last bytes.
            let seal = try #require(r.seal)
            #expect(r.frames.last?.endOffset == seal.offset)
            #expect(seal.endOffset == segment.sizeBytes)
            #expect(
                seal.record
                    == SealRecord(frameCount: UInt64(r.frames.count), recordCount: UInt64(r.records.count)))
            for f in r.frames {
                codecs.insert(f.header.codec)
                readLocations.append((segment.name.base, f.offset, f.header.sequence))
                for record in f.records {
                    read.append((record.type, Array(record.body)))
                    if record.type == .drops { readDrops.add(try #require(DropCounts(decoding: record.body))) }
                }
            }
        }
        #expect(codecs == [.stored, .lz4Block])
        #expect(read.count == written.count)
        #expect(read.map(\.0) == written.map(\.0))
        #expect(read.map(\.1) == written.map(\.1))
        #expect(readDrops == totalDrops)
        #expect(readLocations.count == locations.count)
        for (loc, got) in zip(locations, readLocations) {
            #expect(loc.segment.base == got.0 && loc.offset == got.1 && loc.sequence == got.2)
        }
    }

    @Test func uncompressedWriterAndEdgeSizedRecords() throws {
        let tmp = TempDirectory("roundtrip-stored")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.path)
        let writer = try SegmentWriter(directory: spool, options: SegmentWriterOptions(compress: false))
        // Varint boundaries of the record length prefix, an empty frame and a 1 MiB record.
        let sizes = [0, 1, 127, 128, 16383, 16384, 65535, 65536, 1 << 20]
        for size in sizes {
            let body = [UInt8](repeating: UInt8(truncatingIfNeeded: size), count: size)
            try writer.append(payload: payload([(.span, body)]), recordCount: 1)
            #expect(RecordEncoding.headerSize(bodyLength: size) == 1 + (size < 128 ? 1 : size < 16384 ? 2 : 3))
        }
        try writer.append(payload: [], recordCount: 0)
        let path = try #require(writer.currentSegmentPath)
        let live = try readSegment(path)
        #expect(live.frames.count == sizes.count + 1)
        #expect(live.tail == .clean)
        try writer.close()
        let segments = try spool.segments()
        #expect(segments.count == 1)
        let r = try readSegment(segments[0].path)
        #expect(r.frames.allSatisfy { $0.header.codec == .stored })
        #expect(r.frames.map { $0.records.first?.body.count ?? -1 } == sizes + [-1])
        #expect(r.damages.isEmpty)
    }

    @Test func aFrameLargerThanTheRotationSizeGetsItsOwnSegment() throws {
        let tmp = TempDirectory("roundtrip-big")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.path)
        let writer = try SegmentWriter(
            directory: spool, options: SegmentWriterOptions(maxSegmentBytes: 64 << 10, compress: false))
        var rng = SplitMix64(seed: 99)
        for size in [1000, 200_000, 1000, 1000] {
            try writer.append(payload: payload([(.span, rng.bytes(size))]), recordCount: 1)
        }
        try writer.close()
        let segments = try spool.segments()
        #expect(segments.count == 3)
        #expect(try segments.map { try readSegment($0.path).frames.count } == [1, 1, 2])
        #expect(writer.segmentsSealed == 3)
    }

    @Test func tooLargeAPayloadIsRefused() throws {
        let tmp = TempDirectory("roundtrip-toolarge")
        defer { tmp.remove() }
        let writer = try SegmentWriter(directory: try SpoolDirectory(path: tmp.path))
        let big = [UInt8](repeating: 1, count: SpoolLimits.maxFramePayloadBytes + 1)
        let error = spoolError { try writer.append(payload: big, recordCount: 1) }
        guard case .tooLarge(_, let bytes, let limit) = error else {
            Issue.record("expected tooLarge, got \(String(describing: error))")
            return
        }
        #expect(bytes == big.count && limit == SpoolLimits.maxFramePayloadBytes)
        #expect(writer.currentSegmentPath == nil)
        try writer.close()
    }
}
