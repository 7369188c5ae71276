/// Observes the spans of one `SpoolTracer` in process, as they start and end: to count them, to decide by their
/// outcome whether they are recorded (keep only errors and slow spans), or to mirror them to another tracer
/// (`MirroringProcessor`). The Swift counterpart of the OpenAI Agents SDK's `TracingProcessor`.
///
/// Installed per tracer through `TracerConfiguration.processors`, fixed for the tracer's life. Processors see the
/// spans the tracer records (not those a sampler dropped, nor any span of a disabled tracer), in the order they are
/// listed.
///
/// Threading: both methods run synchronously on the thread that starts or ends the span (`startSpan`, `end()`), on
/// many threads at once, outside the span's lock. They are on the caller's hot path: a processor must return quickly,
/// must not block (no I/O, no waiting for locks held across I/O, no `flush`), must not start or end spans of the same
/// tracer, and must not trap — a Swift trap (force unwrap, overflow, index out of range) in a processor cannot be
/// caught and ends the host process. Their errors cannot be thrown: the methods are not `throws`, so handle them
/// inside. Work that takes time belongs on a queue of the processor's own.
public protocol SpanProcessor: Sendable {
    /// A span started (after its attributes given at start and the agent context were set). The default does
    /// nothing.
    func onStart(_ span: StartingSpan)

    /// A span ended. Return `.record` to let it be written to the spool, `.discard` to leave it out: the span is then
    /// counted in `TracerStatistics.spansDiscardedByProcessors` (never silently dropped). Every installed processor
    /// sees every ended span, whatever the others decide; the span is discarded when any of them returns `.discard`.
    ///
    /// A discarded span's children (which normally ended before it) are recorded as they were: they keep its id as
    /// their parent, so a viewer shows them under a missing parent. To leave out a whole subtree, discard its spans
    /// one by one (for example by their trace id, remembered in `onStart`).
    func onEnd(_ span: SpanSnapshot) -> SpanDecision
}

extension SpanProcessor {
    /// Does nothing.
    public func onStart(_ span: StartingSpan) {}
}

/// What `SpanProcessor.onEnd(_:)` decides for an ended span.
public enum SpanDecision: Sendable, Hashable {
    /// Write the span to the spool (unless another processor discards it).
    case record
    /// Leave the span out of the spool; counted in `TracerStatistics.spansDiscardedByProcessors`.
    case discard
}
