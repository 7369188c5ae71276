import SpoolFormat
import SpoolTestSupport
import Testing

/// Frames compressed with a higher liblz4 acceleration (the tracer uses 2) are ordinary LZ4 blocks: they read back
/// unchanged, and the default acceleration 1 is what the golden vectors were written with.
@Suite struct AccelerationTests {
    @Test(arguments: [1, 2, 8])
    func framesReadBackUnchanged(acceleration: Int) throws {
        let tmp = TempDirectory("acceleration-\(acceleration)")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.path)
        let writer = try SegmentWriter(directory: spool, options: SegmentWriterOptions(lz4Acceleration: acceleration))
        var rng = SplitMix64(seed: UInt64(acceleration))
        var written: [[UInt8]] = []
        for _ in 0..<20 {
            // Compressible: repeated structure with a few random bytes, like span records.
            let records = (0..<200).map { _ in
                Array(repeating: UInt8(7), count: 40) + randomRecordBody(&rng, maxBytes: 60)
            }
            _ = try writer.append(payload: payload(records.map { (.span, $0) }), recordCount: records.count)
            written += records
        }
        try writer.close()
        var read: [[UInt8]] = []
        var codecs: Set<FrameCodec> = []
        for segment in try spool.segments() {
            let r = try readSegment(segment.path)
            #expect(r.damages.isEmpty)
            for f in r.frames {
                codecs.insert(f.header.codec)
                read += f.records.map { Array($0.body) }
            }
        }
        #expect(codecs == [.lz4Block])
        #expect(read == written)
    }
}
