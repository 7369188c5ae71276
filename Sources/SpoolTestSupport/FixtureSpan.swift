/// Fixed test bytes shaped like small OTLP `Span` messages (trace id, span id, name, start and end time), so the
/// golden vectors hold span records other tools can decode. Not a protobuf codec: it writes five fixed fields only.
package enum FixtureSpan {
    /// A Span with fields 1 (trace id), 2 (span id), 5 (name), 7 and 8 (start/end time, fixed64 nanoseconds).
    package static func encode(
        traceID: [UInt8], spanID: [UInt8], name: String, startUnixNanos: UInt64, endUnixNanos: UInt64
    ) -> [UInt8] {
        var out = lengthDelimited(1, traceID) + lengthDelimited(2, spanID) + lengthDelimited(5, Array(name.utf8))
        out.append(0x39)  // field 7, fixed64
        out += littleEndian(startUnixNanos)
        out.append(0x41)  // field 8, fixed64
        out += littleEndian(endUnixNanos)
        return out
    }

    /// A length-delimited field (wire type 2) with a one-byte tag and a varint length.
    package static func lengthDelimited(_ field: UInt8, _ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [field << 3 | 2]
        var n = body.count
        while n >= 0x80 {
            out.append(UInt8(n & 0x7F) | 0x80)
            n >>= 7
        }
        out.append(UInt8(n))
        return out + body
    }

    private static func littleEndian(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) }
    }
}
