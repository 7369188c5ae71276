import OTLPWire
import Testing

@Suite("Span round trip")
struct SpanRoundTripTests {
    @Test func goldenSpanRoundTrips() throws {
        let span = Fixtures.goldenSpan
        let bytes = span.serialized()
        #expect(try OTLPSpan(decoding: bytes) == span)
        #expect(try OTLPSpan(decoding: bytes[...]) == span)
        #expect(try bytes.withUnsafeBytes { raw throws(OTLPDecodingError) in try OTLPSpan(decoding: raw) } == span)
    }

    @Test func richSpanRoundTrips() throws {
        let span = Fixtures.richSpan
        let bytes = span.serialized()
        let decoded = try OTLPSpan(decoding: bytes)
        #expect(decoded == span)
        #expect(decoded.kind.rawValue == 42)
        #expect(decoded.status.code.rawValue == -5)
        // Re-encoding is byte-identical.
        #expect(decoded.serialized() == bytes)
    }

    @Test func nonContiguousCollectionDecodes() throws {
        let bytes = Fixtures.goldenSpan.serialized()
        let lazy = bytes.lazy.map { $0 }  // no contiguous storage
        #expect(try OTLPSpan(decoding: lazy) == Fixtures.goldenSpan)
    }

    @Test func emptySpanEncodesToNothing() throws {
        let span = OTLPSpan()
        #expect(span.serialized().isEmpty)
        #expect(try OTLPSpan(decoding: [UInt8]()) == span)
    }

    @Test func nanDoubleKeepsBitPattern() throws {
        let nan = Double(bitPattern: 0x7FF8_0000_0000_0123)
        let bytes = OTLPValue.double(nan).serializedAnyValue()
        guard case .double(let d) = try OTLPValue(decodingAnyValue: bytes) else {
            Issue.record("not a double")
            return
        }
        #expect(d.bitPattern == nan.bitPattern)
    }

    @Test func unknownFieldsAreSkipped() throws {
        var w = ProtobufWriter()
        w.appendVarintField(field: 100, 12345)  // unknown varint
        w.appendFixed32Field(field: 101, 1)  // unknown fixed32
        w.appendFixed64Field(field: 102, 1)  // unknown fixed64
        w.appendString(field: 103, "ignored")  // unknown length-delimited
        w.appendTag(field: 104, wireType: .startGroup)  // unknown group with nested content
        w.appendVarintField(field: 1, 1)
        w.appendTag(field: 105, wireType: .startGroup)
        w.appendTag(field: 105, wireType: .endGroup)
        w.appendTag(field: 104, wireType: .endGroup)
        w.appendVarintField(field: 5, 1)  // known field, wrong wire type
        w.appendString(field: 5, "name")
        Fixtures.goldenSpan.encode(into: &w)
        var expected = Fixtures.goldenSpan
        expected.name = "GET /users"  // last occurrence wins
        #expect(try OTLPSpan(decoding: w.bytes) == expected)
    }

    @Test func repeatedSingularFieldsLastWins() throws {
        var w = ProtobufWriter()
        w.appendString(field: 5, "first")
        w.appendString(field: 5, "second")
        #expect(try OTLPSpan(decoding: w.bytes).name == "second")
    }

    @Test func resourceAndScopeRoundTrip() throws {
        let resource = OTLPResource(
            attributes: [
                OTLPKeyValue("service.name", .string("checkout")),
                OTLPKeyValue("host.cpus", .int(8)),
            ], droppedAttributesCount: 3)
        let scope = OTLPInstrumentationScope(
            name: "TraceSpool", version: "1.2.3", attributes: [OTLPKeyValue("k", .bool(true))],
            droppedAttributesCount: 1)
        #expect(try OTLPResource(decoding: resource.serialized()) == resource)
        #expect(try OTLPInstrumentationScope(decoding: scope.serialized()) == scope)
        #expect(OTLPResource().serialized().isEmpty)
        #expect(OTLPInstrumentationScope().serialized().isEmpty)
    }

    @Test func keyValueWithoutValueDecodesAsEmpty() throws {
        var w = ProtobufWriter()
        w.appendMessage(field: 9) { $0.appendString(field: 1, "k") }
        #expect(try OTLPSpan(decoding: w.bytes).attributes == [OTLPKeyValue("k", .empty)])
    }

    @Test func invalidUTF8IsRepaired() throws {
        var w = ProtobufWriter()
        w.appendLengthDelimited(field: 5, bytes: [0x61, 0xFF, 0x62])
        #expect(try OTLPSpan(decoding: w.bytes).name == "a\u{FFFD}b")
    }
}
