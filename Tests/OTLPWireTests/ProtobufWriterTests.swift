import Testing

@testable import OTLPWire

@Suite("ProtobufWriter")
struct ProtobufWriterTests {
    static let varintCases: [(UInt64, [UInt8])] = [
        (0, [0x00]),
        (1, [0x01]),
        (127, [0x7F]),
        (128, [0x80, 0x01]),
        (300, [0xAC, 0x02]),
        (16383, [0xFF, 0x7F]),
        (16384, [0x80, 0x80, 0x01]),
        (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
        (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test("varint edge cases", arguments: varintCases)
    func varint(value: UInt64, expected: [UInt8]) throws {
        var w = ProtobufWriter(capacity: 0)
        w.appendVarint(value)
        #expect(w.bytes == expected)
        #expect(ProtobufWriter.varintSize(value) == expected.count)
        let decoded = try expected.withUnsafeBytes { raw throws(OTLPDecodingError) in
            var r = ProtobufReader(raw)
            return try r.readVarint()
        }
        #expect(decoded == value)
    }

    @Test func negativeInt64IsTenByteVarint() {
        var w = ProtobufWriter()
        w.appendVarint(Int64(-1))
        #expect(w.bytes == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        w.reset()
        w.appendVarint(Int64.min)
        #expect(w.bytes == [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01])
        w.reset()
        w.appendInt32Field(field: 3, -2)
        #expect(w.bytes == [0x18, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
    }

    @Test func varintSizeMatchesEncodingForAllBitLengths() {
        var w = ProtobufWriter()
        for bits in 0...64 {
            for value in [
                bits == 0 ? 0 : (UInt64(1) << (bits - 1)), bits == 64 ? UInt64.max : (UInt64(1) << bits) &- 1,
            ] {
                w.reset()
                w.appendVarint(value)
                #expect(w.bytes.count == ProtobufWriter.varintSize(value), "value \(value)")
            }
        }
    }

    @Test func fixedWidthAndTags() {
        var w = ProtobufWriter()
        w.appendFixed32Field(field: 16, 0x0403_0201)
        w.appendFixed64Field(field: 7, 0x0807_0605_0403_0201)
        w.appendDoubleField(field: 4, 1.0)
        #expect(
            w.bytes == [
                0x85, 0x01, 0x01, 0x02, 0x03, 0x04,
                0x39, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,
            ])
        #expect(ProtobufWriter.tagSize(field: 15) == 1)
        #expect(ProtobufWriter.tagSize(field: 16) == 2)
    }

    @Test func lengthDelimitedOverloadsAgree() {
        let payload: [UInt8] = [1, 2, 3, 250]
        var a = ProtobufWriter(), b = ProtobufWriter(), c = ProtobufWriter(), d = ProtobufWriter()
        a.appendLengthDelimited(field: 2, bytes: payload)
        b.appendLengthDelimited(field: 2, bytes: payload[...])
        payload.withUnsafeBytes { c.appendLengthDelimited(field: 2, bytes: $0) }
        d.appendString(field: 2, String(decoding: [0xC3, 0xA9], as: UTF8.self))
        #expect(a.bytes == [0x12, 0x04, 1, 2, 3, 250])
        #expect(a.bytes == b.bytes)
        #expect(a.bytes == c.bytes)
        #expect(d.bytes == [0x12, 0x02, 0xC3, 0xA9])
    }

    @Test(
        "nested message length prefix across varint boundaries",
        arguments: [0, 1, 126, 127, 128, 129, 300, 16382, 16383, 16384, 16385, 2_097_151, 2_097_152])
    func nestedLengthPrefix(bodyLength: Int) throws {
        var w = ProtobufWriter(capacity: 4)
        w.appendVarintField(field: 1, 7)  // leading bytes must stay intact
        w.appendMessage(field: 9) { inner in
            for i in 0..<bodyLength { inner.bytes.append(UInt8(truncatingIfNeeded: i)) }
        }
        w.appendVarintField(field: 2, 5)  // trailing bytes must follow the body
        var expected: [UInt8] = [0x08, 0x07, 0x4A]
        var lengthWriter = ProtobufWriter()
        lengthWriter.appendVarint(UInt64(bodyLength))
        expected += lengthWriter.bytes
        expected += (0..<bodyLength).map { UInt8(truncatingIfNeeded: $0) }
        expected += [0x10, 0x05]
        #expect(w.bytes.count == expected.count)
        #expect(w.bytes == expected)
    }

    @Test func nestedMessagesInsideNestedMessagesShiftCorrectly() throws {
        // Outer body grows past 127 and 16383 only because of inner messages that also shift.
        let value = OTLPValue.array((0..<200).map { i in .array([.string(String(repeating: "x", count: i))]) })
        let encoded = value.serializedAnyValue()
        #expect(try OTLPValue(decodingAnyValue: encoded) == value)
    }

    @Test func resetKeepsCapacity() {
        var w = ProtobufWriter(capacity: 1024)
        w.appendString(field: 1, String(repeating: "a", count: 500))
        let capacity = w.bytes.capacity
        w.reset()
        #expect(w.bytes.isEmpty)
        #expect(w.bytes.capacity == capacity)
    }
}
