import OTLPWire
import Testing

/// Decoders must either succeed or throw `OTLPDecodingError` on any input: never trap,
/// never read out of bounds, never allocate according to an untrusted length.
@Suite("Decoder robustness")
struct DecoderRobustnessTests {
    /// Runs every public decoder over `bytes`; returns how many succeeded.
    @discardableResult
    static func decodeAll(_ bytes: [UInt8]) -> Int {
        var ok = 0
        do { _ = try OTLPSpan(decoding: bytes); ok += 1 } catch { #expect(!error.description.isEmpty) }
        do { _ = try OTLPResource(decoding: bytes); ok += 1 } catch { _ = error.offset }
        do { _ = try OTLPInstrumentationScope(decoding: bytes); ok += 1 } catch { _ = error.offset }
        do { _ = try OTLPValue(decodingAnyValue: bytes); ok += 1 } catch { _ = error.offset }
        do { _ = try ExportTraceServiceResponse(decoding: bytes); ok += 1 } catch { _ = error.offset }
        return ok
    }

    @Test func randomBytes() {
        var rng = SeededGenerator(seed: 0x5EED)
        var successes = 0
        for _ in 0..<5_000 {
            let length = Int.random(in: 0...200, using: &rng)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            successes += Self.decodeAll(bytes)
        }
        #expect(successes > 0)
    }

    @Test func randomStructuredBytes() {
        // Random sequences built from plausible tags so decoding goes deeper than the first byte.
        var rng = SeededGenerator(seed: 42)
        let pieces: [[UInt8]] = [
            [0x0A], [0x12], [0x4A], [0x5A], [0x6A], [0x7A], [0x2A], [0x39], [0x85, 0x01],
            [0x08], [0x10], [0x18], [0x21], [0x0B], [0x0C], [0x00], [0x80], [0xFF], [0x01], [0x05],
        ]
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...40, using: &rng) {
                bytes += pieces[Int.random(in: 0..<pieces.count, using: &rng)]
            }
            Self.decodeAll(bytes)
        }
    }

    @Test func everyTruncationOfAValidSpan() {
        let bytes = Fixtures.richSpan.serialized()
        #expect(bytes.count > 20_000)
        var failures = 0
        for length in 0..<bytes.count {
            do {
                _ = try OTLPSpan(decoding: bytes[0..<length])
            } catch {
                failures += 1
                #expect(error.offset >= 0 && error.offset <= length)
            }
        }
        #expect(failures > 0)
        #expect(throws: Never.self) { try OTLPSpan(decoding: bytes) }
    }

    @Test func everySingleBitFlipOfAValidSpan() {
        let bytes = Fixtures.goldenSpan.serialized()
        for index in bytes.indices {
            for bit in 0..<8 {
                var mutated = bytes
                mutated[index] ^= UInt8(1) << bit
                Self.decodeAll(mutated)
            }
        }
    }

    @Test func randomByteMutationsOfAValidSpan() {
        var rng = SeededGenerator(seed: 7)
        let bytes = Fixtures.goldenSpan.serialized()
        for _ in 0..<3_000 {
            var mutated = bytes
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                mutated[Int.random(in: 0..<mutated.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            Self.decodeAll(mutated)
        }
    }

    @Test func hugeClaimedLengthDoesNotAllocate() {
        var w = ProtobufWriter()
        w.appendTag(field: 1, wireType: .lengthDelimited)
        w.appendVarint(UInt64(1) << 60)
        w.bytes += [1, 2, 3]
        #expect(
            throws: OTLPDecodingError(offset: 1, reason: .lengthExceedsInput(claimed: UInt64(1) << 60, available: 3))
        ) {
            try OTLPSpan(decoding: w.bytes)
        }
        // Same inside a nested attribute, and for an unknown field being skipped.
        var nested = ProtobufWriter()
        nested.appendTag(field: 9, wireType: .lengthDelimited)
        nested.appendVarint(UInt64.max)
        #expect(throws: OTLPDecodingError.self) { try OTLPSpan(decoding: nested.bytes) }
        var unknown = ProtobufWriter()
        unknown.appendTag(field: 999, wireType: .lengthDelimited)
        unknown.appendVarint(UInt64(1) << 62)
        #expect(throws: OTLPDecodingError.self) { try OTLPSpan(decoding: unknown.bytes) }
    }

    @Test func deepNestingIsCapped() throws {
        var value = OTLPValue.string("leaf")
        for _ in 0..<200 { value = .array([value]) }
        let span = OTLPSpan(attributes: [OTLPKeyValue("deep", value)])
        do {
            _ = try OTLPSpan(decoding: span.serialized())
            Issue.record("expected nestingTooDeep")
        } catch {
            #expect(error.reason == .nestingTooDeep(limit: 32))
        }
        // Moderate nesting (14 arrays: 2 + 2*14 + 1 = 31 levels) still decodes.
        var moderate = OTLPValue.string("leaf")
        for _ in 0..<14 { moderate = .array([moderate]) }
        let ok = OTLPSpan(attributes: [OTLPKeyValue("deep", moderate)])
        #expect(try OTLPSpan(decoding: ok.serialized()) == ok)
    }

    @Test func deepGroupNestingIsCapped() {
        let bytes = [UInt8](repeating: 0x0B, count: 100_000)  // start-group, field 1, forever
        #expect(throws: OTLPDecodingError.self) { try OTLPSpan(decoding: bytes) }
        #expect(throws: OTLPDecodingError(offset: 0, reason: .unexpectedEndGroup)) { try OTLPSpan(decoding: [0x0C]) }
    }

    @Test func malformedPrimitives() {
        #expect(throws: OTLPDecodingError(offset: 0, reason: .invalidFieldNumber(0))) { try OTLPSpan(decoding: [0x00]) }
        #expect(throws: OTLPDecodingError(offset: 0, reason: .invalidWireType(6))) { try OTLPSpan(decoding: [0x0E]) }
        #expect(throws: OTLPDecodingError(offset: 0, reason: .truncated)) { try OTLPSpan(decoding: [0x80]) }
        #expect(throws: OTLPDecodingError(offset: 1, reason: .truncated)) { try OTLPSpan(decoding: [0x39, 1, 2, 3]) }
        let elevenByteVarint: [UInt8] = [0x08] + [UInt8](repeating: 0xFF, count: 10) + [0x01]
        #expect(throws: OTLPDecodingError(offset: 1, reason: .malformedVarint)) {
            try OTLPSpan(decoding: elevenByteVarint)
        }
        let overflowVarint: [UInt8] = [0x08] + [UInt8](repeating: 0xFF, count: 9) + [0x02]
        #expect(throws: OTLPDecodingError(offset: 1, reason: .malformedVarint)) {
            try OTLPSpan(decoding: overflowVarint)
        }
        let fieldTooLarge: [UInt8] = [0xF8, 0xFF, 0xFF, 0xFF, 0x1F]  // field 2^29 is out of range
        #expect(throws: OTLPDecodingError.self) { try OTLPSpan(decoding: fieldTooLarge) }
    }

    @Test func errorDescriptionNamesOffsetAndReason() {
        let error = OTLPDecodingError(offset: 17, reason: .lengthExceedsInput(claimed: 99, available: 3))
        #expect(error.description.contains("offset 17"))
        #expect(error.description.contains("99"))
    }
}
