import Synchronization
package import TraceSpoolUpload

/// Runs bounded drains of one `SpoolDrainer` (one sink, one HTTP client for the extension's whole life) for the
/// holds, the periodic ticks and SHUTDOWN: one drain at a time, never past its deadline, skipped while
/// `HoldBackoff` backs off.
package final class DrainRunner<C: Clock>: Sendable where C.Duration == Duration {
    /// What one call came to.
    package enum Result: Sendable {
        /// The drain ran; its summary.
        case drained(DrainSummary)
        /// The backend failed recently: no drain (`HoldBackoff`).
        case backingOff
        /// Another drain (a periodic tick, or one that overran its deadline) is still running.
        case busy
        /// The drain did not return by its deadline plus `grace`; it goes on in the background (cancelled) and the
        /// caller does not wait for it.
        case overran
    }

    private let drainer: SpoolDrainer
    private let clock: C
    private let backoff: Mutex<HoldBackoff<C.Instant>>
    private let running = Atomic<Bool>(false)
    private let current = Mutex<Task<DrainSummary, Never>?>(nil)
    /// How long after a drain's deadline the caller waits for it to hand back its summary (cancellation and the disk
    /// operations already submitted): 5 ms.
    package static var grace: Duration { .milliseconds(5) }

    /// Creates a runner.
    package init(drainer: SpoolDrainer, clock: C, backoff: HoldBackoff<C.Instant> = HoldBackoff()) {
        self.drainer = drainer
        self.clock = clock
        self.backoff = Mutex(backoff)
    }

    /// Whether a drain may start at `now` (false while `HoldBackoff` backs off).
    package func allowsDrain(at now: C.Instant) -> Bool {
        backoff.withLock { $0.allowsDrain(at: now) }
    }

    /// Cancels the drain in progress, if any (it ends as at its deadline).
    package func cancelCurrent() {
        current.withLock { $0?.cancel() }
    }

    /// Whether a drain is running.
    package var isRunning: Bool { running.load(ordering: .acquiring) }

    /// Drains once until `deadline` (`SpoolDrainer.pass(until:clock:)`), returning by `deadline + grace` whatever
    /// happens.
    ///
    /// - Parameter ignoringBackoff: drain even while backing off (SHUTDOWN).
    package func drain(until deadline: C.Instant, ignoringBackoff: Bool = false) async -> Result {
        if !ignoringBackoff, !allowsDrain(at: clock.now) { return .backingOff }
        guard start() else { return .busy }
        let work = Task { await self.pass(until: deadline) }
        current.withLock { $0 = work }
        let first = FirstResult<DrainSummary?>()
        Task { first.offer(await work.value) }
        let clock = self.clock
        let hardLimit = deadline.advanced(by: Self.grace)
        Task {
            try? await clock.sleep(until: hardLimit, tolerance: nil)
            first.offer(nil)
        }
        guard let summary = await first.value() else { return .overran }
        return .drained(summary)
    }

    /// Marks a drain as running; false when one already is.
    private func start() -> Bool {
        running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
    }

    /// One bounded pass; records its outcome in the backoff and marks the drain as ended.
    private func pass(until deadline: C.Instant) async -> DrainSummary {
        let summary = await drainer.pass(until: deadline, clock: clock)
        let failed = summary.requests > 0 && summary.spansDelivered == 0 && summary.spansDeadLettered == 0
        let now = clock.now
        backoff.withLock { $0.record(failed: failed, at: now) }
        running.store(false, ordering: .releasing)
        return summary
    }

    /// Waits (polling every millisecond) until no drain runs or `deadline` passes.
    package func waitIdle(until deadline: C.Instant) async {
        while isRunning, clock.now < deadline { try? await clock.sleep(for: .milliseconds(1), tolerance: nil) }
    }
}

/// The first of several values offered, for one waiter; later offers are dropped.
final class FirstResult<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var offered = false
        var waiter: CheckedContinuation<Value, Never>?
    }
    private let state = Mutex(State())

    /// Offers a value: the first one is kept (and handed to the waiter).
    func offer(_ value: Value) {
        let waiter = state.withLock { s -> CheckedContinuation<Value, Never>? in
            guard !s.offered else { return nil }
            s.offered = true
            s.value = value
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume(returning: value)
    }

    /// Waits for the first value.
    func value() async -> Value {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
            let ready = state.withLock { s -> Value? in
                if s.offered { return s.value }
                s.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
