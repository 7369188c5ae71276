/// The writer thread's round / flush / stop cycle as a state machine without threads, clocks or I/O:
/// `SpoolWriterThread.run` reports each event with the time it read and carries out the action returned.
///
/// A round: the writer sleeps (`sleepMicros`), takes the queue (`WriterQueue.takeRound`), writes the full buffers it
/// took, and reports the round's end (`roundEnded`), which decides what else the round does: nothing, a periodic
/// drain of the partial thread buffers (every drain interval), a flush (waiters came: drain, seal, sync, answer
/// them) or a stop (a shutdown waiter came: the same, then seal the segment and stop the queue). A flush or stop
/// reports its sync (`syncEnded`), which decides whether to retry and what the waiters are told.
///
/// States: running; flushing (between a flush's `roundEnded` and its last `syncEnded`); stopped (after a stop's
/// last `syncEnded`; no event is taken any more).
struct WriterCycle {
    /// Where the cycle is.
    enum State: Equatable {
        case running
        /// A flush (or, with `stop`, a shutdown) is making the spans durable; `retried` once its sync was retried.
        case flushing(stop: Bool, retried: Bool)
        case stopped
    }

    /// What the rest of a round does (`roundEnded`).
    enum RoundAction: Equatable {
        /// Nothing: sleep again.
        case none
        /// Collect the partial thread buffers (the drain interval has passed).
        case drain
        /// Collect the partial thread buffers, wait for the sealer, write pending drop counts and sync; then report
        /// the sync (`syncEnded`) and answer the waiters.
        case flush
        /// As `flush`, after also writing the buffers queued meanwhile (they raced with the shutdown) and collecting
        /// the thread buffers again; then seal the segment and stop the queue.
        case stop
    }

    /// What follows a flush's sync (`syncEnded`).
    enum SyncAction: Equatable {
        /// The sync of a shutdown failed: write the pending drop counts into a fresh segment (ignoring the reopen
        /// backoff) and sync once more, then report that sync.
        case retryInFreshSegment
        /// Answer the waiters with this result (for a stop: and'ed with whether sealing the segment succeeds).
        case complete(Bool)
    }

    private(set) var state = State.running
    /// When the writer sleeps and for how long.
    private(set) var pacing = WriterPacing()
    /// The periodic drain interval, in nanoseconds.
    let drainIntervalNanos: UInt64
    /// When the next periodic drain is due (monotonic nanoseconds).
    private(set) var nextDrainNanos: UInt64
    /// The lifetime total of drops that mean loss (`DropCounter.lossTotal`) at the last completed flush.
    private var lastLossTotal: UInt64 = 0

    /// A cycle started at `nowNanos` (monotonic) that drains every `drainIntervalMillis` (clamped to at least 1).
    init(drainIntervalMillis: Int, nowNanos: UInt64) {
        drainIntervalNanos = UInt64(max(1, drainIntervalMillis)) &* 1_000_000
        nextDrainNanos = nowNanos &+ drainIntervalNanos
    }

    /// How long the writer may sleep before its next round, in microseconds: until the next drain (rounded up), or
    /// less when `WriterPacing` wants a nap; 0 once the drain is due.
    func sleepMicros(nowNanos: UInt64) -> Int {
        assert(state == .running, "sleeping while \(state)")
        let untilDrain = nextDrainNanos > nowNanos ? Int((nextDrainNanos - nowNanos + 999) / 1_000) : 0
        return pacing.sleepMicros(untilDrainMicros: untilDrain)
    }

    /// A round has written the full buffers it took (`wroteBuffers`: any) and has `waiters` (any of which may ask
    /// for a stop). `park` marks the queue parked if it is empty (`WriterQueue.park`), when the pacing wants to park.
    mutating func roundEnded(
        wroteBuffers: Bool, waiters: Int, stopRequested: Bool, nowNanos: UInt64, park: () -> Bool
    ) -> RoundAction {
        precondition(state == .running, "a round ended while \(state)")
        pacing.roundEnded(wroteBuffers: wroteBuffers, park: park)
        let drainDue = nowNanos >= nextDrainNanos
        if waiters > 0 || drainDue { nextDrainNanos = nowNanos &+ drainIntervalNanos }
        guard waiters > 0 else { return drainDue ? .drain : .none }
        state = .flushing(stop: stopRequested, retried: false)
        return stopRequested ? .stop : .flush
    }

    /// The flush's sync ended (`synced`: it succeeded, or there was nothing to sync); `lossTotal` is the lifetime
    /// total of drops that mean loss (`DropCounter.lossTotal`) now. A flush succeeds only when its sync did and no span
    /// was lost since the previous flush; a shutdown whose sync failed retries once in a fresh segment (to record
    /// the drop counts of what the failed sync lost) and then fails.
    mutating func syncEnded(synced: Bool, lossTotal: UInt64) -> SyncAction {
        guard case .flushing(let stop, let retried) = state else {
            preconditionFailure("a sync ended while \(state)")
        }
        if !synced && stop && !retried {
            state = .flushing(stop: true, retried: true)
            return .retryInFreshSegment
        }
        let lossFree = lossTotal == lastLossTotal
        lastLossTotal = lossTotal
        state = stop ? .stopped : .running
        return .complete(synced && !retried && lossFree)
    }
}
