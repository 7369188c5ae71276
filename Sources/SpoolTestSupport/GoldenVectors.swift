import SpoolBase
package import SpoolFormat
package import TraceSpoolTesting

/// The golden vectors of spool format v1, generated deterministically: fixed segment id, times, pid, host,
/// resource/scope bytes and records, and seeded pseudo-random bytes. `tracespool-vectors` writes them to
/// `Spool/vectors/`; the tests regenerate them in memory and compare byte for byte, so the format cannot change
/// silently.
///
/// The segments are assembled and damaged by `SegmentBuilder`. The span record bodies are small OTLP `Span` messages
/// (trace id, span id, name, start/end times) assembled from fixed bytes by `FixtureSpan`.
package enum GoldenVectors {
    /// The writer identity stamped into every vector.
    package static let identity = WriterIdentity(
        pid: 4242, host: "vector-host.example", startUnixNanos: 1_700_000_000_000_000_000)
    /// The segment creation time of every vector, Unix nanoseconds.
    package static let createdUnixNanos: UInt64 = 1_700_000_000_123_456_789
    /// The segment id of every vector.
    package static let segmentID: UInt64 = 0x7453_706F_6F6C_7631
    /// An OTLP `Resource` with the attribute `service.name = "vectors"`.
    package static let resource: [UInt8] = FixtureSpan.lengthDelimited(
        1,
        FixtureSpan.lengthDelimited(1, Array("service.name".utf8))
            + FixtureSpan.lengthDelimited(2, FixtureSpan.lengthDelimited(1, Array("vectors".utf8))))
    /// An OTLP `InstrumentationScope` named `tracespool.vectors`, version `1.0.0`.
    package static let scope: [UInt8] =
        FixtureSpan.lengthDelimited(1, Array("tracespool.vectors".utf8))
        + FixtureSpan.lengthDelimited(2, Array("1.0.0".utf8))

    /// The segment header of every vector.
    package static var header: SegmentHeader {
        SegmentHeader(
            segmentID: segmentID, createdUnixNanos: createdUnixNanos, writer: identity, resource: resource, scope: scope
        )
    }

    /// The drop counts in the drops record of the standard frames.
    package static let drops = DropCounts([.queueFull: 3, .diskCap: 1, .recordTooLarge: 2])

    /// The record type byte of the unknown-type record in the standard frames (readers must skip it).
    package static let unknownRecordType = RecordType(rawValue: 0x7F)

    /// The records of the four standard frames: LZ4 (compressible spans), stored (written with compression off), a
    /// drops record with a span, an unknown record type with spans.
    package static func standardFrames() -> [[(RecordType, [UInt8])]] {
        var rng = SplitMix64(seed: 0x5EED_0001)
        let trace = rng.bytes(16)
        let base = createdUnixNanos
        func span(_ i: Int, trace: [UInt8], name: String) -> (RecordType, [UInt8]) {
            var r = SplitMix64(seed: UInt64(i) &+ 0x51A7)
            return (
                .span,
                FixtureSpan.encode(
                    traceID: trace, spanID: r.bytes(8), name: name, startUnixNanos: base + UInt64(i) * 1_000_000,
                    endUnixNanos: base + UInt64(i) * 1_000_000 + 750_000)
            )
        }
        let frame0 = (0..<4).map { span($0, trace: trace, name: "GET /api/v1/items/{id} handler step \($0 % 2)") }
        let frame1 = [span(10, trace: rng.bytes(16), name: "db"), span(11, trace: rng.bytes(16), name: "io")]
        let frame2 = [(RecordType.drops, drops.encoded()), span(20, trace: trace, name: "after drops")]
        let frame3 =
            [(unknownRecordType, Array("a record type from a newer writer".utf8))]
            + (30..<33).map { span($0, trace: trace, name: "chain step: retrieve, rerank, generate, answer") }
        return [frame0, frame1, frame2, frame3]
    }

    /// Every vector, in a fixed order.
    ///
    /// - Throws: `SpoolError` only if the frame encoder rejects a payload (it never does for these sizes).
    package static func all() throws(SpoolError) -> [GoldenVector] {
        let standard = standardFrames()
        var result: [GoldenVector] = []

        // valid.seg: the four standard frames and an empty frame.
        var b = SegmentBuilder(header: header)
        try appendStandard(&b, 0..<4)
        try b.appendFrame(records: [])
        precondition(b.frames[0].codec == .lz4Block && b.frames[1].codec == .stored, "\(b.frames)")
        result.append(
            vector(
                "valid.seg", b, damages: [], tail: .clean,
                "5 frames: LZ4 spans; stored spans (compression off); a drops record + span; an unknown record type (0x7F) + LZ4",
                "spans; an empty frame (0 records). Header flags 0 (an older writer: no seal record). Reads clean."))

        // torn-tail.open and truncated-frame.seg: the last frame cut in the middle of its payload.
        for (name, sealed) in [("torn-tail.open", false), ("truncated-frame.seg", true)] {
            var t = SegmentBuilder(header: header)
            try appendStandard(&t, 0..<3)
            let last = try t.appendFrame(records: standard[3])
            let cut = 36 + last.storedLength / 2
            t.truncate(toLength: last.offset + cut)
            result.append(
                vector(
                    name, t,
                    damages: sealed ? [.init(offset: last.offset, length: cut, reason: "truncated_frame")] : [],
                    tail: sealed ? .clean : .partialFrame(offset: last.offset, length: cut),
                    (sealed ? "A sealed" : "An open") + " segment: 3 frames, then a 4th frame cut after \(cut) of its "
                        + "\(last.length) bytes (mid-payload).",
                    sealed
                        ? "3 frames; the cut frame is damage truncated_frame; tail clean."
                        : "3 frames, no damage; tail partial_frame at the cut frame (a torn tail is not damage)."))
        }

        // bitflip.seg: one bit flipped in the payload of frame 1 of 4.
        var f = SegmentBuilder(header: header)
        try appendStandard(&f, 0..<4)
        let flipped = f.frames[1]
        f.flipBit(at: flipped.payloadOffset + flipped.storedLength / 2, bit: 3)
        result.append(
            vector(
                "bitflip.seg", f,
                damages: [.init(offset: flipped.offset, length: flipped.length, reason: "payload_crc_mismatch")],
                tail: .clean,
                "4 frames; bit 3 of the middle byte of frame 1's payload is flipped.",
                "Frames 0, 2, 3; frame 1 is damage payload_crc_mismatch over exactly its bytes."))

        // bad-header-crc-frame.seg: frame 1's header corrupted (its record count byte changed).
        var h = SegmentBuilder(header: header)
        try appendStandard(&h, 0..<4)
        let corrupt = h.frames[1]
        h.flipBit(at: corrupt.offset + 16, bit: 6)
        precondition(!containsMagic(h.bytes[corrupt.offset + 1..<corrupt.offset + corrupt.length]))
        result.append(
            vector(
                "bad-header-crc-frame.seg", h,
                damages: [.init(offset: corrupt.offset, length: corrupt.length, reason: "header_crc_mismatch")],
                tail: .clean,
                "4 frames; frame 1's header has its record-count byte changed, so its header CRC fails.",
                "Frames 0, 2, 3 (resynchronised by scanning); frame 1 is damage header_crc_mismatch."))

        // truncated-header.seg, zero-length.seg, bad-segment-header.seg: unreadable segment headers.
        let full = header.encoded()
        result.append(
            headerVector(
                "truncated-header.seg", Array(full[0..<30]),
                .init(problem: "truncated", have: 30, need: full.count),
                "Only the first 30 bytes of a \(full.count)-byte segment header.",
                "badSegmentHeader(truncated, have 30, need \(full.count)); no frames."))
        result.append(
            headerVector(
                "zero-length.seg", [], .init(problem: "truncated", have: 0, need: 16),
                "An empty file (a writer died before writing the header).",
                "badSegmentHeader(truncated, have 0, need 16); no frames."))
        var badHeader = SegmentBuilder(header: header)
        try badHeader.appendFrame(records: standard[0])
        badHeader.flipBit(at: 50, bit: 0)  // a byte of the host name
        result.append(
            headerVector(
                "bad-segment-header.seg", badHeader.bytes, .init(problem: "checksum_mismatch"),
                "A valid segment with one frame, but one bit of the host name in its header is flipped.",
                "badSegmentHeader(checksum_mismatch): nothing in the segment is trusted, not even its good frame."))

        // huge-length.seg: a frame header claiming 2 GiB with a valid header CRC, between good frames.
        var g = SegmentBuilder(header: header)
        try appendStandard(&g, 0..<2)
        let hugeOffset = g.bytes.count
        var huge: [UInt8] = []
        FrameHeader(
            codec: .stored, sequence: g.nextSequence, recordCount: 1, uncompressedLength: 0x8000_0000,
            storedLength: 0x8000_0000, payloadCRC: 0
        ).encode(into: &huge)
        huge += [UInt8](repeating: 0xEE, count: 28)
        g.appendRaw(huge)
        g.nextSequence += 1
        try g.appendFrame(records: standard[3])
        result.append(
            vector(
                "huge-length.seg", g,
                damages: [.init(offset: hugeOffset, length: huge.count, reason: "length_beyond_limit")], tail: .clean,
                "Frames 0, 1; a frame header (valid header CRC) claiming a 2 GiB stored length + 28 filler bytes;"
                    + " frame 3.",
                "Frames 0, 1, 3; the bogus header and filler are damage length_beyond_limit; nothing is allocated."))

        // garbage-between.seg: random bytes (no 0xF5, so no frame magic) inserted between frames 1 and 2.
        var r = SegmentBuilder(header: header)
        try appendStandard(&r, 0..<2)
        var rng = SplitMix64(seed: 0x6A2B_A6E0)
        let garbage = rng.bytes(77).map { $0 == 0xF5 ? 0 : $0 }
        let garbageOffset = r.bytes.count
        r.appendRaw(garbage)
        try appendStandard(&r, 2..<4)
        result.append(
            vector(
                "garbage-between.seg", r,
                damages: [.init(offset: garbageOffset, length: garbage.count, reason: "bad_magic")], tail: .clean,
                "4 frames with 77 pseudo-random bytes (no frame magic) inserted between frames 1 and 2.",
                "All 4 frames (sequence stays consecutive); the inserted bytes are damage bad_magic."))

        // sequence-gap.seg: frame 2 is missing (frames 0, 1, 3 back to back).
        var s = SegmentBuilder(header: header)
        try appendStandard(&s, 0..<2)
        s.nextSequence += 1
        try s.appendFrame(records: standard[3])
        let gapAt = s.frames[2].offset
        result.append(
            vector(
                "sequence-gap.seg", s, damages: [.init(offset: gapAt, length: 0, reason: "sequence_gap")], tail: .clean,
                "3 valid frames with sequence numbers 0, 1, 3 back to back (frame 2 was cut out).",
                "All 3 frames and a zero-length damage sequence_gap at the frame with sequence 3."))

        // Frame 1 replaced by a frame that is valid as far as its CRCs go but fails a later check.
        var probe = SegmentBuilder(header: header)
        try appendStandard(&probe, 0..<1)
        let frame1 = try probe.encodeFrame(records: standard[1], compress: false).bytes
        let badLZ4: [UInt8] = [0xF0, 1, 2, 3, 4, 5, 6, 7]  // 15+1 literals announced, 6 present
        var badLZ4Frame: [UInt8] = []
        FrameHeader(
            codec: .lz4Block, sequence: 1, recordCount: 1, uncompressedLength: 64, storedLength: 8,
            payloadCRC: CRC32C.checksum(badLZ4)
        ).encode(into: &badLZ4Frame)
        badLZ4Frame += badLZ4
        var miscount = probe
        miscount.nextSequence = 1
        let miscounted = try miscount.encodeFrame(records: standard[1], compress: false, recordCount: 3).bytes
        let replacements: [(String, [UInt8], String, String)] = [
            (
                "unknown-codec.seg", patchHeader(frame1, byte: 4, to: 9), "unknown_codec",
                "4 frames; frame 1's codec byte is 9 (unknown), its header CRC recomputed so only the codec is wrong."
            ),
            (
                "reserved-bits.seg", patchHeader(frame1, byte: 5, to: 1), "reserved_bits_set",
                "4 frames; frame 1's flags byte is 1 (must be 0 in v1), its header CRC recomputed."
            ),
            (
                "decompression-failed.seg", badLZ4Frame, "decompression_failed",
                "4 frames; frame 1 is an LZ4 frame (valid CRCs) whose 8-byte block cannot decompress to 64 bytes."
            ),
            (
                "malformed-records.seg", miscounted, "malformed_records",
                "4 frames; frame 1 (valid CRCs) says 3 records but its payload holds 2."
            ),
        ]
        for (name, replacement, reason, line1) in replacements {
            result.append(try replacedFrameVector(name, replacement, reason: reason, line1))
        }
        result += try ruleVectors()
        result += try sealVectors()
        return result
    }

    /// A vector whose frame 1 of the standard four is replaced by `replacement` (bytes without a frame magic after
    /// their first byte), read as damage `reason` over exactly those bytes.
    static func replacedFrameVector(
        _ name: String, _ replacement: [UInt8], reason: String, _ line1: String
    ) throws(SpoolError) -> GoldenVector {
        var m = SegmentBuilder(header: header)
        try appendStandard(&m, 0..<1)
        let offset = m.bytes.count
        precondition(!containsMagic(replacement[1...]))
        m.appendRaw(replacement)
        m.nextSequence += 1
        try appendStandard(&m, 2..<4)
        return vector(
            name, m, damages: [.init(offset: offset, length: replacement.count, reason: reason)], tail: .clean,
            line1, "Frames 0, 2, 3; frame 1 is damage \(reason) over exactly its bytes.")
    }

    /// `frame` with header byte `byte` set to `value` and the header CRC recomputed.
    static func patchHeader(_ frame: [UInt8], byte: Int, to value: UInt8) -> [UInt8] {
        var out = frame
        out[byte] = value
        let crc = CRC32C.checksum(out[0..<32])
        for i in 0..<4 { out[32 + i] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(i))) }
        return out
    }

    /// Appends the standard frames `range` to `builder`; frame 1 is written with compression off (stored codec).
    package static func appendStandard(_ builder: inout SegmentBuilder, _ range: Range<Int>) throws(SpoolError) {
        let standard = standardFrames()
        for i in range { try builder.appendFrame(records: standard[i], compress: i != 1) }
    }

    /// A vector of `builder`'s bytes; its expected frames are the builder's undamaged frames, its seal the
    /// builder's.
    ///
    /// - Parameters:
    ///   - header: the expected header when it differs from the builder's (bytes patched by hand).
    ///   - frames: the expected frames when they differ from the builder's (frames appended raw, or not read).
    static func vector(
        _ name: String, _ builder: SegmentBuilder, header: ExpectedRead.Header? = nil,
        frames: [ExpectedRead.Frame]? = nil, bytes: [UInt8]? = nil, damages: [ExpectedRead.DamageRegion],
        tail: SegmentTail, _ line1: String, _ line2: String
    ) -> GoldenVector {
        GoldenVector(
            name: name, summary: (line1, line2), bytes: bytes ?? builder.bytes,
            expected: ExpectedRead(
                vector: name, header: header ?? ExpectedRead.Header(builder), headerError: nil,
                frames: frames ?? builder.frames.map(ExpectedRead.Frame.init), damages: damages, tail: tail,
                seal: builder.seal.map(ExpectedRead.Seal.init)))
    }

    static func headerVector(
        _ name: String, _ bytes: [UInt8], _ error: ExpectedRead.HeaderError, _ line1: String, _ line2: String
    ) -> GoldenVector {
        GoldenVector(
            name: name, summary: (line1, line2), bytes: bytes,
            expected: ExpectedRead(vector: name, header: nil, headerError: error, frames: [], damages: [], tail: .clean)
        )
    }

    static func containsMagic(_ bytes: ArraySlice<UInt8>) -> Bool {
        let a = Array(bytes)
        guard a.count >= 4 else { return false }
        return (0...a.count - 4).contains { a[$0..<$0 + 4].elementsEqual(FrameHeader.magic) }
    }

    /// The text of `Spool/vectors/README.md`.
    package static func readme(_ vectors: [GoldenVector]) -> String {
        var out = """
            # Golden vectors of spool format v1

            Generated by `swift run tracespool-vectors Spool/vectors` (module `SpoolTestSupport`, `GoldenVectors`);
            do not edit by hand. Each `<name>` has `<name>.expected.json`, laid out in `Spool/FORMAT.md` §10: the
            header fields (or `header_error`), the frames (offset, length, sequence, record count, codec, CRC-32C of
            the stored and of the decompressed payload, record types), the damages (offset, length, reason code), the
            seal frame and the tail. The tests
            (`Tests/SpoolFormatTests/GoldenVectorTests.swift`) read every vector and compare with its JSON, and
            regenerate every vector in memory and compare byte for byte. All vectors share one header (flags 0 unless
            a vector says otherwise): segment id
            0x\(Hex.string(segmentID, digits: 16)), pid \(identity.pid), host `\(identity.host)`, a Resource with `service.name =
            vectors`, scope `tracespool.vectors` 1.0.0. The extension matters: `.open` segments may end in a
            partial frame (tail), `.seg` ones may not (damage). `tracespool-vectors` exits 0 on success and 1 on a
            usage or I/O error. An independent reader written from `Spool/FORMAT.md` alone checks them too:
            `python3 Tests/SpoolFormatTests/Python/spool_reader.py Spool/vectors`.


            """
        for v in vectors {
            out += "- `\(v.name)` (\(v.bytes.count) bytes): \(v.summary.0)\n  \(v.summary.1)\n"
        }
        return out
    }
}
