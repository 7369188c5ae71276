/// The adaptive strategy's choice between shipping at the end of each invocation and shipping periodically, from the
/// times invocations start. Pure logic: the caller passes the instants.
///
/// It starts in end-of-invocation mode. It switches to periodic once the last `window` invocations started less than
/// `maxGap` apart on average (frequent invocations: spans left at a freeze wait about one gap for the next thaw, and
/// holding the environment after every response would add billed time to every one of them). It switches back at
/// the first gap longer than `maxGap` (invocations became rare: what the previous one left waited that long, so each
/// invocation ships its own spans again), and the count starts over.
///
/// Datadog's Lambda extension decides the same way by default (its `bottlecap/src/lifecycle/invocation_times.rs`:
/// periodic when the last 20 invocations came less than 120 s apart on average).
package struct InvocationCadence<Instant: InstantProtocol>: Sendable where Instant.Duration == Duration {
    /// How many recent invocations the average covers.
    package let window: Int
    /// The longest average (and single) gap between invocation starts that still counts as frequent.
    package let maxGap: Duration
    /// The start times of the recent invocations, oldest first, at most `window`.
    private var starts: [Instant] = []
    /// Whether the periodic mode is on.
    package private(set) var isPeriodic = false

    /// Creates the cadence in end-of-invocation mode.
    ///
    /// - Parameters:
    ///   - window: invocations averaged, at least 2 (smaller values count as 2).
    ///   - maxGap: the frequent/rare threshold.
    package init(window: Int, maxGap: Duration) {
        self.window = max(2, window)
        self.maxGap = maxGap
    }

    /// Records an invocation starting at `now` and returns the mode for it: true for periodic.
    @discardableResult
    package mutating func record(invocationAt now: Instant) -> Bool {
        if let last = starts.last, last.duration(to: now) > maxGap {
            // A rare invocation: back to shipping at the end of each one, and count again.
            starts.removeAll(keepingCapacity: true)
            isPeriodic = false
        }
        starts.append(now)
        if starts.count > window { starts.removeFirst(starts.count - window) }
        if !isPeriodic, starts.count == window, let first = starts.first {
            let average = first.duration(to: now) / (window - 1)
            isPeriodic = average < maxGap
        }
        return isPeriodic
    }
}
