public import Tracing

/// A read-only view of a span as it starts, handed to `SpanProcessor.onStart(_:)`: its identity, parent, kind,
/// type and start time. A value: keeping it does not keep the span.
public struct StartingSpan: Sendable, Hashable {
    /// The span's name at start.
    public var name: String
    /// The trace the span belongs to.
    public var traceID: TraceID
    /// The span's id.
    public var spanID: SpanID
    /// The parent span's id; nil for a root span.
    public var parentSpanID: SpanID?
    /// Whether the parent came from another process (extracted from a `traceparent` header).
    public var parentIsRemote: Bool
    /// The span kind.
    public var kind: SpanKind
    /// The agent span type (`SpoolTracer.withSpan(_:_:…)`, `trace`, `withGeneration` …); nil for a plain span.
    public var type: SpanType?
    /// The start time, in nanoseconds since the Unix epoch.
    public var startNanos: UInt64

    /// A view with the given values (for tests of a processor).
    public init(
        name: String, traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, parentIsRemote: Bool = false,
        kind: SpanKind = .internal, type: SpanType? = nil, startNanos: UInt64
    ) {
        self.name = name
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.parentIsRemote = parentIsRemote
        self.kind = kind
        self.type = type
        self.startNanos = startNanos
    }
}
