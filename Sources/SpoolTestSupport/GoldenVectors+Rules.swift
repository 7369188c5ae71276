import SpoolBase
@_spi(Internal) package import SpoolFormat
import TraceSpoolTesting

extension GoldenVectors {
    /// The vectors of the reading rules `Spool/FORMAT.md` spells out for edge cases: the order of the header and
    /// frame checks, stored length above uncompressed length, an empty LZ4 block, varint overflow and non-minimal
    /// varints, malformed drops and seal records, an out-of-range host name length and a host name that is not
    /// UTF-8.
    static func ruleVectors() throws(SpoolError) -> [GoldenVector] {
        var result: [GoldenVector] = []
        let full = header.encoded()

        result.append(
            headerVector(
                "short-garbage.seg", Array("not a seg!".utf8), .init(problem: "truncated", have: 10, need: 16),
                "10 bytes of text: fewer than 16 bytes, and no segment magic either.",
                "badSegmentHeader(truncated, have 10, need 16): a short file is truncated whatever its bytes."))

        var disorder = full
        put(UInt32(59), into: &disorder, at: 12)
        put(UInt16(65), into: &disorder, at: 44)
        disorder[20] ^= 1
        result.append(
            headerVector(
                "header-check-order.seg", disorder, .init(problem: "bad_length", field: "header_length"),
                "A header with H = 59, host name length 65 and a wrong CRC.",
                "badSegmentHeader(bad_length, header_length): H is checked before the CRC and the field lengths."))

        var hostLength = full
        put(UInt16(65), into: &hostLength, at: 44)
        resealHeader(&hostLength)
        result.append(
            headerVector(
                "bad-host-length.seg", hostLength, .init(problem: "bad_length", field: "host_name_length"),
                "A header (valid CRC) whose host name length is 65.",
                "badSegmentHeader(bad_length, host_name_length): the field out of range is named."))

        // The 19 host name bytes replaced by 19 bytes that are not UTF-8 (a lone 0xFF, a lead byte before '(', an
        // encoded surrogate), CRC recomputed; then one frame.
        let host = Array("vector-".utf8) + [0xFF, 0xC3, 0x28, 0xED, 0xA0, 0x80] + Array("hostxy".utf8)
        precondition(host.count == identity.host.utf8.count)
        var utf8 = SegmentBuilder(header: header)
        try appendStandard(&utf8, 0..<1)
        var utf8Bytes = utf8.bytes
        utf8Bytes.replaceSubrange(48..<48 + host.count, with: host)
        var headerPart = Array(utf8Bytes[0..<utf8.headerLength])
        resealHeader(&headerPart)
        utf8Bytes.replaceSubrange(0..<utf8.headerLength, with: headerPart)
        var utf8Header = ExpectedRead.Header(utf8)
        utf8Header.writerHost = String(decoding: host, as: UTF8.self)
        result.append(
            vector(
                "host-invalid-utf8.seg", utf8, header: utf8Header, bytes: utf8Bytes, damages: [], tail: .clean,
                "A header (valid CRC) whose host name bytes are not UTF-8 (FF, C3 28, ED A0 80), then frame 0.",
                "Reads clean; the host name has U+FFFD for each maximal invalid subsequence (5 of them)."))

        func frameHeader(
            codec: UInt8, flags: UInt8 = 0, count: UInt32, u: UInt32, s: UInt32, payload: [UInt8]
        ) -> [UInt8] {
            var out: [UInt8] = []
            FrameHeader(
                codec: .stored, sequence: 1, recordCount: count, uncompressedLength: u, storedLength: s,
                payloadCRC: CRC32C.checksum(payload)
            ).encode(into: &out)
            out[4] = codec
            out[5] = flags
            return patchHeader(out, byte: 4, to: codec) + payload
        }
        result.append(
            try replacedFrameVector(
                "frame-check-order.seg",
                frameHeader(codec: 9, flags: 1, count: 1, u: 32 << 20, s: 32 << 20, payload: []),
                reason: "unknown_codec",
                "4 frames; frame 1 is a header (valid CRC) with codec 9, flags 1 and 32 MiB lengths, no payload."))
        let nine: [UInt8] = [0x80, 1, 2, 3, 4, 5, 6, 7, 8]
        result.append(
            try replacedFrameVector(
                "stored-larger.seg", frameHeader(codec: 1, count: 1, u: 8, s: 9, payload: nine),
                reason: "length_beyond_limit",
                "4 frames; frame 1 is an LZ4 frame (valid CRCs) storing 9 bytes for an 8-byte payload."))
        result.append(
            try replacedFrameVector(
                "empty-lz4.seg", frameHeader(codec: 1, count: 0, u: 0, s: 0, payload: []),
                reason: "decompression_failed",
                "4 frames; frame 1 is an LZ4 frame (valid CRCs) with S = U = 0 and no records: an empty LZ4 block."))

        func storedFrame(_ payload: [UInt8], count: Int) throws(SpoolError) -> [UInt8] {
            try FrameEncoder(compress: false).encodedFrame(payload: payload, recordCount: count, sequence: 1)
        }
        // A span record whose body length is 5 + 2^64 in 10 bytes: 64-bit arithmetic would wrap it to 5.
        let overflow: [UInt8] = [1, 0x85] + [UInt8](repeating: 0x80, count: 8) + [0x02] + [9, 9, 9, 9, 9]
        result.append(
            try replacedFrameVector(
                "varint-overflow.seg", try storedFrame(overflow, count: 1), reason: "malformed_records",
                "4 frames; frame 1 holds a record whose 10-byte body length varint is 5 + 2^64 (then 5 bytes)."))

        var tooMany: [UInt8] = []
        tooMany.append(contentsOf: [0x81, 0x02])  // 257 entries
        for _ in 0..<257 { tooMany += [1, 1] }
        var tooManyPayload: [UInt8] = []
        RecordEncoding.append(type: .drops, body: tooMany, to: &tooManyPayload)
        result.append(
            try replacedFrameVector(
                "drops-too-many-entries.seg", try storedFrame(tooManyPayload, count: 1), reason: "malformed_records",
                "4 frames; frame 1 (valid CRCs) holds a drops record with 257 entries (the limit is 256)."))
        var trailingPayload: [UInt8] = []
        RecordEncoding.append(type: .drops, body: drops.encoded() + [0], to: &trailingPayload)
        result.append(
            try replacedFrameVector(
                "drops-trailing-bytes.seg", try storedFrame(trailingPayload, count: 1), reason: "malformed_records",
                "4 frames; frame 1 (valid CRCs) holds a drops record with one byte after its last entry."))
        var sharedPayload = SealRecord(frameCount: 1, recordCount: 4).framePayload
        RecordEncoding.append(type: .span, body: standardFrames()[0][0].1, to: &sharedPayload)
        result.append(
            try replacedFrameVector(
                "seal-shares-frame.seg", try storedFrame(sharedPayload, count: 2), reason: "malformed_records",
                "4 frames; frame 1 (valid CRCs) holds a seal record and a span record."))

        // A valid vector: frame 1's only record has its body length written non-minimally (2 bytes for 5).
        var loose = SegmentBuilder(header: header)
        try appendStandard(&loose, 0..<1)
        let body: [UInt8] = [9, 9, 9, 9, 9]
        let payload: [UInt8] = [0x7F, 0x85, 0x00] + body
        let raw = try storedFrame(payload, count: 1)
        let looseFrame = ExpectedRead.Frame(
            offset: loose.bytes.count, length: raw.count, sequence: 1, recordCount: 1, codec: "stored",
            storedLength: payload.count, uncompressedLength: payload.count, storedCRC32C: CRC32C.checksum(payload),
            uncompressedCRC32C: CRC32C.checksum(payload), recordTypes: [0x7F])
        loose.appendRaw(raw)
        loose.nextSequence = 2
        try appendStandard(&loose, 2..<4)
        var looseFrames = loose.frames.map(ExpectedRead.Frame.init)
        looseFrames.insert(looseFrame, at: 1)
        result.append(
            vector(
                "varint-non-minimal.seg", loose, frames: looseFrames, damages: [], tail: .clean,
                "4 frames; frame 1 holds one record (type 0x7F) whose body length 5 is written as 85 00.",
                "Reads clean: a non-minimal varint is accepted."))

        // A valid frame whose span record is not a protobuf Span: the format does not look inside span bodies.
        var undecodable = SegmentBuilder(header: header)
        try appendStandard(&undecodable, 0..<1)
        try undecodable.appendFrame(records: [(.span, [0xFF, 0xFF, 0xFF]), standardFrames()[1][0]], compress: false)
        try undecodable.appendFrame(records: standardFrames()[2])
        result.append(
            vector(
                "undecodable-span.seg", undecodable, damages: [], tail: .clean,
                "3 frames; frame 1 (valid CRCs) holds a span record whose body FF FF FF is not a protobuf Span.",
                "Reads clean: 3 frames, no damage (readers that decode spans skip and report that record)."))
        return result
    }

    /// Writes `value` little-endian into `bytes` at `offset`.
    static func put<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8], at offset: Int) {
        for i in 0..<MemoryLayout<T>.size { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (8 * i)) }
    }

    /// Recomputes the CRC at the end of an encoded segment header (`bytes` is exactly the header).
    static func resealHeader(_ bytes: inout [UInt8]) {
        put(CRC32C.checksum(bytes[0..<bytes.count - 4]), into: &bytes, at: bytes.count - 4)
    }
}
