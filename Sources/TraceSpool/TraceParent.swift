import SpoolBase

/// W3C Trace Context `traceparent` formatting and parsing (version 00).
enum TraceParent {
    /// The header name `traceparent`.
    static let headerName = "traceparent"
    /// The header name `tracestate`.
    static let stateHeaderName = "tracestate"

    /// Formats `00-<trace id>-<span id>-<flags>`.
    static func format(_ context: SpoolSpanContext) -> String {
        "00-\(context.traceID)-\(context.spanID)-\(Hex.string(UInt64(context.traceFlags), digits: 2))"
    }

    /// Parses a `traceparent` value. Returns nil for a malformed value, an all-zero id or version `ff`.
    /// Versions above 00 are accepted when the first four fields parse (forward compatibility rule).
    static func parse(_ value: some StringProtocol, traceState: String = "") -> SpoolSpanContext? {
        let bytes = Array(value.utf8)
        guard bytes.count >= 55, bytes[2] == UInt8(ascii: "-"), bytes[35] == UInt8(ascii: "-"),
            bytes[52] == UInt8(ascii: "-")
        else { return nil }
        guard let version = Hex.parseUInt64(bytes[0..<2]), version != 0xff else { return nil }
        if version == 0 && bytes.count != 55 { return nil }
        if version != 0 && bytes.count > 55 && bytes[55] != UInt8(ascii: "-") { return nil }
        guard let high = Hex.parseUInt64(bytes[3..<19]), let low = Hex.parseUInt64(bytes[19..<35]),
            let span = Hex.parseUInt64(bytes[36..<52]), let flags = Hex.parseUInt64(bytes[53..<55])
        else { return nil }
        let traceID = TraceID(high: high, low: low)
        guard traceID.isValid, span != 0 else { return nil }
        return SpoolSpanContext(
            traceID: traceID, spanID: SpanID(span), traceFlags: UInt8(flags), traceState: traceState, isRemote: true)
    }
}
