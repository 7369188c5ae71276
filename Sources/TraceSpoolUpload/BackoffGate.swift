import Synchronization

/// A shared "not before" time on a clock: after a transient failure every worker waits until it passes, so a
/// backend that is down sees about one request per backoff delay from the whole uploader, not one per worker.
package final class BackoffGate<GateClock: Clock>: Sendable where GateClock.Duration == Duration {
    private let clock: GateClock
    /// The instant the gate opens; nil when open.
    private let notBefore = Mutex<GateClock.Instant?>(nil)

    /// Creates an open gate whose delays run on `clock`.
    package init(clock: GateClock) {
        self.clock = clock
    }

    /// Closes the gate for `delay` from now (keeps a later time already set); a negative delay counts as zero.
    package func close(for delay: Duration) {
        let until = clock.now.advanced(by: max(.zero, delay))
        notBefore.withLock { current in
            if let current, current >= until { return }
            current = until
        }
    }

    /// Opens the gate at once (after a success).
    package func open() { notBefore.withLock { $0 = nil } }

    /// Waits until the gate is open: sleeps on the clock until the time set, again if it moved later meanwhile.
    ///
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    package func wait() async throws {
        while let until = notBefore.withLock({ $0 }), until > clock.now {
            try await clock.sleep(until: until, tolerance: nil)
        }
    }
}
