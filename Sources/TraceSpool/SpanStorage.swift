import Synchronization
import Tracing

/// The shared storage of a recording span: immutable identity plus a `Mutex`-guarded mutable state.
final class SpanStorage: Sendable {
    /// Unowned: cores are immortal (`TracerCore.immortalize`), and a span must not pay two contended atomic
    /// reference-count operations on the shared core per span.
    unowned(unsafe) let core: TracerCore
    let traceID: TraceID
    let spanID: SpanID
    let parentSpanID: SpanID
    let parentIsRemote: Bool
    let traceFlags: UInt8
    let traceState: String
    let kind: SpanKind
    let startNanos: UInt64
    /// The context the span was started in; the span's own context is this plus its span context.
    let parentContext: InstrumentationContext
    let state: Mutex<SpanState>

    init(
        core: TracerCore, name: String, traceID: TraceID, spanID: SpanID, parent: SpoolSpanContext?,
        kind: SpanKind, startNanos: UInt64, parentContext: InstrumentationContext, type: SpanType? = nil,
        attributes: [SpoolAttribute] = []
    ) {
        self.core = core
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parent?.spanID ?? .invalid
        self.parentIsRemote = parent?.isRemote ?? false
        self.traceFlags = 1
        self.traceState = parent?.traceState ?? ""
        self.kind = kind
        self.startNanos = startNanos
        self.parentContext = parentContext
        if type == nil && attributes.isEmpty {
            self.state = Mutex(SpanState(name: name))
        } else {
            self.state = Mutex(
                SpanState(name: name, type: type, attributes: attributes, limit: core.config.attributeCountLimit))
        }
    }

    var spanContext: SpoolSpanContext {
        SpoolSpanContext(traceID: traceID, spanID: spanID, traceFlags: traceFlags, traceState: traceState)
    }

    var context: InstrumentationContext {
        var context = parentContext
        context[ActiveSpanKey.self] = self
        return context
    }

    /// Sets one attribute (see `SpanState.set`). A method here rather than in `SpoolSpan`: called through optional
    /// chaining on the span's stored reference, it needs no retain and release of the storage per call.
    @inline(__always)
    func set(_ entry: SpoolAttribute) {
        let limit = core.config.attributeCountLimit
        state.withLock { $0.set(entry, limit: limit) }
    }

    /// Ends the span once: encodes it into the calling thread's buffer. Later calls do nothing.
    @inline(__always)
    func end(atNanos endNanos: UInt64) {
        state.withLock { s in
            guard !s.ended else { return }
            s.ended = true
            core.record(self, s, endNanos: endNanos)
        }
    }
}
