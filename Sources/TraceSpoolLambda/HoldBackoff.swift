/// Keeps a down backend cheap across invocations: after a hold whose requests all failed, the next holds skip
/// draining until a backoff delay has passed (1 s, doubling per failed hold, at most 30 s); the first hold after it
/// is the probe (one request: the sink does not retry inside a hold). A hold that delivers anything resets it.
///
/// While it backs off, an end-of-invocation hold ends at once (the extension calls `event/next` without waiting),
/// and the spans wait in the spool for a later invocation or SHUTDOWN. Pure logic: the caller passes the instants.
package struct HoldBackoff<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// The first delay after a failed hold.
    package let base: Duration
    /// The longest delay.
    package let cap: Duration
    /// Failed holds in a row.
    package private(set) var failures = 0
    private var notBefore: Instant?

    /// Creates a backoff that lets the first hold drain.
    package init(base: Duration = .seconds(1), cap: Duration = .seconds(30)) {
        self.base = base
        self.cap = cap
    }

    /// Whether a hold starting at `now` should drain.
    package func allowsDrain(at now: Instant) -> Bool {
        guard let notBefore else { return true }
        return now >= notBefore
    }

    /// Records how a drain that ended at `now` went: `failed` when it sent requests and delivered nothing.
    package mutating func record(failed: Bool, at now: Instant) {
        guard failed else {
            failures = 0
            notBefore = nil
            return
        }
        failures += 1
        var delay = base
        for _ in 1..<min(failures, 16) where delay < cap { delay = delay * 2 }
        notBefore = now.advanced(by: min(delay, cap))
    }
}
