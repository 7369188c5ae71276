import Dispatch
import Synchronization

/// The outcome of one flush (or shutdown) cycle of the writer, awaited by any number of callers. Completed exactly
/// once, by the writer thread, with the cycle's result. A caller's timeout ends only that caller's wait (it returns
/// false); it never completes the waiter, so other callers still get the real result.
final class FlushWaiter: Sendable {
    private struct State {
        var result: Bool?
        /// Suspended async callers, by wait id.
        var continuations: [UInt64: CheckedContinuation<Bool, Never>] = [:]
        /// Async waits whose timer fired before they registered their continuation.
        var timedOut: Set<UInt64> = []
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())
    private let semaphore = DispatchSemaphore(value: 0)
    /// Whether the writer should stop after this cycle (shutdown).
    let stop: Bool

    init(stop: Bool = false) { self.stop = stop }

    /// The result, once the writer completed the cycle.
    var result: Bool? { state.withLock { $0.result } }

    /// Completes the waiter with the cycle's result (called by the writer); only the first call has an effect.
    func complete(_ ok: Bool) {
        let continuations = state.withLock { s -> [CheckedContinuation<Bool, Never>] in
            guard s.result == nil else { return [] }
            s.result = ok
            defer { s.continuations = [:] }
            return Array(s.continuations.values)
        }
        semaphore.signal()
        for c in continuations { c.resume(returning: ok) }
    }

    /// Blocks the calling thread until completion or `timeoutMillis`; false on timeout (this caller only).
    func wait(timeoutMillis: Int) -> Bool {
        if let done = result { return done }
        let deadline = DispatchTime.now() + .milliseconds(max(0, timeoutMillis))
        guard semaphore.wait(timeout: deadline) == .success else { return result ?? false }
        // Pass the wake-up on: several callers may wait on the same (shutdown) waiter.
        semaphore.signal()
        return result ?? false
    }

    /// Suspends until completion or `timeoutMillis`; false on timeout (this caller only). Never blocks a thread of
    /// the pool.
    func wait(timeoutMillis: Int) async -> Bool {
        let id = state.withLock { s -> UInt64? in
            guard s.result == nil else { return nil }
            defer { s.nextID &+= 1 }
            return s.nextID
        }
        guard let id else { return result ?? false }
        let timer = Task {
            do {
                try await Task.sleep(for: .milliseconds(max(0, timeoutMillis)))
            } catch {
                return  // cancelled: the wait ended first
            }
            self.timeOut(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let done = state.withLock { s -> Bool? in
                if let r = s.result { return r }
                if s.timedOut.remove(id) != nil { return false }
                s.continuations[id] = c
                return nil
            }
            if let done { c.resume(returning: done) }
        }
    }

    /// Ends the async wait `id` with false, unless the cycle completed first.
    private func timeOut(_ id: UInt64) {
        let continuation = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            guard s.result == nil else { return nil }
            if let c = s.continuations.removeValue(forKey: id) { return c }
            s.timedOut.insert(id)
            return nil
        }
        continuation?.resume(returning: false)
    }
}
