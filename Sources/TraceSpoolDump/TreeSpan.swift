package import OTLPWire
import SpoolBase

/// The compact form of a span a trace tree keeps: ids, name, times, status and the facts it shows. Attributes,
/// events and links are not kept, so holding many spans stays cheap.
package struct TreeSpan: Sendable, Equatable {
    /// The span id's first 8 bytes, big-endian (ids are kept as integers to keep many spans cheap).
    package var spanID: UInt64
    /// The parent span id's first 8 bytes, big-endian; nil for a root.
    package var parentID: UInt64?
    /// The span name (made safe for a terminal).
    package var name: String
    /// Start, Unix nanoseconds.
    package var start: UInt64
    /// End, Unix nanoseconds (not before `start`).
    package var end: UInt64
    /// The status code.
    package var status: OTLPStatusCode
    /// What the tree shows besides the name.
    package var facts: SpanFacts

    /// Keeps what a tree shows of `span`.
    package init(_ span: OTLPSpan, facts: SpanFacts) {
        spanID = Self.id(span.spanID)
        parentID = span.parentSpanID.isEmpty ? nil : Self.id(span.parentSpanID)
        name = TerminalText.safe(span.name, maxCharacters: 80)
        start = span.startTimeUnixNano
        end = max(span.endTimeUnixNano, span.startTimeUnixNano)
        status = span.status.code
        self.facts = facts.bounded()
    }

    /// The first 8 bytes of `bytes` as a big-endian integer (shorter ids are zero-padded on the right).
    static func id(_ bytes: [UInt8]) -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v = v << 8 | UInt64(i < bytes.count ? bytes[i] : 0) }
        return v
    }

    /// An id from `id(_:)` as 16 lowercase hex digits.
    static func hex(_ id: UInt64) -> String { Hex.string(id) }
}
