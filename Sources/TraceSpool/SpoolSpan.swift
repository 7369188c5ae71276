import SpoolBase
import SpoolFormat
public import Tracing

/// A span of a `SpoolTracer`: a cheap value wrapping shared storage. Copies refer to the same span.
///
/// A non-recording span (sampled out, tracer disabled or shut down) carries only its context; every mutation is a
/// no-op. All methods are thread-safe. `end()` may be called once; later calls are ignored.
public struct SpoolSpan: Tracing.Span {
    let storage: SpanStorage?
    let passthrough: InstrumentationContext?

    init(storage: SpanStorage) {
        self.storage = storage
        self.passthrough = nil
    }

    init(nonRecording context: InstrumentationContext) {
        self.storage = nil
        self.passthrough = context
    }

    /// The context of this span (its parent's context plus its own `SpoolSpanContext`).
    public var context: InstrumentationContext {
        if let storage { return storage.context }
        return passthrough ?? .topLevel
    }

    /// This span's trace context, or nil for a non-recording span without one.
    public var spanContext: SpoolSpanContext? {
        storage?.spanContext ?? passthrough?.spoolSpanContext
    }

    /// The trace id, if any.
    public var traceID: TraceID? { spanContext?.traceID }

    /// The span id, if any.
    public var spanID: SpanID? { spanContext?.spanID }

    /// Whether the span is recorded (false when sampled out, disabled or after shutdown).
    public var isRecording: Bool { storage != nil }

    /// The span's name.
    public var operationName: String {
        get { storage?.state.withLock { $0.name } ?? "" }
        nonmutating set { storage?.state.withLock { $0.name = newValue } }
    }

    /// Sets `status`. An `.ok` status is final (later `.error` is ignored), per OpenTelemetry. An error status
    /// without a message takes the description of the error `recordError` recorded last, if any (`withSpan` records
    /// a thrown error, then sets a bare error status).
    public func setStatus(_ status: SpanStatus) {
        storage?.state.withLock { s in
            if s.statusCode == 1 { return }
            switch status.code {
            case .ok:
                s.statusCode = 1
                s.extras?.statusMessage = ""
            case .error:
                s.statusCode = 2
                if let message = status.message {
                    s.extrasForUpdate.statusMessage = message
                } else if let extras = s.extras, extras.statusMessage.isEmpty {
                    extras.statusMessage = extras.recordedErrorMessage
                }
            }
        }
    }

    /// Adds an event; beyond the configured limit events are counted as dropped.
    public func addEvent(_ event: SpanEvent) {
        guard let storage else { return }
        let limit = storage.core.config.eventCountLimit
        storage.state.withLock { s in
            let extras = s.extrasForUpdate
            if extras.events.count < limit { extras.events.append(event) } else { extras.droppedEvents &+= 1 }
        }
    }

    /// Records `error` as an `exception` event (`exception.type`, `exception.message`). The span's status is left
    /// as it is, as OpenTelemetry specifies (an error that was handled does not fail the span): `setStatus(.error)`
    /// marks it failed, with this error's description as the message unless it gives one. An error thrown out of
    /// `withSpan` or a typed `with…` helper does both.
    public func recordError<Instant: TracerInstant>(
        _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
    ) {
        guard let storage else { return }
        var attributes = attributes
        let type = String(reflecting: Swift.type(of: error))
        let message = String(describing: error)
        attributes[AttributeNames.exceptionType] = type
        attributes[AttributeNames.exceptionMessage] = message
        addEvent(SpanEvent(name: AttributeNames.exceptionEvent, at: instant(), attributes: attributes))
        storage.state.withLock { s in s.extrasForUpdate.recordedErrorMessage = message }
    }

    /// The attributes as a dictionary (the standard swift-distributed-tracing API).
    ///
    /// In-place mutation (`span.attributes["k"] = v`) lends the span's dictionary to the caller without copying it
    /// or taking the span's lock (one atomic exchange per access); reading it copies; assigning replaces every
    /// attribute set before. A write through `setAttribute` and one through this dictionary keep their order (the
    /// later one wins). Threads mutating one span's dictionary at the same moment lose nothing: the one that finds
    /// it lent works on a temporary that is merged afterwards. A span ended while another thread is still mutating
    /// its dictionary is recorded without that dictionary. Beyond the attribute count limit, entries are counted in
    /// `dropped_attributes_count` when the span is encoded.
    public var attributes: SpanAttributes {
        get { storage?.readAttributes() ?? [:] }
        nonmutating set { storage?.replaceAttributes(newValue) }
        nonmutating _modify {
            // The dictionary moves out of the span and back in: no copy and no reference counting of its storage,
            // so the caller's insert happens in place. Methods on the optional storage reference need no retain
            // and release of it. (A small coroutine frame: a larger one would be allocated on the heap.)
            var lent = storage?.lendDictionary() ?? LentAttributes(attributes: SpanStorage.noAttributes, owned: false)
            yield &lent.attributes
            storage?.returnDictionary(&lent)
        }
    }

    /// Sets one attribute, replacing an earlier value of the same key. Beyond the attribute count limit new keys
    /// are counted in the span's `dropped_attributes_count`. The fast path: no dictionary, at most one allocation
    /// per span for the attribute list.
    @inlinable @inline(__always)
    public func setAttribute(_ key: String, _ value: consuming SpanAttribute) {
        _setAttribute(SpoolAttribute(key, value))
    }

    /// Sets one attribute from any `SpanAttributeConvertible` value (String, Int, Double, Bool, arrays...).
    @inlinable
    public func setAttribute(_ key: String, _ value: some SpanAttributeConvertible) {
        _setAttribute(SpoolAttribute(key, value.toSpanAttribute()))
    }

    @usableFromInline
    func _setAttribute(_ entry: SpoolAttribute) {
        storage?.set(entry)
    }

    /// Links this span to another span's context (ignored when the context has no TraceSpool span context).
    public func addLink(_ link: SpanLink) {
        guard let storage else { return }
        let limit = storage.core.config.linkCountLimit
        storage.state.withLock { s in
            let extras = s.extrasForUpdate
            if extras.links.count < limit { extras.links.append(link) } else { extras.droppedLinks &+= 1 }
        }
    }

    /// Ends the span at `instant`: it is encoded on this thread into the tracer's buffers. Only the first call counts.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        // Optional chaining on the stored reference: no retain and release of the storage.
        storage?.end(atNanos: instant().nanosecondsSinceEpoch)
    }

    /// Ends the span now.
    @inlinable
    public func end() {
        _endNow()
    }

    @usableFromInline
    func _endNow() {
        storage?.end(atNanos: SystemClock.unixNanos())
    }
}
