import OTLPWire
import SpoolBase

/// SplitMix64: a tiny seeded generator so robustness tests are reproducible.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Hex literal → bytes, trapping on bad test input.
func hex(_ s: String) -> [UInt8] {
    guard let b = Hex.bytes(fromHex: s) else { fatalError("bad hex literal in test") }
    return b
}

enum Fixtures {
    static let traceID: [UInt8] = Array(1...16)
    static let spanID: [UInt8] = Array(0xA1...0xA8)
    static let parentSpanID: [UInt8] = Array(0xB1...0xB8)

    /// The span encoded by Tests/OTLPWireTests/Python/golden_span.py.
    static var goldenSpan: OTLPSpan {
        OTLPSpan(
            traceID: traceID,
            spanID: spanID,
            traceState: "a=b",
            parentSpanID: parentSpanID,
            flags: 0x301,
            name: "GET /users",
            kind: .server,
            startTimeUnixNano: 1_700_000_000_000_000_000,
            endTimeUnixNano: 1_700_000_000_123_456_789,
            attributes: [
                OTLPKeyValue("http.method", .string("GET")),
                OTLPKeyValue("http.status_code", .int(200)),
                OTLPKeyValue("retry", .bool(true)),
                OTLPKeyValue("ratio", .double(0.5)),
                OTLPKeyValue("neg", .int(-1)),
                OTLPKeyValue("arr", .array([.int(1), .string("x")])),
                OTLPKeyValue("kvl", .kvlist([OTLPKeyValue("inner", .bytes([0x00, 0x01, 0xFF]))])),
                OTLPKeyValue("ünï", .string("😀")),
            ],
            droppedAttributesCount: 1,
            events: [
                OTLPEvent(
                    timeUnixNano: 1_700_000_000_000_000_500, name: "evt", attributes: [OTLPKeyValue("a", .int(1))])
            ],
            droppedEventsCount: 2,
            links: [
                OTLPLink(traceID: traceID, spanID: Array(0xC1...0xC8), traceState: "k=v", flags: 1)
            ],
            droppedLinksCount: 3,
            status: OTLPStatus(code: .error, message: "boom")
        )
    }

    /// A span exercising every field and value type, including deep nesting and extremes.
    static var richSpan: OTLPSpan {
        var span = goldenSpan
        span.kind = OTLPSpanKind(rawValue: 42)  // unknown enum value must survive
        span.startTimeUnixNano = UInt64.max
        span.endTimeUnixNano = 1
        span.attributes += [
            OTLPKeyValue("max", .int(Int64.max)),
            OTLPKeyValue("min", .int(Int64.min)),
            OTLPKeyValue("zero", .int(0)),
            OTLPKeyValue("false", .bool(false)),
            OTLPKeyValue("negzero", .double(-0.0)),
            OTLPKeyValue("inf", .double(.infinity)),
            OTLPKeyValue("tiny", .double(.leastNonzeroMagnitude)),
            OTLPKeyValue("emptyString", .string("")),
            OTLPKeyValue("emptyBytes", .bytes([])),
            OTLPKeyValue("emptyArray", .array([])),
            OTLPKeyValue("emptyList", .kvlist([])),
            OTLPKeyValue("null", .empty),
            OTLPKeyValue("", .string("empty key")),
            OTLPKeyValue(
                "nested",
                .array([.array([.kvlist([OTLPKeyValue("deep", .array([.bool(true), .empty, .double(1e300)]))])])])),
            OTLPKeyValue("big", .string(String(repeating: "é", count: 10_000))),
            OTLPKeyValue("mixed", .string("日本語 🇺🇳 \u{0} \u{7F} \"q\" \\")),
        ]
        span.droppedAttributesCount = UInt32.max
        span.droppedEventsCount = UInt32.max
        span.droppedLinksCount = 0
        span.events.append(OTLPEvent())
        span.events.append(OTLPEvent(timeUnixNano: UInt64.max, name: "x", attributes: [], droppedAttributesCount: 7))
        span.links.append(OTLPLink())
        span.links.append(
            OTLPLink(
                traceID: [], spanID: [1], traceState: "", attributes: [OTLPKeyValue("l", .bytes(Array(0...255)))],
                droppedAttributesCount: 9, flags: UInt32.max))
        span.status = OTLPStatus(code: OTLPStatusCode(rawValue: -5), message: "")
        span.flags = UInt32.max
        return span
    }
}
