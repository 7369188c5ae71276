import OTLPWire
import SpoolFormat
import Testing
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// The sized path (`SpanRecordEncoder.appendSpanRecordSized`): a plain span too long for the stack is measured,
    /// then written straight into the writer; its body is byte for byte the general path's, and what it does not
    /// write (credentials, redacted keys, events, status, values of other kinds) it leaves to the general path.
    @Suite("Span record encoder: sized path")
    struct SpanRecordEncoderSizedTests {
        /// A generation's attributes: long message texts, many keys of equal length, numbers, a string array.
        static func generationAttributes(_ text: String) -> [SpoolAttribute] {
            var attributes: [SpoolAttribute] = [
                .string("gen_ai.request.model", "gpt-4o-mini"), .double("gen_ai.request.temperature", 0.2),
                .int("gen_ai.request.max_tokens", 256), .bool("gen_ai.request.stream", false),
                SpoolAttribute("gen_ai.response.finish_reasons", .stringArray(["stop", text])),
            ]
            for i in 0..<12 {
                attributes.append(.string("llm.input_messages.\(i).message.role", i % 2 == 0 ? "user" : "assistant"))
                attributes.append(.string("llm.input_messages.\(i).message.content", "\(i): \(text)"))
            }
            return attributes
        }

        /// The sized record of `storage`, checked against the general path's body and the record `appendSpanRecord`
        /// writes.
        static func checkSized(
            _ h: EncoderHarness, _ storage: SpanStorage, sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let record = try #require(h.sizedRecord(storage), "sized path taken", sourceLocation: sourceLocation)
            let body = try #require(EncoderHarness.body(ofRecord: record), sourceLocation: sourceLocation)
            #expect(body == h.generalBody(storage), "sized and general bodies", sourceLocation: sourceLocation)
            #expect(
                h.record(storage) == record, "appendSpanRecord takes the sized path", sourceLocation: sourceLocation)
            #expect(try isCanonicalUpToFieldOrder(body), sourceLocation: sourceLocation)
        }

        @Test("a generation with long messages: the general path's bytes, typed and untyped", arguments: [true, false])
        func generation(typed: Bool) throws {
            let h = EncoderHarness()
            let text = String(repeating: "Where is my order A-1042? Ünïcödé “quotes” and more. ", count: 20)
            let storage = h.span("chat gpt-4o-mini", type: typed ? .generation : nil)
            storage.set(contentsOf: Self.generationAttributes(text))
            try Self.checkSized(h, storage)
            #expect(h.fastRecord(storage) == nil, "too long for the stack")
        }

        @Test("later entries of a key shadow earlier ones, in short and long lists", arguments: [4, 13, 40])
        func shadowing(count: Int) throws {
            let h = EncoderHarness()
            let storage = h.span("op")
            var attributes: [SpoolAttribute] = []
            for i in 0..<count { attributes.append(.string("key.\(i % (count / 2 + 1)).name", "value \(i)")) }
            attributes.append(.string("long", String(repeating: "x", count: 2_000)))
            storage.set(contentsOf: attributes)
            try Self.checkSized(h, storage)
            let record = try #require(h.sizedRecord(storage))
            let span = try OTLPSpan(decoding: #require(EncoderHarness.body(ofRecord: record)))
            let keys = span.attributes.map(\.key)
            #expect(Set(keys).count == keys.count, "each key written once: \(keys)")
            // The last value of each key is the one written.
            for attribute in span.attributes where attribute.key.hasPrefix("key.") {
                let last = try #require(attributes.last { $0.key == attribute.key })
                guard case .string(let value) = last.stored else {
                    Issue.record("\(last.key) is not a string")
                    continue
                }
                #expect(attribute.value == .string(value))
            }
        }

        @Test(
            "every span type leads with the general path's fields, with the kind it implies or the one its list sets",
            arguments: SpanType.allCases)
        func leadingFieldsOfEveryType(type: SpanType) throws {
            #expect(SpanType.allCases[type.ordinal] == type)
            let h = EncoderHarness()
            let text = String(repeating: "a long value ", count: 20)
            for kind in [nil, "RERANKER"] {
                let storage = h.span("op", type: type)
                var attributes = Self.generationAttributes(text)
                if let kind { attributes.append(.string(AttributeNames.openInferenceKind, kind)) }
                storage.set(contentsOf: attributes)
                try Self.checkSized(h, storage)
            }
        }

        @Test("values are cut to the length limit at a UTF-8 sequence boundary, string array items included")
        func lengthLimit() throws {
            let h = EncoderHarness { $0.attributeValueLengthLimit = 7 }
            let storage = h.span("op", type: .generation)
            storage.set(contentsOf: Self.generationAttributes("ééééééé" + String(repeating: "x", count: 2_000)))
            try Self.checkSized(h, storage)
        }

        @Test(
            "records of every header size, and attributes across the chunks the path appends, give the general path's bytes",
            arguments: [
                [10, 30], [100, 100], [3_000], [8_100, 60, 200], [8_192, 8_192, 8_192], [20_000, 3, 40_000],
                [2_100_000],
            ])
        func chunksAndHeaderSizes(valueSizes: [Int]) throws {
            let h = EncoderHarness()
            for type in [SpanType.generation, nil] {
                let storage = h.span("op", type: type)
                var attributes: [SpoolAttribute] = []
                for (i, size) in valueSizes.enumerated() {
                    attributes.append(.string("value.\(i)", String(repeating: "v", count: size)))
                    attributes.append(.int("count.\(i)", size))
                }
                // Short bodies take the stack path: mark the list long so that the sized path is the one asked.
                storage.set(contentsOf: attributes)
                storage.state.withLock { $0.holdsLongValues = true }
                try Self.checkSized(h, storage)
            }
        }

        @Test("a body over the record size limit is left to the general path, which drops it")
        func overTheRecordLimit() throws {
            let h = EncoderHarness()
            let storage = h.span("op", type: .generation)
            storage.set(contentsOf: [.string("huge", String(repeating: "x", count: SpoolLimits.maxRecordBytes))])
            #expect(h.sizedRecord(storage) == nil)
            var writer = ProtobufWriter(capacity: 0)
            let length = storage.state.withLock { s in
                h.encoder.appendSpanRecord(
                    storage, s, dictionary: nil, endNanos: EncoderHarness.endNanos, into: &writer)
            }
            #expect(length > SpoolLimits.maxRecordBytes)
            #expect(writer.count == 0)
        }

        @Test("credentials, redacted keys, events, status and other kinds of values take the general path")
        func leavesToTheGeneralPath() throws {
            let long = String(repeating: "x", count: 2_000)
            func sized(
                _ attributes: [SpoolAttribute], configuration: (inout TracerConfiguration) -> Void = { _ in },
                state: (inout SpanState) -> Void = { _ in }
            ) -> Bool {
                let h = EncoderHarness(configuration)
                let storage = h.span("op", type: .generation)
                storage.set(contentsOf: attributes + [.string("long", long)])
                storage.state.withLock { state(&$0) }
                return h.sizedRecord(storage) != nil
            }
            let plain: [SpoolAttribute] = [.string("plain", "value")]
            #expect(sized(plain), "the baseline is sized")
            #expect(!sized([.string("header", "Bearer abcdefghijklmnop1234")]), "a credential in a value")
            #expect(!sized([SpoolAttribute("list", .stringArray(["ok", "sk-Ab3dEf6hIj9kLm2nOp5qRs"]))]))
            #expect(!sized([.string("secret", "value")], configuration: { $0.redaction.keys = ["secret"] }))
            #expect(!sized([SpoolAttribute("ints", .int64Array([1, 2]))]), "an integer array")
            #expect(!sized(plain, state: { $0.statusCode = 2 }), "a status")
            #expect(!sized(plain, state: { $0.droppedAttributes = 1 }), "dropped attributes")
            #expect(!sized(plain, state: { _ = $0.extrasForUpdate }), "events or links")
        }
    }
}
