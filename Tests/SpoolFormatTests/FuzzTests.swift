import Foundation
@_spi(Internal) import SpoolFormat
import SpoolTestSupport
import Testing

/// Seeded random and adversarial inputs: the reader never crashes, never returns a frame that fails its checks,
/// accounts for every byte (frames, damages and tail tile the file), and never allocates what a file merely claims.
@Suite struct FuzzTests {
    static let segmentHeader = SegmentHeader(
        segmentID: 0xF0F0, createdUnixNanos: 1, writer: WriterIdentity(pid: 7, host: "fuzz", startUnixNanos: 2),
        resource: [0x0A, 0x00], scope: []
    ).encoded()
    /// The same header with flag `seal_record`: a sealed (`.seg`) input without a seal frame is then damage.
    static let sealingSegmentHeader = SegmentHeader(
        segmentID: 0xF0F0, createdUnixNanos: 1, writer: WriterIdentity(pid: 7, host: "fuzz", startUnixNanos: 2),
        resource: [0x0A, 0x00], scope: [], flags: .sealRecord
    ).encoded()

    static func u32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }

    /// A frame header with a valid header CRC but random (plausible or absurd) lengths and payload CRC.
    static func plausibleHeader(_ rng: inout SplitMix64, following: [UInt8]) -> [UInt8] {
        let codec: FrameCodec = rng.next() % 2 == 0 ? .stored : .lz4Block
        var uncompressed = UInt32(rng.next() % 2048)
        if rng.next() % 8 == 0 { uncompressed = UInt32(truncatingIfNeeded: rng.next()) }
        if rng.next() % 8 == 0 { uncompressed = UInt32(SpoolLimits.maxFramePayloadBytes) }
        let stored = codec == .stored ? uncompressed : uncompressed == 0 ? 0 : UInt32(rng.next() % UInt64(uncompressed))
        let crc =
            rng.next() % 2 == 0
            ? CRC32C.checksum(following.prefix(Int(stored))) : UInt32(truncatingIfNeeded: rng.next())
        var out: [UInt8] = []
        FrameHeader(
            codec: codec, sequence: rng.next() % 4, recordCount: UInt32(rng.next() % 5),
            uncompressedLength: uncompressed, storedLength: stored, payloadCRC: crc
        ).encode(into: &out)
        return out
    }

    /// A segment header with random field lengths and a recomputed (valid) CRC.
    static func mangledSegmentHeader(_ rng: inout SplitMix64) -> [UInt8] {
        var h = segmentHeader
        let field = [44, 48 + 4, 12][Int(rng.next() % 3)]
        let value = UInt32(truncatingIfNeeded: rng.next() % 3 == 0 ? rng.next() : rng.next() % 200)
        for i in 0..<(field == 44 ? 2 : 4) { h[field + i] = UInt8(truncatingIfNeeded: value >> (8 * UInt32(i))) }
        let length = min(Int(u32(h, 12)), h.count)
        if length >= 4 {
            let crc = CRC32C.checksum(h[0..<length - 4])
            for i in 0..<4 { h[length - 4 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        }
        return h
    }

    /// Fuzz input `i`: random bytes, a valid header and random bytes, a mangled header, or a valid header followed
    /// by good, damaged and cut frames, garbage and plausible fake frame headers.
    static func input(_ i: Int, _ rng: inout SplitMix64, pool: [[UInt8]], maxBytes: Int) -> [UInt8] {
        let roll = rng.next() % 100
        let size = Int(
            roll < 60
                ? rng.next() % UInt64(min(1024, maxBytes))
                : roll < 92 ? rng.next() % UInt64(min(16 << 10, maxBytes)) : rng.next() % UInt64(maxBytes))
        var bytes: [UInt8]
        switch i % 5 {
        case 0:
            bytes = rng.bytes(size)
        case 1:
            bytes = Self.segmentHeader + rng.bytes(size)
        case 2:
            bytes = Self.mangledSegmentHeader(&rng) + rng.bytes(size % min(4096, maxBytes))
        default:
            // A valid header (every other one promising a seal), then a mix of good frames (some damaged, some seal
            // frames), garbage and plausible fake headers.
            bytes = i % 10 == 3 ? Self.sealingSegmentHeader : Self.segmentHeader
            while bytes.count < size + Self.segmentHeader.count {
                switch rng.next() % 6 {
                case 0, 1:
                    var frame = pool[Int(rng.next() % UInt64(pool.count))]
                    if rng.next() % 3 == 0 {
                        frame[Int(rng.next() % UInt64(frame.count))] ^= UInt8(1 << (rng.next() % 8))
                    }
                    if rng.next() % 5 == 0 { frame.removeLast(Int(rng.next() % UInt64(frame.count))) }
                    bytes += frame
                case 2:
                    bytes += rng.bytes(Int(rng.next() % 300))
                case 3:
                    let following = rng.bytes(Int(rng.next() % 600))
                    bytes += Self.plausibleHeader(&rng, following: following) + following
                case 4:
                    bytes += FrameHeader.magic + rng.bytes(Int(rng.next() % 64))
                default:
                    bytes += [UInt8](repeating: 0, count: Int(rng.next() % 200))
                }
            }
        }
        return bytes
    }

    /// Valid frames to splice into fuzz inputs.
    static func framePool(_ rng: inout SplitMix64) throws -> [[UInt8]] {
        let encoder = FrameEncoder()
        var pool: [[UInt8]] = []
        for i in 0..<12 {
            let records = (0..<(i % 4)).map { _ -> (RecordType, [UInt8]) in
                switch rng.next() % 3 {
                case 0: (.span, randomRecordBody(&rng, maxBytes: 3000))
                case 1: (.drops, DropCounts([.queueFull: rng.next() % 1000, .ioError: rng.next() % 3]).encoded())
                default: (RecordType(rawValue: UInt8(4 + rng.next() % 200)), randomRecordBody(&rng, maxBytes: 3000))
                }
            }
            encoder.compress = i % 2 == 0
            pool.append(
                try encoder.encodedFrame(payload: payload(records), recordCount: records.count, sequence: UInt64(i)))
        }
        // Seal frames, most of them disagreeing with wherever they land.
        for i in 0..<4 {
            let frames = UInt64(i * 3)
            pool.append(
                SealRecord(frameCount: frames, recordCount: rng.next() % 8).frameBytes(sequence: frames + UInt64(i % 2))
            )
        }
        return pool
    }

    /// What the fuzz inputs exercised.
    struct Tally {
        var unreadableHeaders = 0
        var frames = 0
        var damages = 0
        var partialTails = 0
        var seals = 0
        var sealDamages = 0
    }

    /// Checks one file's read result against its bytes.
    static func verify(_ path: String, _ bytes: [UInt8], _ label: String, _ tally: inout Tally) {
        let r: ReadResult
        do throws(SpoolError) {
            r = try readSegment(path)
        } catch {
            guard case .badSegmentHeader = error else {
                Issue.record("\(label): unexpected \(error)")
                return
            }
            tally.unreadableHeaders += 1
            return
        }
        tally.frames += r.frames.count
        tally.damages += r.damages.count
        if case .partialFrame = r.tail { tally.partialTails += 1 }
        if r.seal != nil { tally.seals += 1 }
        tally.sealDamages +=
            r.damages.filter { ["seal_missing", "seal_mismatch", "data_after_seal"].contains($0.reason.code) }
            .count
        var position = r.headerLength
        for event in r.events {
            // The seal frame is no event: step over it when the next event starts after it.
            if let seal = r.seal, position == seal.offset {
                switch event {
                case .frame(let f) where f.offset > position: position = seal.endOffset
                case .damage(let d) where d.offset > position: position = seal.endOffset
                default: break
                }
            }
            switch event {
            case .frame(let f):
                #expect(f.offset == position, "\(label): frame not where the previous event ended")
                guard f.offset >= r.headerLength, f.endOffset <= bytes.count, f.length >= FrameHeader.size else {
                    Issue.record("\(label): frame out of bounds \(f.offset)+\(f.length)")
                    return
                }
                #expect(Array(bytes[f.offset..<f.offset + 4]) == FrameHeader.magic, "\(label)")
                #expect(CRC32C.checksum(bytes[f.offset..<f.offset + 32]) == u32(bytes, f.offset + 32), "\(label)")
                let stored = bytes[(f.offset + FrameHeader.size)..<f.endOffset]
                #expect(CRC32C.checksum(stored) == u32(bytes, f.offset + 28), "\(label): payload CRC")
                #expect(
                    stored.count == Int(f.header.storedLength) && f.payload.count == Int(f.header.uncompressedLength))
                if f.header.codec == .stored { #expect(Array(stored) == f.payload, "\(label)") }
                var reencoded: [UInt8] = []
                for rec in f.records { RecordEncoding.append(type: rec.type, body: rec.body, to: &reencoded) }
                #expect(reencoded == f.payload && f.records.count == Int(f.header.recordCount), "\(label)")
                position = f.endOffset
            case .damage(let d):
                #expect(d.offset == position, "\(label): damage not where the previous event ended")
                #expect(d.length >= 0 && d.offset + d.length <= bytes.count, "\(label)")
                position += d.length
            }
        }
        if let seal = r.seal, position == seal.offset { position = seal.endOffset }
        switch r.tail {
        case .clean: #expect(position == bytes.count, "\(label): bytes unaccounted for")
        case .partialFrame(let offset, let length):
            #expect(!path.hasSuffix(".seg"), "\(label): a sealed segment has no partial tail")
            #expect(offset == position && offset + length == bytes.count, "\(label)")
        }
    }

    @Test func thousandsOfSeededInputs() throws {
        let tmp = TempDirectory("fuzz")
        defer { tmp.remove() }
        var rng = SplitMix64(seed: 0xF022_2026)
        let pool = try Self.framePool(&rng)
        var tally = Tally()
        for i in 0..<2500 {
            let bytes = Self.input(i, &rng, pool: pool, maxBytes: 256 << 10)
            let path = tmp.file(i % 2 == 0 ? "fuzz.seg" : "fuzz.open")
            writeFile(path, bytes)
            Self.verify(path, bytes, "input \(i) (\(bytes.count) bytes)", &tally)
        }
        print("fuzz: \(tally)")
        #expect(tally.unreadableHeaders > 500 && tally.frames > 500 && tally.damages > 500 && tally.partialTails > 50)
        #expect(tally.seals > 20 && tally.sealDamages > 20)
    }

    @Test func claimedHugeLengthsAreNotAllocated() throws {
        let tmp = TempDirectory("fuzz-huge")
        defer { tmp.remove() }
        let h = Self.segmentHeader
        let good = try FrameEncoder().encodedFrame(payload: payload([(.span, [1, 2, 3])]), recordCount: 1, sequence: 1)
        func header(_ codec: FrameCodec, u: UInt32, s: UInt32, crc: UInt32) -> [UInt8] {
            var out: [UInt8] = []
            FrameHeader(
                codec: codec, sequence: 0, recordCount: 1, uncompressedLength: u, storedLength: s, payloadCRC: crc
            )
            .encode(into: &out)
            return out
        }
        // 16 MiB claimed, 1000 bytes present: a partial tail in an open segment, truncated_frame in a sealed one.
        let max = UInt32(SpoolLimits.maxFramePayloadBytes)
        let claimed = h + header(.stored, u: max, s: max, crc: 0) + [UInt8](repeating: 7, count: 1000)
        writeFile(tmp.file("a.open"), claimed)
        var r = try readSegment(tmp.file("a.open"))
        #expect(r.damages.isEmpty && r.tail == .partialFrame(offset: h.count, length: 1036))
        writeFile(tmp.file("a.seg"), claimed)
        r = try readSegment(tmp.file("a.seg"))
        #expect(r.damages.map(\.reason) == [.truncatedFrame] && r.tail == .clean)

        // Beyond the limit (4 GiB - 1): damage, then the good frame after it is salvaged.
        writeFile(tmp.file("b.seg"), h + header(.stored, u: .max, s: .max, crc: 0) + good)
        r = try readSegment(tmp.file("b.seg"))
        #expect(r.damages.map(\.reason) == [.lengthBeyondLimit(stored: .max, uncompressed: .max)])
        #expect(r.frames.map(\.header.sequence) == [1])

        // An LZ4 frame claiming 16 MiB uncompressed from 8 bytes with a valid payload CRC: decompression fails.
        let eight: [UInt8] = [0xF0, 1, 2, 3, 4, 5, 6, 7]
        writeFile(tmp.file("c.seg"), h + header(.lz4Block, u: max, s: 8, crc: CRC32C.checksum(eight)) + eight + good)
        r = try readSegment(tmp.file("c.seg"))
        #expect(r.damages.map(\.reason) == [.decompressionFailed])
        #expect(r.frames.map(\.header.sequence) == [1])

        // A record claiming a 2^60-byte body inside a valid frame: malformed records.
        var bogus: [UInt8] = [1]
        var v: UInt64 = 1 << 60
        while v >= 0x80 {
            bogus.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bogus.append(UInt8(v))
        let frame = try FrameEncoder(compress: false).encodedFrame(payload: bogus, recordCount: 1, sequence: 0)
        writeFile(tmp.file("d.seg"), h + frame + good)
        r = try readSegment(tmp.file("d.seg"))
        #expect(r.damages.map(\.reason) == [.malformedRecords(.bodyTooLarge(record: 0, bytes: 1 << 60))])
        #expect(RecordEncoding.split(bogus, expectedCount: 1) == nil)

        // A segment header claiming 1 MiB + 1, and one claiming exactly 1 MiB in a short file.
        for (claim, problem) in [
            (
                UInt32(SpoolLimits.maxSegmentHeaderBytes + 1),
                SegmentHeader.Problem.badLength(.headerLength, UInt32(SpoolLimits.maxSegmentHeaderBytes + 1))
            ),
            (
                UInt32(SpoolLimits.maxSegmentHeaderBytes),
                .truncated(have: h.count, need: SpoolLimits.maxSegmentHeaderBytes)
            ),
        ] {
            var hh = h
            for i in 0..<4 { hh[12 + i] = UInt8(truncatingIfNeeded: claim >> (8 * UInt32(i))) }
            writeFile(tmp.file("e.seg"), hh)
            #expect(
                spoolError { _ = try SegmentReader(path: tmp.file("e.seg")) }
                    == .badSegmentHeader(path: tmp.file("e.seg"), problem: problem))
        }

        // Loosely: reading all of the above kept the process far below what the files claim (several GiB).
        let status = String(decoding: readFile("/proc/self/status"), as: UTF8.self)
        if let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first ?? "")
        {
            #expect(kib < 1 << 20, "resident set \(kib) KiB")
        }

        // Drop counts claiming 2^40 entries decode to nil without looping over them.
        var drops: [UInt8] = []
        v = 1 << 40
        while v >= 0x80 {
            drops.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        drops.append(UInt8(v))
        #expect(DropCounts(decoding: drops) == nil)
    }
}
