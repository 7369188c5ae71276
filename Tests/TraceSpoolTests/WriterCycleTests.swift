import Testing

@testable import TraceSpool

extension TracerTests {
    /// `WriterCycle`, the writer's round / flush / stop decisions, driven event by event with made-up times: no
    /// threads, no clocks, no I/O.
    @Suite("Writer cycle state machine")
    struct WriterCycleTests {
        static let ms: UInt64 = 1_000_000

        /// A round without buffers at `now` with `waiters` (one of them a shutdown when `stop`), the queue empty.
        static func round(
            _ c: inout WriterCycle, at now: UInt64, waiters: Int = 0, stop: Bool = false, wrote: Bool = false
        )
            -> WriterCycle.RoundAction
        {
            c.roundEnded(wroteBuffers: wrote, waiters: waiters, stopRequested: stop, nowNanos: now, park: { true })
        }

        @Test("idle rounds drain the partial buffers once per drain interval, and sleep until the next drain")
        func periodicDrain() {
            var c = WriterCycle(drainIntervalMillis: 1_000, nowNanos: 0)
            #expect(c.sleepMicros(nowNanos: 0) == 1_000_000)
            #expect(c.sleepMicros(nowNanos: 400 * Self.ms + 1) == 600_000)  // rounded up
            #expect(Self.round(&c, at: 999 * Self.ms) == WriterCycle.RoundAction.none)
            #expect(Self.round(&c, at: 1_000 * Self.ms) == .drain)
            #expect(c.nextDrainNanos == 2_000 * Self.ms)
            #expect(Self.round(&c, at: 1_500 * Self.ms) == WriterCycle.RoundAction.none)
            // Overdue (a long write): drain now, then a full interval from now; no negative sleep.
            #expect(c.sleepMicros(nowNanos: 2_500 * Self.ms) == 0)
            #expect(Self.round(&c, at: 2_500 * Self.ms) == .drain)
            #expect(c.sleepMicros(nowNanos: 2_500 * Self.ms) == 1_000_000)
        }

        @Test("a round with waiters flushes, restarts the drain interval and sleeps by the pacing afterwards")
        func flushRound() {
            var c = WriterCycle(drainIntervalMillis: 1_000, nowNanos: 0)
            #expect(Self.round(&c, at: 300 * Self.ms, waiters: 2, wrote: true) == .flush)
            #expect(c.state == .flushing(stop: false, retried: false))
            #expect(c.nextDrainNanos == 1_300 * Self.ms)
            #expect(c.syncEnded(synced: true, lossTotal: 0) == .complete(true))
            #expect(c.state == .running)
            #expect(c.sleepMicros(nowNanos: 300 * Self.ms) == WriterPacing.minNapMicros)  // it wrote: a short nap
        }

        @Test("a flush succeeds only if its sync did and no span was lost since the previous flush")
        func flushResult() {
            var c = WriterCycle(drainIntervalMillis: 1_000, nowNanos: 0)
            _ = Self.round(&c, at: 1, waiters: 1)
            #expect(c.syncEnded(synced: true, lossTotal: 3) == .complete(false))  // 3 spans lost since the start
            _ = Self.round(&c, at: 2, waiters: 1)
            #expect(c.syncEnded(synced: true, lossTotal: 3) == .complete(true))  // none since the previous flush
            _ = Self.round(&c, at: 3, waiters: 1)
            #expect(c.syncEnded(synced: false, lossTotal: 3) == .complete(false))  // a failed flush is not retried
            #expect(c.state == .running)
            _ = Self.round(&c, at: 4, waiters: 1)
            #expect(c.syncEnded(synced: true, lossTotal: 3) == .complete(true))
        }

        @Test("a shutdown waiter among the waiters makes the round a stop; a stop that syncs ends the cycle")
        func stopRound() {
            var c = WriterCycle(drainIntervalMillis: 1_000, nowNanos: 0)
            #expect(Self.round(&c, at: 5, waiters: 3, stop: true) == .stop)
            #expect(c.state == .flushing(stop: true, retried: false))
            #expect(c.syncEnded(synced: true, lossTotal: 0) == .complete(true))
            #expect(c.state == .stopped)
        }

        @Test("a stop whose sync fails retries once in a fresh segment and then fails, whatever the retry does")
        func stopRetriesOnce() {
            for retrySynced in [false, true] {
                var c = WriterCycle(drainIntervalMillis: 1_000, nowNanos: 0)
                _ = Self.round(&c, at: 5, waiters: 1, stop: true)
                #expect(c.syncEnded(synced: false, lossTotal: 0) == .retryInFreshSegment)
                #expect(c.state == .flushing(stop: true, retried: true))
                #expect(c.syncEnded(synced: retrySynced, lossTotal: 4) == .complete(false))
                #expect(c.state == .stopped)
            }
        }

        @Test("the pacing is told whether the round wrote, and parks through the queue")
        func pacingThroughRounds() {
            var c = WriterCycle(drainIntervalMillis: 1_000, nowNanos: 0)
            var parks = 0
            _ = c.roundEnded(wroteBuffers: true, waiters: 0, stopRequested: false, nowNanos: 1) {
                parks += 1
                return true
            }
            #expect(!c.pacing.parked)
            for i in 0..<5 {
                _ = c.roundEnded(wroteBuffers: false, waiters: 0, stopRequested: false, nowNanos: UInt64(2 + i)) {
                    parks += 1
                    return true
                }
            }
            #expect(parks == 1)
            #expect(c.pacing.parked)
            #expect(c.sleepMicros(nowNanos: 7) == 1_000_000)
        }
    }
}
