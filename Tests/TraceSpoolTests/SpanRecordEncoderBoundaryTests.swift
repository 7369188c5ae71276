import OTLPWire
import Testing
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// The stack-assembled fast path at the exact edges of its bounds (`SpanRecordEncoder.Layout`): a span that just
    /// fits takes it, one byte more takes the general path, and either way the record decodes to the span the general
    /// path writes. (Debug builds assert every unchecked write, so a bound that is off by one traps here.)
    @Suite("Span record encoder bounds")
    struct SpanRecordEncoderBoundaryTests {
        typealias Layout = SpanRecordEncoder.Layout

        /// A string of `count` ASCII bytes starting with `prefix`.
        static func text(_ prefix: String, _ count: Int) -> String {
            precondition(prefix.utf8.count <= count)
            return prefix + String(repeating: "x", count: count - prefix.utf8.count)
        }

        /// Checks one span: whether the fast path takes it (`fast`), that the record `appendSpanRecord` writes is
        /// well formed and decodes to the span the general path writes, and that a fast record's body is byte for
        /// byte the general path's.
        static func check(
            _ h: EncoderHarness, _ storage: SpanStorage, dictionary: SpanAttributes? = nil, fast: Bool,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let general = h.generalBody(storage, dictionary: dictionary)
            let fastRecord = h.fastRecord(storage, dictionary: dictionary)
            #expect((fastRecord != nil) == fast, "fast path taken", sourceLocation: sourceLocation)
            if let fastRecord {
                let body = try #require(EncoderHarness.body(ofRecord: fastRecord), sourceLocation: sourceLocation)
                #expect(body == general, "fast and general bodies", sourceLocation: sourceLocation)
                #expect(fastRecord.count <= Layout.recordScratchBytes, sourceLocation: sourceLocation)
            }
            let record = h.record(storage, dictionary: dictionary)
            let body = try #require(EncoderHarness.body(ofRecord: record), sourceLocation: sourceLocation)
            #expect(try OTLPSpan(decoding: body) == OTLPSpan(decoding: general), sourceLocation: sourceLocation)
            #expect(try isCanonicalUpToFieldOrder(body), sourceLocation: sourceLocation)
        }

        @Test("the layout's bounds are the sizes of the longest prefix, key-value and suffix actually written")
        func layoutMatchesWrites() {
            let h = EncoderHarness()
            let storage = h.span(Self.text("n", Layout.maxShortStringBytes))
            withUnsafeTemporaryAllocation(byteCount: Layout.recordScratchBytes, alignment: 8) { scratch in
                let base = scratch.baseAddress!
                var b = StackBytes(base, capacity: Layout.recordScratchBytes)
                #expect(h.encoder.writePrefix(storage, name: Self.text("n", Layout.maxShortStringBytes), into: &b))
                #expect(b.count == Layout.maxPrefixBytes)
                b = StackBytes(base, capacity: Layout.recordScratchBytes)
                h.encoder.writeSuffix(storage, endNanos: .max, into: &b)
                #expect(b.count == Layout.suffixBytes)
                // The longest string key-value: key and value together as long as a one-byte length allows.
                let key = Self.text("k", 22)
                let value = StoredAttributeValue.string(Self.text("v", Layout.maxShortStringBytes))
                b = StackBytes(base, capacity: Layout.recordScratchBytes)
                var long = false
                #expect(
                    h.encoder.writeKeyValue(
                        field: OTLPField.Span.attributes, key, value, into: &b, mayHoldCredential: &long))
                #expect(b.count == Layout.maxKeyValueBytes)
                #expect(long, "a value long enough to hold a credential is reported")
                // The longest key with the longest integer (a 10-byte varint) still has a one-byte length.
                b = StackBytes(base, capacity: Layout.recordScratchBytes)
                let longKey = Self.text("k", Layout.maxShortStringBytes)
                #expect(
                    h.encoder.writeKeyValue(
                        field: OTLPField.Span.attributes, longKey, StoredAttributeValue.int64(-1), into: &b,
                        mayHoldCredential: &long))
                #expect(b.count <= Layout.maxKeyValueBytes)
            }
            #expect(Layout.maxPrefixBytes < Layout.attributeStartLimit)
            #expect(Layout.attributeStartLimit + Layout.maxKeyValueBytes + Layout.suffixBytes == Layout.maxBodyBytes)
            #expect(ProtobufWriter.varintSize(UInt64(Layout.maxBodyBytes)) + 1 <= Layout.maxRecordHeaderBytes)
        }

        @Test("a name of 99 bytes takes the fast path, one of 100 the general one")
        func nameEdge() throws {
            let h = EncoderHarness()
            try Self.check(h, h.span(Self.text("n", Layout.maxShortStringBytes)), fast: true)
            try Self.check(h, h.span(Self.text("n", Layout.maxShortStringBytes + 1)), fast: false)
        }

        @Test("a key of 99 bytes takes the fast path, one of 100 the general one, with every value type")
        func keyEdge() throws {
            let h = EncoderHarness()
            let values: [SpanAttribute] = [.int64(.min), .double(-0.0), .bool(true), .string("")]
            for value in values {
                let fits = SpoolAttribute(Self.text("k", Layout.maxShortStringBytes), value)
                try Self.check(h, h.span("op", attributes: [fits]), fast: true)
                let tooLong = SpoolAttribute(Self.text("k", Layout.maxShortStringBytes + 1), value)
                try Self.check(h, h.span("op", attributes: [tooLong]), fast: false)
            }
        }

        @Test("a string value fits when it is at most 99 bytes and its key-value's length takes one byte")
        func stringValueEdge() throws {
            let h = EncoderHarness()
            let longest = Self.text("v", Layout.maxShortStringBytes)
            // Key 22 + value 99: the key-value's body is 2 + 22 + 2 + 2 + 99 = 127 bytes.
            try Self.check(h, h.span("op", attributes: [.string(Self.text("k", 22), longest)]), fast: true)
            try Self.check(h, h.span("op", attributes: [.string(Self.text("k", 23), longest)]), fast: false)
            try Self.check(h, h.span("op", attributes: [.string("k", longest + "v")]), fast: false)
            // The same edges through the dictionary.
            var fits = SpanAttributes()
            fits[Self.text("k", 22)] = SpanAttribute.string(longest)
            try Self.check(h, h.span("op"), dictionary: fits, fast: true)
            var tooLong = SpanAttributes()
            tooLong[Self.text("k", 23)] = SpanAttribute.string(longest)
            try Self.check(h, h.span("op"), dictionary: tooLong, fast: false)
        }

        @Test("a value as long as the value length limit takes the fast path; one byte more is cut on the general one")
        func valueLengthLimitEdge() throws {
            let h = EncoderHarness { $0.attributeValueLengthLimit = 40 }
            try Self.check(h, h.span("op", attributes: [.string("k", Self.text("v", 40))]), fast: true)
            try Self.check(h, h.span("op", attributes: [.string("k", Self.text("v", 41))]), fast: false)
            let cut = try OTLPSpan(
                decoding: h.generalBody(h.span("op", attributes: [.string("k", Self.text("v", 41))])))
            #expect(cut.attributes.first?.value == .string(Self.text("v", 40)))
        }

        /// A span whose body has exactly `Layout.attributeStartLimit + nameExcess` bytes before its last attribute,
        /// a longest key-value: a 62-byte name makes the prefix 28 + 62 = 90 bytes, and six longest key-values
        /// (129 each) bring it to 864.
        static func fullSpan(_ h: EncoderHarness, nameExcess: Int, viaDictionary: Bool) -> (
            SpanStorage, SpanAttributes?
        ) {
            let name = Self.text("n", 62 + nameExcess)
            let attributes = (0..<7).map {
                SpoolAttribute.string(Self.text("key-\($0)-", 22), Self.text("v", Layout.maxShortStringBytes))
            }
            guard viaDictionary else { return (h.span(name, attributes: attributes, parent: false), nil) }
            var dictionary = SpanAttributes()
            for a in attributes { dictionary[a.key] = a.value }
            return (h.span(name, parent: false), dictionary)
        }

        @Test(
            "a body that fills the 1,024-byte scratch exactly takes the fast path; one byte more takes the general one",
            arguments: [false, true])
        func scratchEdge(viaDictionary: Bool) throws {
            let h = EncoderHarness()
            let (fits, fitsDictionary) = Self.fullSpan(h, nameExcess: 0, viaDictionary: viaDictionary)
            try Self.check(h, fits, dictionary: fitsDictionary, fast: true)
            #expect(h.fastRecord(fits, dictionary: fitsDictionary)?.count == Layout.recordScratchBytes)
            let (over, overDictionary) = Self.fullSpan(h, nameExcess: 1, viaDictionary: viaDictionary)
            try Self.check(h, over, dictionary: overDictionary, fast: false)
        }

        @Test("a typed span's leading attributes count toward the same bounds")
        func typedEdge() throws {
            let h = EncoderHarness()
            let (fits, _) = Self.fullSpan(h, nameExcess: 0, viaDictionary: false)
            try Self.check(h, fits, fast: true)
            // The type's two leading attributes take the room of the last key-value and more.
            fits.state.withLock { $0.type = .generation }
            try Self.check(h, fits, fast: false)
            try Self.check(h, h.span("typed", type: .tool, attributes: [.int("n", 1)]), fast: true)
        }

        @Test("at the attribute count limit the fast path applies; one attribute over it the general path counts it")
        func countLimitEdge() throws {
            let h = EncoderHarness { $0.attributeCountLimit = 4 }
            var dictionary = SpanAttributes()
            dictionary["d1"] = 1
            dictionary["d2"] = 2
            try Self.check(
                h, h.span("op", attributes: [.int("a", 1), .int("b", 2)]), dictionary: dictionary, fast: true)
            let over = h.span("op", attributes: [.int("a", 1), .int("b", 2), .int("c", 3)])
            try Self.check(h, over, dictionary: dictionary, fast: false)
            #expect(try OTLPSpan(decoding: h.generalBody(over, dictionary: dictionary)).droppedAttributesCount == 1)
        }
    }
}
