public import Instrumentation

/// The W3C trace context of a span, as an `InstrumentationContext` carries it (`spoolSpanContext`).
public struct SpoolSpanContext: Sendable, Hashable {
    /// The trace the span belongs to.
    public var traceID: TraceID
    /// The span's own id.
    public var spanID: SpanID
    /// W3C trace flags (bit 0 = sampled).
    public var traceFlags: UInt8
    /// The W3C `tracestate` header value, passed through unchanged ("" when absent).
    public var traceState: String
    /// Whether the context was extracted from a remote carrier (e.g. an incoming `traceparent`).
    public var isRemote: Bool

    /// Creates a span context.
    public init(
        traceID: TraceID, spanID: SpanID, traceFlags: UInt8 = 1, traceState: String = "", isRemote: Bool = false
    ) {
        self.traceID = traceID
        self.spanID = spanID
        self.traceFlags = traceFlags
        self.traceState = traceState
        self.isRemote = isRemote
    }

    /// Whether the sampled flag is set.
    public var isSampled: Bool { traceFlags & 1 != 0 }

    /// The `InstrumentationContext` key under which TraceSpool stores the current span context.
    enum Key: InstrumentationContextKey {
        /// The stored value.
        typealias Value = SpoolSpanContext
        /// The key's name in debug output.
        static var nameOverride: String? { "tracespool.span-context" }
    }
}

/// The recording span a context belongs to. Storing the span's storage (a class reference) instead of a
/// `SpoolSpanContext` value keeps the context entry unboxed: one allocation less per span.
enum ActiveSpanKey: InstrumentationContextKey {
    typealias Value = SpanStorage
    static var nameOverride: String? { "tracespool.active-span" }
}

extension InstrumentationContext {
    /// The TraceSpool span context carried by this context, if any. Setting it replaces the active span.
    public var spoolSpanContext: SpoolSpanContext? {
        get {
            if let active = self[ActiveSpanKey.self] { return active.spanContext }
            return self[SpoolSpanContext.Key.self]
        }
        set {
            if self[ActiveSpanKey.self] != nil { self[ActiveSpanKey.self] = nil }
            self[SpoolSpanContext.Key.self] = newValue
        }
    }
}
