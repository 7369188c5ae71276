import Synchronization

/// A one-way flag that tasks can wait on: raised once (the uploader was asked to stop), it wakes every waiter and
/// stays raised.
package final class StopSignal: Sendable {
    private struct State {
        var raised = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    /// Creates a signal that is not raised.
    package init() {}

    /// Whether `raise()` was called.
    package var isRaised: Bool { state.withLock { $0.raised } }

    /// Raises the signal and wakes every waiter.
    ///
    /// - Returns: true for the call that raised it, false when it was raised already.
    @discardableResult
    package func raise() -> Bool {
        let (first, waiters) = state.withLock { s -> (Bool, [CheckedContinuation<Void, Never>]) in
            guard !s.raised else { return (false, []) }
            s.raised = true
            defer { s.waiters = [:] }
            return (true, Array(s.waiters.values))
        }
        for waiter in waiters { waiter.resume() }
        return first
    }

    /// Suspends until the signal is raised or the calling task is cancelled (returns at once if either already
    /// happened).
    package func wait() async {
        let id = state.withLock { s -> Int in
            s.nextID += 1
            return s.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.raised || Task.isCancelled { return true }
                    s.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
