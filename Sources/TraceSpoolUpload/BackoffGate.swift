import SpoolBase
import Synchronization

/// A shared "not before" time: after a transient failure every worker waits until it passes, so a backend that is
/// down sees about one request per backoff delay from the whole uploader, not one per worker.
public final class BackoffGate: Sendable {
    private let notBefore = Mutex<UInt64>(0)

    /// Creates an open gate.
    public init() {}

    /// Closes the gate for `millis` from now (keeps a later time already set).
    public func close(forMillis millis: Int) {
        let until = SystemClock.monotonicNanos() &+ UInt64(max(0, millis)) &* 1_000_000
        notBefore.withLock { $0 = max($0, until) }
    }

    /// Opens the gate at once (after a success).
    public func open() { notBefore.withLock { $0 = 0 } }

    /// Waits until the gate is open.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    public func wait() async throws {
        while true {
            let until = notBefore.withLock { $0 }
            let now = SystemClock.monotonicNanos()
            guard until > now else { return }
            try await Task.sleep(for: .nanoseconds(Int64(until - now)))
        }
    }
}
