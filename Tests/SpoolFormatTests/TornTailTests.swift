import Foundation
@_spi(Internal) import SpoolFormat
import SpoolTestSupport
import Testing

/// A segment cut at every byte offset of its last frame: an `.open` one reads as the frames before it plus a
/// partial-frame tail (never damage), a `.seg` one reports the cut frame as `truncated_frame` damage and the seal
/// frame its writer promised as `seal_missing`.
@Suite struct TornTailTests {
    /// A real segment written by `SegmentWriter`: its bytes before sealing, the frames' locations and payloads, and
    /// its bytes once sealed (the same, then the seal frame at `sealOffset`).
    struct Fixture {
        var bytes: [UInt8]
        var headerLength: Int
        var locations: [FrameLocation]
        var payloads: [[UInt8]]
        var sealedBytes: [UInt8]
        var sealOffset: Int { bytes.count }
    }

    static func makeFixture(_ tmp: TempDirectory, frames: Int, seed: UInt64) throws -> Fixture {
        let spool = try SpoolDirectory(path: tmp.file("spool"))
        let writer = try SegmentWriter(
            directory: spool, options: SegmentWriterOptions(resource: [1, 2, 3], scope: [4, 5]))
        var rng = SplitMix64(seed: seed)
        var locations: [FrameLocation] = []
        var payloads: [[UInt8]] = []
        for i in 0..<frames {
            let records = (0..<(1 + i % 3)).map { _ in (RecordType.span, randomRecordBody(&rng, maxBytes: 600)) }
            let p = payload(records)
            payloads.append(p)
            locations.append(try writer.append(payload: p, recordCount: records.count))
        }
        let path = try #require(writer.currentSegmentPath)
        let bytes = readFile(path)
        try writer.close()
        let sealed = readFile(try #require(SegmentName.path(path, withState: .sealed)))
        #expect(Array(sealed.prefix(bytes.count)) == bytes && sealed.count > bytes.count, "the seal frame follows")
        return Fixture(
            bytes: bytes, headerLength: locations[0].offset, locations: locations, payloads: payloads,
            sealedBytes: sealed)
    }

    @Test func cutAtEveryOffsetOfTheLastFrame() throws {
        let tmp = TempDirectory("torn")
        defer { tmp.remove() }
        let fx = try Self.makeFixture(tmp, frames: 5, seed: 11)
        let last = try #require(fx.locations.last)
        #expect(last.offset + last.length == fx.bytes.count)
        let openPath = tmp.file("cut.open")
        let sealedPath = tmp.file("cut.seg")
        for cut in last.offset..<(last.offset + last.length) {
            let partial = cut - last.offset
            writeFile(openPath, fx.bytes[0..<cut])
            writeFile(sealedPath, fx.bytes[0..<cut])

            let open = try readSegment(openPath)
            #expect(open.frames.map(\.offset) == fx.locations.dropLast().map(\.offset), "cut \(cut)")
            #expect(open.frames.map(\.payload) == Array(fx.payloads.dropLast()), "cut \(cut)")
            #expect(open.damages.isEmpty, "cut \(cut): \(open.damages)")
            #expect(open.tail == (partial == 0 ? .clean : .partialFrame(offset: last.offset, length: partial)))

            let sealed = try readSegment(sealedPath)
            #expect(sealed.frames.map(\.offset) == fx.locations.dropLast().map(\.offset), "cut \(cut)")
            #expect(sealed.tail == .clean)
            // The writer seals with a seal frame, which the cut removed: missing, after the cut frame's damage.
            let expectedDamage =
                (partial == 0
                    ? [] : [Damage(segment: sealedPath, offset: last.offset, length: partial, reason: .truncatedFrame)])
                + [Damage(segment: sealedPath, offset: cut, length: 0, reason: .sealMissing)]
            #expect(sealed.damages == expectedDamage, "cut \(cut)")
        }
    }

    @Test func cutInsideTheSegmentHeader() throws {
        let tmp = TempDirectory("torn-header")
        defer { tmp.remove() }
        let fx = try Self.makeFixture(tmp, frames: 1, seed: 12)
        let path = tmp.file("cut.open")
        for cut in 0..<fx.headerLength {
            writeFile(path, fx.bytes[0..<cut])
            let error = spoolError { _ = try SegmentReader(path: path) }
            let need = cut < 16 ? 16 : fx.headerLength
            #expect(
                error == .badSegmentHeader(path: path, problem: SegmentHeader.Problem.truncated(have: cut, need: need)))
        }
        // Exactly the header: no frames, clean.
        writeFile(path, fx.bytes[0..<fx.headerLength])
        let r = try readSegment(path)
        #expect(r.frames.isEmpty && r.damages.isEmpty && r.tail == .clean)
    }

    @Test func aFollowingReaderPicksUpTheCompletedFrame() throws {
        let tmp = TempDirectory("torn-follow")
        defer { tmp.remove() }
        let fx = try Self.makeFixture(tmp, frames: 4, seed: 13)
        let last = try #require(fx.locations.last)
        let path = tmp.file("follow.open")
        for cut in stride(from: last.offset + 1, to: last.offset + last.length, by: 29) {
            writeFile(path, fx.bytes[0..<cut])
            let reader = try SegmentReader(path: path)
            var seen = 0
            while reader.nextFrame() != nil { seen += 1 }
            #expect(seen == fx.locations.count - 1)
            #expect(reader.tail == .partialFrame(offset: last.offset, length: cut - last.offset))
            #expect(reader.nextFrame()?.offset == nil, "nothing new yet")
            appendFile(path, fx.bytes[cut...])
            let frame = try #require(reader.nextFrame(), "cut \(cut)")
            #expect(frame.offset == last.offset && frame.header.sequence == last.sequence)
            #expect(frame.payload == fx.payloads.last)
            #expect(reader.nextFrame()?.offset == nil)
            #expect(reader.tail == .clean)
            #expect(reader.damageCount == 0)
        }
    }

    /// A writer whose frame write fails half-way cuts it off again (`ftruncate`) and writes the next, shorter frame
    /// at the same offset: a reader that saw the partial frame must see the new frame, although the file is now
    /// shorter than when it last looked.
    @Test func aFollowingReaderSeesAFrameWrittenAfterTheTailWasCutOff() throws {
        let tmp = TempDirectory("torn-shrink")
        defer { tmp.remove() }
        let fx = try Self.makeFixture(tmp, frames: 3, seed: 14)
        let last = try #require(fx.locations.last)
        let path = tmp.file("shrink.open")
        // The file ends one byte short of the last frame's end, as a reader may see during a failing write.
        let cut = last.length - 1
        writeFile(path, fx.bytes[0..<(last.offset + cut)])
        let reader = try SegmentReader(path: path)
        while reader.nextFrame() != nil {}
        #expect(reader.tail == .partialFrame(offset: last.offset, length: cut))
        // The writer cuts the failed frame off and writes a small frame in its place.
        let small = try FrameEncoder().encodedFrame(payload: payload([(.span, [42])]), recordCount: 1, sequence: 2)
        try #require(small.count < cut)
        #expect(truncate(path, off_t(last.offset)) == 0)
        appendFile(path, small)
        let frame = try #require(reader.nextFrame(), "the reader must pick up the frame written after the cut")
        #expect(
            frame.offset == last.offset && frame.header.sequence == 2 && frame.records.map { Array($0.body) } == [[42]])
        #expect(reader.nextFrame()?.offset == nil)
        #expect(reader.tail == .clean && reader.damageCount == 0)
    }
}
