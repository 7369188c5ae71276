public import TraceSpool
public import Tracing

/// One span as a spool holds it: what `SpoolContents` decodes from a span record, and what `encoded()` writes as one.
///
/// Read back, it is what a tracer recorded: compare it with what the code under test did. Built by hand (every
/// field but the name has a default), it is the span builder for tests of readers, uploaders and exporters:
/// `encoded()` gives the bytes of the OTLP span record, `SegmentBuilder.appendFrame(spans:drops:compress:)` puts them
/// into a segment.
///
/// ```swift
/// let contents = try await spool.contents()
/// let tool = try #require(contents.span(named: "lookup_order"))
/// #expect(tool.attributes.get("gen_ai.tool.name") == "lookup_order")
/// #expect(tool.parentSpanID == contents.span(named: "support")?.spanID)
/// ```
///
/// Attributes (of the span, its events and links, and the resource) are `SpanAttributes`. Values OTLP carries as
/// `int_value` read back as `.int64` (an `.int32` written reads back as `.int64`), string-convertible values as
/// `.string`, a homogeneous array as the array case of its element type and an empty array as `.stringArray([])`.
/// Values the swift-distributed-tracing types cannot hold — bytes, key-value lists, arrays of mixed or nested
/// values and empty values, which other writers may put into a spool — read back as
/// `.stringConvertible(RecordedSpan.AttributeValue)`, and `encoded()` writes such a value as the OTLP value it
/// holds. When a key repeats in a record, the last value wins.
public struct RecordedSpan: Sendable, Equatable {
    /// The span's name (OTLP `name`).
    public var operationName: String
    /// The trace the span belongs to.
    public var traceID: TraceID
    /// The span's own id.
    public var spanID: SpanID
    /// The parent span's id; nil for a top-level span (OTLP `parent_span_id` empty).
    public var parentSpanID: SpanID?
    /// The span kind. OTLP's `SPAN_KIND_UNSPECIFIED` and kinds unknown to OTLP read back as `.internal`.
    public var kind: SpanKind
    /// The status; nil when unset (OTLP `STATUS_CODE_UNSET`, or a code unknown to OTLP). An empty status message
    /// reads back as a nil `message`.
    public var status: SpanStatus?
    /// When the span started, in nanoseconds since 1970-01-01T00:00:00Z (OTLP `start_time_unix_nano`).
    public var startNanosecondsSinceEpoch: UInt64
    /// When the span ended, in nanoseconds since 1970-01-01T00:00:00Z (OTLP `end_time_unix_nano`).
    public var endNanosecondsSinceEpoch: UInt64
    /// The span's attributes (see the type's documentation for how OTLP values map to `SpanAttribute`).
    public var attributes: SpanAttributes
    /// The span's events, in record order. An event's count of dropped attributes is not kept.
    public var events: [SpanEvent]
    /// The span's links, in record order.
    public var links: [Link]
    /// The attributes of the resource of the segment the span was read from (for example `service.name`); empty
    /// for a span that was not read from a spool. `encoded()` does not write it: a segment header holds it.
    public var resource: SpanAttributes
    /// How many attributes the writer dropped beyond its limit (OTLP `dropped_attributes_count`).
    public var droppedAttributeCount: Int
    /// How many events the writer dropped beyond its limit (OTLP `dropped_events_count`).
    public var droppedEventCount: Int
    /// How many links the writer dropped beyond its limit (OTLP `dropped_links_count`).
    public var droppedLinkCount: Int
    /// The W3C `tracestate` value ("" when absent).
    public var traceState: String
    /// OTLP `flags`: the W3C trace flags in bits 0–7 (bit 0: sampled), and in bits 8 and 9 whether the parent is
    /// known to be local or remote (the tracer writes `0x101` for a sampled span with a local or no parent, `0x301`
    /// for one with a remote parent).
    public var flags: UInt32

    /// Creates a span; every field but the name has a default: trace id `00…01`, span id `00…01`, no parent, kind
    /// `.internal`, no status, times 0, no attributes, events or links, empty resource, nothing dropped, no trace
    /// state, flags `0x101`.
    public init(
        operationName: String, traceID: TraceID = TraceID(high: 0, low: 1), spanID: SpanID = SpanID(1),
        parentSpanID: SpanID? = nil, kind: SpanKind = .internal, status: SpanStatus? = nil,
        startNanosecondsSinceEpoch: UInt64 = 0, endNanosecondsSinceEpoch: UInt64 = 0, attributes: SpanAttributes = [:],
        events: [SpanEvent] = [], links: [Link] = [], resource: SpanAttributes = [:], droppedAttributeCount: Int = 0,
        droppedEventCount: Int = 0, droppedLinkCount: Int = 0, traceState: String = "", flags: UInt32 = 0x101
    ) {
        self.operationName = operationName
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.kind = kind
        self.status = status
        self.startNanosecondsSinceEpoch = startNanosecondsSinceEpoch
        self.endNanosecondsSinceEpoch = endNanosecondsSinceEpoch
        self.attributes = attributes
        self.events = events
        self.links = links
        self.resource = resource
        self.droppedAttributeCount = droppedAttributeCount
        self.droppedEventCount = droppedEventCount
        self.droppedLinkCount = droppedLinkCount
        self.traceState = traceState
        self.flags = flags
    }

    /// A link from a span to another span (OTLP `Span.Link`).
    public struct Link: Sendable, Equatable {
        /// The linked span's trace.
        public var traceID: TraceID
        /// The linked span's id.
        public var spanID: SpanID
        /// The linked span's W3C `tracestate` ("" when absent).
        public var traceState: String
        /// OTLP `flags` of the link, as `RecordedSpan.flags`.
        public var flags: UInt32
        /// The link's attributes.
        public var attributes: SpanAttributes

        /// Creates a link.
        public init(
            traceID: TraceID, spanID: SpanID, traceState: String = "", flags: UInt32 = 0x101,
            attributes: SpanAttributes = [:]
        ) {
            self.traceID = traceID
            self.spanID = spanID
            self.traceState = traceState
            self.flags = flags
            self.attributes = attributes
        }
    }

    /// Why bytes are not a span record `RecordedSpan(decoding:)` can read.
    public struct DecodingError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, for example `span id has 3 bytes, not 8`.
        public var description: String

        /// Creates an error with its explanation.
        public init(_ description: String) { self.description = description }
    }
}
