/// What the recording threads have handed to the writer thread — full buffers and flush waiters — as a state machine
/// without threads: `TracerCore` keeps it under a `Mutex`, calls one event method per lock, and carries out the
/// action it returns (waking the writer, counting a drop) after unlocking.
///
/// States: running (the writer takes rounds; it is parked or busy) and stopped (for good: nothing is taken any
/// more). While the writer is busy or napping between rounds, a full buffer is only queued, except the one that
/// brings the queue to a quarter of its limit, so that handing one over costs the recording thread no system call
/// (waking a thread is a `futex` call, several microseconds); when the writer is parked (sleeping until woken or until
/// the next periodic drain, see `WriterPacing`), the next full buffer wakes it.
struct WriterQueue {
    /// Full buffers, oldest first.
    private(set) var batches: [PendingBatch] = []
    /// Flush (and shutdown) waiters for the writer's next round.
    private(set) var waiters: [FlushWaiter] = []
    /// Set when the writer thread stopped (or never started): no buffer or waiter is taken any more.
    private(set) var stopped = false
    /// Whether the writer is parked: the next full buffer wakes it. It starts parked.
    private(set) var writerParked = true
    /// The most full buffers queued; more are dropped (`queueFull`). At 0 or below, every one is.
    let limit: Int

    /// A queue holding at most `limit` buffers.
    init(limit: Int) {
        self.limit = limit
    }

    /// The queue length at which a full buffer wakes even a writer that is not parked: a quarter of the limit.
    var wakeAt: Int { max(1, limit / 4) }

    /// What `enqueue` asks the caller to do.
    enum EnqueueAction: Equatable {
        /// Nothing: the buffer is queued and the writer takes it after its nap.
        case none
        /// Wake the writer (the buffer is queued).
        case wakeWriter
        /// Count the buffer's spans as dropped: the queue is full (`queueFull`).
        case dropQueueFull
        /// Count the buffer's spans as dropped: the writer has stopped (`TracerCore.stoppedDropReason`).
        case dropStopped
    }

    /// A recording thread hands over a full buffer.
    mutating func enqueue(_ batch: PendingBatch) -> EnqueueAction {
        if stopped { return .dropStopped }
        guard batches.count < limit else { return .dropQueueFull }
        batches.append(batch)
        let wake = writerParked || batches.count == wakeAt
        writerParked = false
        return wake ? .wakeWriter : .none
    }

    /// A flush (or shutdown) hands over its waiter for the writer's next round. Returns whether it was taken (then
    /// wake the writer); false once stopped.
    mutating func submit(_ waiter: FlushWaiter) -> Bool {
        guard !stopped else { return false }
        waiters.append(waiter)
        return true
    }

    /// The writer starts a round: it takes every queued buffer and waiter, and is no longer parked.
    mutating func takeRound() -> (batches: [PendingBatch], waiters: [FlushWaiter]) {
        writerParked = false
        // Swapped out, not copied: each batch's bytes stay uniquely referenced, so they can be recycled.
        var taken: [PendingBatch] = []
        swap(&taken, &batches)
        defer { waiters = [] }
        return (taken, waiters)
    }

    /// The writer is about to stop: it takes the buffers queued since its round began (they raced with the shutdown).
    mutating func takeBatches() -> [PendingBatch] {
        var taken: [PendingBatch] = []
        swap(&taken, &batches)
        return taken
    }

    /// The writer would park (`WriterPacing`): parks it and returns true when nothing is queued; false (it stays
    /// busy) when a buffer arrived after its round took the queue.
    mutating func park() -> Bool {
        guard batches.isEmpty else { return false }
        writerParked = true
        return true
    }

    /// The writer stops (or could not start): from now on nothing is taken. Returns the waiters and buffers still
    /// queued, which no round will take: the caller answers the waiters and counts the buffers' spans as dropped.
    mutating func stop() -> (waiters: [FlushWaiter], batches: [PendingBatch]) {
        stopped = true
        defer {
            waiters = []
            batches = []
        }
        return (waiters, batches)
    }
}
