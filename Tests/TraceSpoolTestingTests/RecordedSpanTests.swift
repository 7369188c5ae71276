import SpoolFormat
import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

/// A value the tracer writes as its description.
struct OrderNumber: CustomStringConvertible, Sendable {
    var value: Int
    var description: String { "order-\(value)" }
}

@Suite("RecordedSpan", .timeLimit(.minutes(1)))
struct RecordedSpanTests {
    /// A span with every field set, attribute values of every kind included.
    static let full = RecordedSpan(
        operationName: "full", traceID: TraceID(high: 0xA, low: 0xB), spanID: SpanID(0xC), parentSpanID: SpanID(0xD),
        kind: .producer, status: SpanStatus(code: .error, message: "bad"), startNanosecondsSinceEpoch: 10,
        endNanosecondsSinceEpoch: 20,
        attributes: [
            "s": "x", "i": 1, "d": 0.25, "b": false, "sa": .stringArray(["p"]), "ia": .int64Array([3]),
            "da": .doubleArray([1.5]), "ba": .boolArray([true]), "none": .stringArray([]),
            "bytes": .stringConvertible(RecordedSpan.AttributeValue.bytes([0xCA, 0xFE])),
            "kv": .stringConvertible(RecordedSpan.AttributeValue.keyValueList(["k": .int(1), "l": .array([.empty])])),
            "mixed": .stringConvertible(RecordedSpan.AttributeValue.array([.string("a"), .int(1)])),
            "nothing": .stringConvertible(RecordedSpan.AttributeValue.empty),
        ],
        events: [SpanEvent(name: "e", at: ManualClock.Instant(nanosecondsSinceEpoch: 15), attributes: ["n": 2])],
        links: [RecordedSpan.Link(traceID: TraceID(high: 1, low: 1), spanID: SpanID(2), traceState: "a=b", flags: 0x1)],
        droppedAttributeCount: 1, droppedEventCount: 2, droppedLinkCount: 3, traceState: "t=1", flags: 0x301)

    @Test("encoded() and init(decoding:) round trip, values swift-distributed-tracing cannot hold included")
    func roundTrip() throws {
        let bytes = Self.full.encoded()
        #expect(try RecordedSpan(decoding: bytes) == Self.full)
        #expect(try RecordedSpan(decoding: bytes).encoded() == bytes)
        #expect(
            try RecordedSpan(decoding: RecordedSpan(operationName: "").encoded()) == RecordedSpan(operationName: ""))
        for status in [SpanStatus(code: .ok), SpanStatus(code: .ok, message: "fine"), SpanStatus(code: .error)] {
            var span = Self.full
            span.status = status
            #expect(try RecordedSpan(decoding: span.encoded()).status == status)
        }
        for kind in [SpanKind.internal, .server, .client, .producer, .consumer] {
            var span = Self.full
            span.kind = kind
            #expect(try RecordedSpan(decoding: span.encoded()).kind == kind)
        }
    }

    @Test("non-representable values appear as RecordedSpan.AttributeValue, with a stable description")
    func attributeValues() throws {
        let span = try RecordedSpan(decoding: Self.full.encoded())
        guard case .stringConvertible(let value as RecordedSpan.AttributeValue)? = span.attributes.get("bytes") else {
            Issue.record(
                "bytes did not read back as an AttributeValue: \(String(describing: span.attributes.get("bytes")))")
            return
        }
        #expect(value == .bytes([0xCA, 0xFE]))
        #expect(value.description == "0xcafe")
        #expect(
            RecordedSpan.AttributeValue.keyValueList(["z": .string("q"), "a": .bool(true), "m": .double(0.5)])
                .description == #"{a: true, m: 0.5, z: "q"}"#)
        #expect(RecordedSpan.AttributeValue.array([.int(-1), .empty, .bytes([])]).description == "[-1, empty, 0x]")
        #expect(
            span.attributes.get("mixed")
                == .stringConvertible(RecordedSpan.AttributeValue.array([.string("a"), .int(1)])))
        #expect(span.attributes.get("nothing") == .stringConvertible(RecordedSpan.AttributeValue.empty))
    }

    @Test("the writer's own conversions: int32 reads as int64, a string-convertible value as its description")
    func conversions() throws {
        let written = RecordedSpan(
            operationName: "c",
            attributes: [
                "i32": .int32(5), "i32s": .int32Array([1]), "order": .stringConvertible(OrderNumber(value: 1)),
                "orders": .stringConvertibleArray([OrderNumber(value: 2), RecordedSpan.AttributeValue.int(3)]),
            ])
        let read = try RecordedSpan(decoding: written.encoded())
        #expect(read.attributes.get("i32") == .int64(5))
        #expect(read.attributes.get("i32s") == .int64Array([1]))
        #expect(read.attributes.get("order") == "order-1")
        #expect(
            read.attributes.get("orders")
                == .stringConvertible(RecordedSpan.AttributeValue.array([.string("order-2"), .int(3)])))
    }

    @Test("attributes are encoded in key order: equal spans give equal bytes, whatever order they were set in")
    func deterministicBytes() throws {
        var a = SpanAttributes()
        var b = SpanAttributes()
        let keys = (0..<50).map { "k\($0 / 10)\($0 % 10)" }  // k00 … k49: none inside another
        for key in keys { a.set(key, value: .int64(1)) }
        for key in keys.reversed() { b.set(key, value: .int64(1)) }
        let bytes = RecordedSpan(operationName: "x", attributes: a).encoded()
        #expect(bytes == RecordedSpan(operationName: "x", attributes: b).encoded())
        let positions = try keys.map { key in
            let utf8 = Array(key.utf8)
            return try #require(
                (0...bytes.count - utf8.count).first { bytes[$0..<$0 + utf8.count].elementsEqual(utf8) })
        }
        #expect(positions == positions.sorted())
    }

    @Test("bytes that are not a span record with valid ids throw DecodingError")
    func decodingErrors() {
        #expect(throws: RecordedSpan.DecodingError.self) { try RecordedSpan(decoding: [0x0A, 0x05, 0x01]) }
        let noIDs: [UInt8] = [0x2A, 0x01, 0x78]  // name "x" only
        #expect(throws: RecordedSpan.DecodingError("trace id has 0 bytes, not 16")) {
            try RecordedSpan(decoding: noIDs)
        }
        var shortSpan = Self.full.encoded()
        shortSpan.append(contentsOf: [0x12, 0x03, 1, 2, 3])  // span id: 3 bytes (the last occurrence wins)
        #expect(throws: RecordedSpan.DecodingError("span id has 3 bytes, not 8")) {
            try RecordedSpan(decoding: shortSpan)
        }
        var badParent = Self.full.encoded()
        badParent.append(contentsOf: [0x22, 0x01, 9])
        #expect(throws: RecordedSpan.DecodingError("parent span id has 1 bytes, not 0 or 8")) {
            try RecordedSpan(decoding: badParent)
        }
        var badLink = RecordedSpan(operationName: "l").encoded()
        badLink.append(contentsOf: [0x6A, 0x02, 0x0A, 0x00])  // a link with an empty trace id
        #expect(throws: RecordedSpan.DecodingError.self) { try RecordedSpan(decoding: badLink) }
    }
}
