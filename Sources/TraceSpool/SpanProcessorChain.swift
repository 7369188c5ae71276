import Logging
import Synchronization

/// The processors of one tracer (`TracerConfiguration.processors`, never empty here) and the count of the spans they
/// discarded. A tracer without processors has none of this (`TracerCore.hasProcessors` is false).
final class SpanProcessorChain: Sendable {
    let processors: [any SpanProcessor]
    /// Spans left out of the spool because a processor returned `.discard`.
    let discarded = Atomic<Int>(0)
    private let logger: Logger

    init(_ processors: [any SpanProcessor], logger: Logger) {
        self.processors = processors
        self.logger = logger
    }

    /// Calls every processor's `onStart` with a view of `storage`.
    @inline(never)
    func spanStarted(_ storage: SpanStorage) {
        let view = StartingSpan(storage)
        for processor in processors { processor.onStart(view) }
    }

    /// Calls every processor's `onEnd`; true when the span is recorded (no processor discarded it). A discarded
    /// span is counted; the first one is logged (info).
    @inline(never)
    func spanEnded(_ snapshot: SpanSnapshot) -> Bool {
        var keep = true
        for processor in processors where processor.onEnd(snapshot) == .discard { keep = false }
        if !keep, discarded.wrappingAdd(1, ordering: .relaxed).oldValue == 0 {
            logger.info(
                "TraceSpool: a span processor discarded a span; discarded spans are counted in spansDiscardedByProcessors, not logged",
                metadata: ["span": "\(snapshot.name)"])
        }
        return keep
    }
}
