@_spi(Internal) import SpoolFormat
import SpoolTestSupport
import Testing

/// The frame header, record and drop-count codecs on their own.
@Suite struct CodecTests {
    /// A valid encoded frame header with byte `index` set to `value` and the header CRC recomputed.
    static func header(_ base: FrameHeader, setting index: Int? = nil, to value: UInt8 = 0) -> [UInt8] {
        var bytes: [UInt8] = []
        base.encode(into: &bytes)
        if let index {
            bytes[index] = value
            let crc = CRC32C.checksum(bytes[0..<32])
            for i in 0..<4 { bytes[32 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> Result<FrameHeader, FrameHeader.Problem> {
        bytes.withUnsafeBytes { FrameHeader.decode($0) }
    }

    static let base = FrameHeader(
        codec: .stored, sequence: 0x0102_0304_0506_0708, recordCount: 3, uncompressedLength: 100, storedLength: 100,
        payloadCRC: 0xDEAD_BEEF)

    @Test func frameHeaderLayoutAndRoundTrip() {
        let bytes = Self.header(Self.base)
        #expect(bytes.count == FrameHeader.size)
        #expect(Array(bytes[0..<4]) == [0xF5, 0x53, 0x46, 0x31])
        #expect(Array(bytes[8..<16]) == [8, 7, 6, 5, 4, 3, 2, 1])
        #expect(Array(bytes[28..<32]) == [0xEF, 0xBE, 0xAD, 0xDE])
        #expect(Self.decode(bytes) == .success(Self.base))
    }

    @Test func frameHeaderProblems() {
        var lz4 = Self.base
        lz4.codec = .lz4Block
        lz4.storedLength = 101
        var storedMismatch = Self.base
        storedMismatch.storedLength = 99
        var tooBig = Self.base
        tooBig.uncompressedLength = UInt32(SpoolLimits.maxFramePayloadBytes + 1)
        tooBig.storedLength = tooBig.uncompressedLength
        var corrupted = Self.header(Self.base)
        corrupted[10] ^= 1
        #expect(Self.decode(Self.header(Self.base, setting: 4, to: 2)) == .failure(.unknownCodec(2)))
        #expect(Self.decode(Self.header(Self.base, setting: 5, to: 1)) == .failure(.reservedBitsSet))
        #expect(Self.decode(Self.header(Self.base, setting: 7, to: 0x80)) == .failure(.reservedBitsSet))
        #expect(Self.decode(Self.header(Self.base, setting: 0, to: 0xF4)) == .failure(.badMagic))
        #expect(Self.decode(corrupted) == .failure(.headerChecksumMismatch))
        #expect(Self.decode(Self.header(lz4)) == .failure(.lengthBeyondLimit(stored: 101, uncompressed: 100)))
        #expect(Self.decode(Self.header(storedMismatch)) == .failure(.lengthBeyondLimit(stored: 99, uncompressed: 100)))
        #expect(
            Self.decode(Self.header(tooBig))
                == .failure(.lengthBeyondLimit(stored: tooBig.storedLength, uncompressed: tooBig.uncompressedLength)))
        #expect(Self.decode(Array(Self.header(Self.base).prefix(35))) == .failure(.badMagic))
    }

    @Test func unknownCodecAndReservedBitsAreDamageInAFile() throws {
        let tmp = TempDirectory("codec-damage")
        defer { tmp.remove() }
        let segment = GoldenVectors.header.encoded()
        let good = try FrameEncoder().encodedFrame(payload: payload([(.span, [9])]), recordCount: 1, sequence: 1)
        var emptyStored = Self.base
        emptyStored.uncompressedLength = 0
        emptyStored.storedLength = 0
        emptyStored.recordCount = 0
        for (patch, reason) in [
            ((4, UInt8(9)), Damage.Reason.unknownCodec(9)), ((6, UInt8(1)), .reservedBitsSet),
        ] {
            let path = tmp.file("d.seg")
            writeFile(path, segment + Self.header(emptyStored, setting: patch.0, to: patch.1) + good)
            let r = try readSegment(path)
            #expect(r.damages == [Damage(segment: path, offset: segment.count, length: 36, reason: reason)])
            #expect(r.frames.map(\.header.sequence) == [1])
            #expect(reason.code == (patch.0 == 4 ? "unknown_codec" : "reserved_bits_set"))
        }
    }

    @Test func damageReasonCodesAreStable() {
        let codes: [(Damage.Reason, String)] = [
            (.badMagic, "bad_magic"), (.headerChecksumMismatch, "header_crc_mismatch"),
            (.unknownCodec(3), "unknown_codec"), (.reservedBitsSet, "reserved_bits_set"),
            (.lengthBeyondLimit(stored: 1, uncompressed: 2), "length_beyond_limit"),
            (.payloadChecksumMismatch, "payload_crc_mismatch"), (.decompressionFailed, "decompression_failed"),
            (.malformedRecords(.invalidType(record: 0)), "malformed_records"), (.truncatedFrame, "truncated_frame"),
            (.beyondSegmentLimit, "beyond_segment_limit"), (.sequenceGap(expected: 1, found: 3), "sequence_gap"),
            (.sealMissing, "seal_missing"), (.dataAfterSeal, "data_after_seal"),
            (
                .sealMismatch(
                    .init(
                        seal: SealRecord(frameCount: 1, recordCount: 1), sealSequence: 1, framesRead: 1, recordsRead: 2)
                ),
                "seal_mismatch"
            ),
        ]
        for (reason, code) in codes {
            #expect(reason.code == code)
            #expect(!reason.description.isEmpty)
        }
        let d = Damage(segment: "s.seg", offset: 10, length: 5, reason: .badMagic)
        #expect(d.description.hasPrefix("s.seg@10+5: "))
    }

    @Test("damage and header messages say which frames are missing and which length field is out of range")
    func messagesNameWhatIsWrong() throws {
        #expect(Damage.Reason.sequenceGap(expected: 2, found: 3).description == "frame 2 is missing")
        #expect(Damage.Reason.sequenceGap(expected: 2, found: 5).description == "frames 2 to 4 are missing")
        #expect(Damage.Reason.sequenceGap(expected: 4, found: 1).description.contains("repeated or out of order"))
        let host = SegmentHeader.Problem.badLength(.hostNameLength, 65).description
        #expect(host.hasPrefix("host name length 65 in the segment header out of range"))
        #expect(!host.contains("segment header length"))
        #expect(
            SegmentHeader.Problem.badLength(.headerLength, 59).description.hasPrefix("segment header length 59 out"))
        #expect(
            SegmentHeader.Problem.badLength(.scopeLength, 9).description
                == "scope length 9 in the segment header runs past the header's end")
        // As a reader reports them, from the golden vectors.
        let vectors = packageRoot + "/Spool/vectors/"
        let error = spoolError { _ = try SegmentReader(path: vectors + "bad-host-length.seg") }
        #expect(error?.description.contains("host name length 65") == true, "\(String(describing: error))")
        let gap = try readSegment(vectors + "sequence-gap.seg").damages.map(\.reason.description)
        #expect(gap == ["frame 2 is missing"])
        let lost = try readSegment(vectors + "lost-leading-frames.seg").damages.map(\.reason.description)
        #expect(lost == ["frames 0 to 1 are missing"])
    }

    @Test("a drops record with more than 256 entries or trailing bytes is frame damage naming the problem")
    func malformedDropsRecordsAreDamage() throws {
        let vectors = packageRoot + "/Spool/vectors/"
        let many = try readSegment(vectors + "drops-too-many-entries.seg")
        #expect(many.damages.map(\.reason) == [.malformedRecords(.badDrops(record: 0, .tooManyEntries(257)))])
        #expect(many.damages.first?.reason.description.contains("257 entries, more than the limit of 256") == true)
        let trailing = try readSegment(vectors + "drops-trailing-bytes.seg")
        #expect(trailing.damages.map(\.reason) == [.malformedRecords(.badDrops(record: 0, .trailingBytes(1)))])
        #expect(trailing.damages.first?.reason.description.contains("1 byte after the last entry") == true)
        #expect(DropCounts.parse([0x81, 0x02] + [UInt8](repeating: 1, count: 514)) == .failure(.tooManyEntries(257)))
        #expect(DropCounts.parse([1, 1, 5, 9]) == .failure(.trailingBytes(1)))
        #expect(DropCounts.parse([1, 1]) == .failure(.truncated))
        #expect(DropCounts.parse([1, 1, 5]) == .success(DropCounts([.queueFull: 5])))
    }

    @Test("varints: an overflowing 10th byte is invalid, non-minimal encodings are accepted")
    func varintRules() {
        // Record body lengths: 5 + 2^64 in 10 bytes is invalid (no 64-bit wrap to 5); 85 00 is 5.
        let overflow: [UInt8] = [1, 0x85] + [UInt8](repeating: 0x80, count: 8) + [0x02] + [9, 9, 9, 9, 9]
        guard case .failure(let problem) = RecordEncoding.parse(overflow, expectedCount: 1) else {
            Issue.record("an overflowing body length parsed")
            return
        }
        #expect(problem == .badBodyLength(record: 0))
        let maxValue: [UInt8] = [UInt8](repeating: 0xFF, count: 9) + [0x01]
        #expect(SealRecord(decoding: maxValue + [0, 0])?.frameCount == .max)
        let loose: [UInt8] = [1, 0x85, 0x00, 9, 9, 9, 9, 9]
        #expect(RecordEncoding.split(loose, expectedCount: 1)?.first?.body.count == 5)
    }

    @Test func recordSplitting() {
        let records: [(RecordType, [UInt8])] = [(.span, []), (.drops, [1, 2, 5]), (RecordType(rawValue: 200), [7])]
        let p = payload(records)
        let split = RecordEncoding.split(p, expectedCount: 3)
        #expect(split?.map(\.type) == records.map(\.0))
        #expect(split?.map { Array($0.body) } == records.map(\.1))
        #expect(RecordEncoding.split(p, expectedCount: 2) == nil, "count mismatch")
        #expect(RecordEncoding.split(p, expectedCount: 4) == nil, "count mismatch")
        #expect(RecordEncoding.split([0, 0], expectedCount: 1) == nil, "type 0 is invalid")
        #expect(RecordEncoding.split([1, 5, 1, 2], expectedCount: 1) == nil, "length past the end")
        #expect(RecordEncoding.split([1, 0x80], expectedCount: 1) == nil, "truncated varint")
        #expect(RecordEncoding.split([], expectedCount: 0)?.isEmpty == true)
        var over: [UInt8] = []
        RecordEncoding.appendHeader(type: .span, bodyLength: SpoolLimits.maxRecordBytes + 1, to: &over)
        over += [UInt8](repeating: 0, count: SpoolLimits.maxRecordBytes + 1)
        #expect(RecordEncoding.split(over, expectedCount: 1) == nil, "body beyond the 4 MiB record limit")
        var manual: [UInt8] = []
        RecordEncoding.appendHeader(type: .span, bodyLength: 300, to: &manual)
        #expect(manual == [1, 0xAC, 0x02])
        #expect(RecordEncoding.headerSize(bodyLength: 300) == 3)
        #expect(RecordType.span.description == "span" && RecordType(rawValue: 9).description == "type-9")
    }

    @Test func dropCounts() {
        let counts = DropCounts([.queueFull: 5, .diskCap: 0, .afterShutdown: 300])
        let body = counts.encoded()
        #expect(body == [2, 1, 5, 5, 0xAC, 0x02], "zero counts are not written; entries in reason order")
        #expect(DropCounts(decoding: body) == DropCounts([.queueFull: 5, .afterShutdown: 300]))
        #expect(counts.total == 305 && !counts.isEmpty && DropCounts().isEmpty)
        #expect(DropCounts(decoding: [1, 77, 4]) == DropCounts([.other: 4]), "unknown reasons decode as other")
        #expect(DropCounts(decoding: [1, 1, 4, 0]) == nil, "trailing bytes")
        #expect(DropCounts(decoding: [2, 1, 4]) == nil, "truncated")
        #expect(DropCounts(decoding: []) == nil)
        var sum = counts
        sum.add(DropCounts([.queueFull: 1, .ioError: 2]))
        #expect(sum.counts[.queueFull] == 6 && sum.counts[.ioError] == 2)
        #expect(
            DropReason.allCases.map(\.description) == [
                "other", "queue_full", "disk_cap", "io_error", "record_too_large", "after_shutdown",
            ])
    }

