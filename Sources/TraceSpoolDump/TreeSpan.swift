public import OTLPWire

/// The compact form of a span a trace tree keeps: ids, name, times, status and the facts it shows. Attributes,
/// events and links are not kept, so holding many spans stays cheap.
public struct TreeSpan: Sendable, Equatable {
    /// The span id, lowercase hex.
    public var spanID: String
    /// The parent span id, lowercase hex; empty for a root.
    public var parentID: String
    /// The span name (made safe for a terminal).
    public var name: String
    /// Start, Unix nanoseconds.
    public var start: UInt64
    /// End, Unix nanoseconds (not before `start`).
    public var end: UInt64
    /// The status code.
    public var status: OTLPStatusCode
    /// What the tree shows besides the name.
    public var facts: SpanFacts

    /// Keeps what a tree shows of `span`.
    public init(_ span: OTLPSpan, facts: SpanFacts) {
        spanID = OTLPHex.hexString(of: span.spanID.prefix(8))
        parentID = OTLPHex.hexString(of: span.parentSpanID.prefix(8))
        name = TerminalText.safe(span.name, maxCharacters: 80)
        start = span.startTimeUnixNano
        end = max(span.endTimeUnixNano, span.startTimeUnixNano)
        status = span.status.code
        self.facts = facts.bounded()
    }
}
