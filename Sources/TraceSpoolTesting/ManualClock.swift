import SpoolBase
import Synchronization
public import Tracing

/// A clock that moves only when a test tells it to, for deterministic tests of code that sleeps or stamps times.
///
/// It is a Swift `Clock` (pass it wherever code takes `some Clock<Duration>`) and its instants are
/// swift-distributed-tracing `TracerInstant`s: pass `clock.now` as the `at:` of `SpoolTracer.startSpan`,
/// `SpoolSpan.end` and `SpanEvent`, and the spans a spool holds carry exactly those times. `sleep(until:)` suspends
/// until `advance(by:)` or `advance(to:)` reaches the deadline, or until the sleeping task is cancelled (it then throws
/// `CancellationError`).
///
/// ```swift
/// let clock = ManualClock()
/// let sleeper = Task { try await clock.sleep(for: .seconds(30)) }
/// await clock.waitForSleepers(count: 1)  // the task is asleep now
/// clock.advance(by: .seconds(30))  // and wakes
/// try await sleeper.value
/// ```
public final class ManualClock: Clock, Sendable {
    /// A point in time of a `ManualClock`: nanoseconds since the Unix epoch.
    public struct Instant: InstantProtocol, TracerInstant {
        /// Nanoseconds since 1970-01-01T00:00:00Z.
        public var nanosecondsSinceEpoch: UInt64

        /// Creates an instant at `nanosecondsSinceEpoch`.
        public init(nanosecondsSinceEpoch: UInt64) {
            self.nanosecondsSinceEpoch = nanosecondsSinceEpoch
        }

        /// This instant moved by `duration` (negative durations move it back), clamped to `0 ... UInt64.max`
        /// nanoseconds; sub-nanosecond parts of `duration` are dropped.
        public func advanced(by duration: Duration) -> Instant {
            let (delta, overflow) = duration.wholeUnits(perSecond: 1_000_000_000)
            if overflow { return Instant(nanosecondsSinceEpoch: duration < .zero ? 0 : .max) }
            if delta >= 0 {
                let (sum, overflow) = nanosecondsSinceEpoch.addingReportingOverflow(UInt64(delta))
                return Instant(nanosecondsSinceEpoch: overflow ? .max : sum)
            }
            let back = delta.magnitude
            return Instant(nanosecondsSinceEpoch: nanosecondsSinceEpoch > back ? nanosecondsSinceEpoch - back : 0)
        }

        /// The duration from this instant to `other` (negative when `other` is earlier).
        public func duration(to other: Instant) -> Duration {
            if other.nanosecondsSinceEpoch >= nanosecondsSinceEpoch {
                return .nanoseconds(other.nanosecondsSinceEpoch - nanosecondsSinceEpoch)
            }
            return .zero - .nanoseconds(nanosecondsSinceEpoch - other.nanosecondsSinceEpoch)
        }

        /// Whether `a` is earlier than `b`.
        public static func < (a: Instant, b: Instant) -> Bool { a.nanosecondsSinceEpoch < b.nanosecondsSinceEpoch }
    }

    private struct Sleeper {
        var deadline: Instant
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Instant
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        /// `waitForSleepers` callers: the count each waits for, by id.
        var watchers: [(id: Int, count: Int, continuation: CheckedContinuation<Void, Never>)] = []

        /// Removes and returns the watchers whose count is reached.
        mutating func satisfiedWatchers() -> [CheckedContinuation<Void, Never>] {
            var ready: [CheckedContinuation<Void, Never>] = []
            watchers.removeAll { watcher in
                guard watcher.count <= sleepers.count else { return false }
                ready.append(watcher.continuation)
                return true
            }
            return ready
        }
    }

    private let state: Mutex<State>

    /// Creates a clock at `now` (default: 2023-11-14T22:13:20Z, 1.7 × 10¹⁸ ns after the epoch).
    public init(now: Instant = Instant(nanosecondsSinceEpoch: 1_700_000_000_000_000_000)) {
        state = Mutex(State(now: now))
    }

    /// The clock's current time.
    public var now: Instant { state.withLock { $0.now } }

    /// One nanosecond.
    public var minimumResolution: Duration { .nanoseconds(1) }

    /// The deadlines of the sleeps in progress, earliest first.
    public var sleepDeadlines: [Instant] { state.withLock { $0.sleepers.values.map(\.deadline) }.sorted() }

    /// Suspends until the clock reaches `deadline` (returns at once when it already has).
    ///
    /// - Throws: `CancellationError` when the calling task is or becomes cancelled before the deadline.
    public func sleep(until deadline: Instant, tolerance: Duration? = nil) async throws {
        try Task.checkCancellation()
        let id = state.withLock { s -> Int in
            s.nextID += 1
            return s.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Outcome {
                    case wait([CheckedContinuation<Void, Never>])
                    case resume
                    case cancel
                }
                let outcome = state.withLock { s -> Outcome in
                    // Under the lock `onCancel` takes: a cancellation it could not find registered is seen here.
                    if Task.isCancelled { return .cancel }
                    if deadline <= s.now { return .resume }
                    s.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .wait(s.satisfiedWatchers())
                }
                switch outcome {
                case .resume: continuation.resume()
                case .cancel: continuation.resume(throwing: CancellationError())
                case .wait(let watchers): for watcher in watchers { watcher.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { s in s.sleepers.removeValue(forKey: id) }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration` and wakes every sleep whose deadline it reaches, earliest first.
    /// A negative duration does nothing.
    public func advance(by duration: Duration) {
        guard duration > .zero else { return }
        let target = now.advanced(by: duration)
        advance(to: target)
    }

    /// Moves the clock to `instant` (never backwards) and wakes every sleep whose deadline it reaches, earliest
    /// first.
    public func advance(to instant: Instant) {
        let due = state.withLock { s -> [Sleeper] in
            if instant > s.now { s.now = instant }
            let due = s.sleepers.filter { $0.value.deadline <= s.now }
            for id in due.keys { s.sleepers[id] = nil }
            // Sleeps that ended may make a watcher's count unreachable for now; watchers stay until it is reached.
            return due.values.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Suspends until at least `count` sleeps are in progress: the way a test knows that the code under test has
    /// reached its sleep before it advances the clock. Returns at once when they already are, and early when the
    /// calling task is or becomes cancelled (check `Task.isCancelled` when that matters).
    public func waitForSleepers(count: Int = 1) async {
        let id = state.withLock { s -> Int in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { s -> Bool in
                    if Task.isCancelled || s.sleepers.count >= count { return true }
                    s.watchers.append((id, count, continuation))
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let watcher = state.withLock { s -> CheckedContinuation<Void, Never>? in
                s.watchers.firstIndex { $0.id == id }.map { s.watchers.remove(at: $0).continuation }
            }
            watcher?.resume()
        }
    }
}
