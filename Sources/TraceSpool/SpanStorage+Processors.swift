extension SpanStorage {
    /// `end(atNanos:)` of a tracer with processors (`TracerCore.hasProcessors`): marks the span ended and takes its
    /// snapshot under its lock, runs the processors outside it (they may take their own locks and call other
    /// tracers), then records the span unless one of them discarded it. Later calls do nothing.
    @inline(never)
    func endWithProcessors(atNanos endNanos: UInt64) {
        let core = self.core
        guard let chain = core.processors else { return }
        let action = handOver.acquireToEnd()
        let dictionary = action == .encodeWithDictionary ? self.dictionary : nil
        defer { if action == .encodeWithDictionary { handOver.release() } }
        let snapshot = state.withLock { s -> SpanSnapshot? in
            guard !s.ended else { return nil }
            s.ended = true
            return SpanSnapshot(self, s, dictionary: dictionary, endNanos: endNanos)
        }
        guard let snapshot, chain.spanEnded(snapshot) else { return }
        state.withLock { s in core.record(self, s, dictionary: dictionary, endNanos: endNanos) }
    }
}
