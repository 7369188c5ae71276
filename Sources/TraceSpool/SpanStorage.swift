import Synchronization
import Tracing

/// The shared storage of a recording span: immutable identity plus a `Mutex`-guarded mutable state.
final class SpanStorage: Sendable {
    /// Unretained: cores are immortal (`TracerCore.immortalize`), and a span must not pay atomic reference-count
    /// operations on the core, which every thread shares. Hot paths use `withCore`, which never retains it.
    private let coreReference: Unmanaged<TracerCore>

    /// The tracer core (a +0 reference; the core lives until process exit).
    var core: TracerCore { coreReference.takeUnretainedValue() }

    /// Calls `body` with the core without retaining it.
    @inline(__always)
    func withCore<R>(_ body: (TracerCore) -> R) -> R {
        coreReference._withUnsafeGuaranteedRef(body)
    }
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
    /// The attributes set through the standard `attributes` dictionary (`SpoolSpan.attributes`). Not guarded by
    /// `state`'s `Mutex` but handed over by ownership: only the owner by `handOver` touches it (see
    /// `SpanStorage+Dictionary.swift`).
    nonisolated(unsafe) var dictionary: SpanAttributes?
    /// Who holds `dictionary` (a state machine: `AttributeHandOver`).
    let handOver: AttributeHandOver

    init(
        core: TracerCore, name: consuming String, traceID: TraceID, spanID: SpanID, parent: SpoolSpanContext?,
        kind: SpanKind, startNanos: UInt64, parentContext: consuming InstrumentationContext, type: SpanType? = nil,
        attributes: consuming [SpoolAttribute] = []
    ) {
        self.coreReference = Unmanaged.passUnretained(core)
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parent?.spanID ?? .invalid
        self.parentIsRemote = parent?.isRemote ?? false
        self.traceFlags = 1
        self.traceState = parent?.traceState ?? ""
        self.kind = kind
        self.startNanos = startNanos
        self.parentContext = parentContext
        self.handOver = AttributeHandOver(typedPending: !attributes.isEmpty)
        // One initializer for every span, the arguments moved through: no copy of the state, no retain of the
        // name or the attribute array.
        self.state = Mutex(
            SpanState(name: name, type: type, attributes: attributes, limit: core.config.attributeCountLimit))
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
        let limit = withCore { $0.config.attributeCountLimit }
        state.withLock { s in
            s.set(entry, limit: limit)
            handOver.typedSet()
        }
    }

    /// Ends the span once: encodes it into the calling thread's buffer. Later calls do nothing.
    @inline(__always)
    func end(atNanos endNanos: UInt64) {
        if withCore({ $0.hasProcessors }) { return endWithProcessors(atNanos: endNanos) }
        // Take the dictionary (one atomic exchange) only from spans that used it. A span ended while another thread
        // is still mutating its dictionary in place is encoded without it.
        // The core is taken first and the state passed straight from the lock's closure to `record`: a state
        // captured by an inner closure would be copied (a retain and a release of its attribute array).
        let action = handOver.acquireToEnd()
        guard action == .encodeWithDictionary else {
            withCore { core in
                state.withLock { s in
                    guard !s.ended else { return }
                    s.ended = true
                    core.record(self, s, dictionary: nil, endNanos: endNanos)
                }
            }
            return
        }
        // Moved out and back in: no reference counting of the dictionary's storage.
        let dictionary = self.dictionary.take()
        withCore { core in
            state.withLock { s in
                guard !s.ended else { return }
                s.ended = true
                core.record(self, s, dictionary: dictionary, endNanos: endNanos)
            }
        }
        self.dictionary = consume dictionary
        handOver.release()
    }
}
