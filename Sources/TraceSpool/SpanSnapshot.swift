public import Tracing

/// A read-only copy of an ended span, handed to `SpanProcessor.onEnd(_:)`: what the span records, as the tracer
/// holds it before encoding. A value: keeping it does not keep the span.
///
/// Attribute values are as the span was given them: the spool's limits (value length, count) and redaction
/// (`TracerConfiguration.redaction`) apply when the span is encoded, after the processors ran, so a processor sees
/// unredacted values — do not forward them anywhere the spool's redaction is meant to protect.
public struct SpanSnapshot: Sendable, Equatable {
    /// The span's name.
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
    /// The agent span type; nil for a plain span.
    public var type: SpanType?
    /// The status; nil when none was set (OTLP "unset").
    public var status: SpanStatus?
    /// The start time, in nanoseconds since the Unix epoch.
    public var startNanos: UInt64
    /// The end time, in nanoseconds since the Unix epoch.
    public var endNanos: UInt64
    /// The attributes, as `SpoolSpan.attributes` reads them (those a typed span leads with, such as
    /// `tracespool.span.type`, included).
    public var attributes: SpanAttributes
    /// How many events the span recorded (exceptions included; those beyond the event count limit not included).
    public var eventCount: Int

    /// A snapshot with the given values (for tests of a processor).
    public init(
        name: String, traceID: TraceID, spanID: SpanID, parentSpanID: SpanID? = nil, parentIsRemote: Bool = false,
        kind: SpanKind = .internal, type: SpanType? = nil, status: SpanStatus? = nil, startNanos: UInt64,
        endNanos: UInt64, attributes: SpanAttributes = [:], eventCount: Int = 0
    ) {
        self.name = name
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.parentIsRemote = parentIsRemote
        self.kind = kind
        self.type = type
        self.status = status
        self.startNanos = startNanos
        self.endNanos = endNanos
        self.attributes = attributes
        self.eventCount = eventCount
    }

    /// The duration in nanoseconds (0 when the end lies before the start).
    public var durationNanos: UInt64 { endNanos >= startNanos ? endNanos - startNanos : 0 }

    /// Whether the span ended with an error status.
    public var isError: Bool { status?.code == .error }

    /// Whether the span is the root of its trace in this process: it has no parent, or its parent is remote.
    public var isLocalRoot: Bool { parentSpanID == nil || parentIsRemote }
}

extension SpanSnapshot {
    /// The snapshot of `storage` ending at `endNanos`, from its state (called under the span's lock) and the
    /// attribute dictionary `end()` took.
    init(_ storage: SpanStorage, _ state: borrowing SpanState, dictionary: SpanAttributes?, endNanos: UInt64) {
        let status: SpanStatus? =
            switch state.statusCode {
            case 1: SpanStatus(code: .ok)
            case 2: SpanStatus(code: .error, message: state.statusMessage.isEmpty ? nil : state.statusMessage)
            default: nil
            }
        self.init(
            name: state.name, traceID: storage.traceID, spanID: storage.spanID,
            parentSpanID: storage.parentSpanID.isValid ? storage.parentSpanID : nil,
            parentIsRemote: storage.parentIsRemote, kind: storage.kind, type: state.type, status: status,
            startNanos: storage.startNanos, endNanos: endNanos, attributes: state.spanAttributes(over: dictionary),
            eventCount: state.extras?.events.count ?? 0)
    }
}

extension StartingSpan {
    /// The view of `storage` as it starts.
    init(_ storage: SpanStorage) {
        let (name, type) = storage.state.withLock { ($0.name, $0.type) }
        self.init(
            name: name, traceID: storage.traceID, spanID: storage.spanID,
            parentSpanID: storage.parentSpanID.isValid ? storage.parentSpanID : nil,
            parentIsRemote: storage.parentIsRemote, kind: storage.kind, type: type, startNanos: storage.startNanos)
    }
}
