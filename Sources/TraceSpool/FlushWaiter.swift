import Dispatch
import Synchronization

/// One caller waiting for a flush (or shutdown) cycle of the writer. Completed exactly once: by the writer with the
/// cycle's result, or by a timeout with `false`.
final class FlushWaiter: Sendable {
    private struct State {
        var result: Bool?
        var continuation: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())
    private let semaphore = DispatchSemaphore(value: 0)
    /// Whether the writer should stop after this cycle (shutdown).
    let stop: Bool

    init(stop: Bool = false) { self.stop = stop }

    /// Completes the waiter; only the first call has an effect.
    func complete(_ ok: Bool) {
        let continuation = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            guard s.result == nil else { return nil }
            s.result = ok
            let c = s.continuation
            s.continuation = nil
            return c
        }
        semaphore.signal()
        continuation?.resume(returning: ok)
    }

    /// Blocks the calling thread until completion or `timeoutMillis`; false on timeout.
    func wait(timeoutMillis: Int) -> Bool {
        if let done = state.withLock({ $0.result }) { return done }
        let deadline = DispatchTime.now() + .milliseconds(max(0, timeoutMillis))
        if semaphore.wait(timeout: deadline) == .timedOut {
            complete(false)
        } else {
            // Pass the wake-up on: several callers may wait on the same (shutdown) waiter.
            semaphore.signal()
        }
        return state.withLock { $0.result ?? false }
    }

    /// Suspends until completion or `timeoutMillis`; false on timeout. Never blocks a thread of the pool.
    func wait(timeoutMillis: Int) async -> Bool {
        let timer = Task {
            try? await Task.sleep(for: .milliseconds(max(0, timeoutMillis)))
            self.complete(false)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let done = state.withLock { s -> Bool? in
                if let r = s.result { return r }
                s.continuation = c
                return nil
            }
            if let done { c.resume(returning: done) }
        }
    }
}