    @Test func segmentHeaderLayout() throws {
        let h = GoldenVectors.header
        let bytes = h.encoded()
        #expect(Array(bytes[0..<8]) == SegmentHeader.magic)
        #expect(bytes.count == 60 + h.writer.host.utf8.count + h.resource.count + h.scope.count)
        #expect(Int(bytes[12]) | Int(bytes[13]) << 8 | Int(bytes[14]) << 16 == bytes.count)
        #expect(
            CRC32C.checksum(bytes[0..<(bytes.count - 4)])
                == bytes.suffix(4).enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        )
        let tmp = TempDirectory("codec-header")
        defer { tmp.remove() }
        // A wrong version and a wrong magic.
        var v2 = bytes
        v2[8] = 2
        writeFile(tmp.file("v2.seg"), v2)
        #expect(
            spoolError { _ = try SegmentReader(path: tmp.file("v2.seg")) }
                == .badSegmentHeader(path: tmp.file("v2.seg"), problem: .unsupportedVersion(2)))
        var magic = bytes
        magic[1] = 0
        writeFile(tmp.file("m.seg"), magic)
        #expect(
            spoolError { _ = try SegmentReader(path: tmp.file("m.seg")) }
                == .badSegmentHeader(path: tmp.file("m.seg"), problem: .badMagic))
    }
}
