extension SpoolDrainer {
    /// One pass over every spool directory that ends at `deadline` on `clock`: what is not settled by then stays in
    /// the spool.
    ///
    /// At the deadline the pass is cancelled: no new segment or batch starts, backoff waits end, and requests in
    /// flight are cancelled (their batches are not checkpointed, so they are sent again by a later pass; a backend
    /// that had already received one then gets it twice). Disk operations already submitted run to their end
    /// (`DiskIO`), so the call returns shortly after the deadline, not exactly at it. The drainer stays usable:
    /// unlike `requestStop()`, nothing of this call outlives it, and the sink (its HTTP connections) is kept.
    ///
    /// - Parameters:
    ///   - deadline: when to give up; at a deadline already reached the call returns an empty summary at once.
    ///   - clock: the clock `deadline` is on.
    /// - Returns: what the pass achieved; `segmentsDeferred` counts the segments cut short.
    package func pass<C: Clock>(until deadline: C.Instant, clock: C) async -> DrainSummary {
        if clock.now >= deadline { return DrainSummary() }
        return await withTaskGroup(of: DrainSummary?.self) { group in
            group.addTask { await self.pass() }
            group.addTask {
                try? await clock.sleep(until: deadline, tolerance: nil)
                return nil
            }
            var summary = DrainSummary()
            while let finished = await group.next() {
                if let finished {
                    summary = finished
                }
                // The first to finish decides: the pass (done) or the timer (cancel the pass, then take its summary).
                group.cancelAll()
            }
            return summary
        }
    }
}
