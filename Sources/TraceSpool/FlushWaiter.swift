import Dispatch
import Synchronization

/// The outcome of one flush (or shutdown) cycle of the writer, awaited by any number of callers. Completed exactly
/// once, by the writer thread, with the cycle's result. A caller's timeout — or, for an async caller, its task's
/// cancellation — ends only that caller's wait (it returns false); it never completes the waiter, so other callers
/// still get the real result. The bookkeeping is a state machine (`FlushWaitState`).
final class FlushWaiter: Sendable {
    private let state = Mutex(FlushWaitState<CheckedContinuation<Bool, Never>>())
    private let semaphore = DispatchSemaphore(value: 0)
    /// Why the cycle failed, set by the writer before it completes the waiter with false (`FlushResult`).
    private let failure = Mutex<FlushResult.IncompleteReason?>(nil)
    /// Whether the writer should stop after this cycle (shutdown).
    let stop: Bool

    init(stop: Bool = false) { self.stop = stop }

    /// The result, once the writer completed the cycle.
    var result: Bool? { state.withLock { $0.result } }

    /// The async callers suspended in `wait` now (for tests).
    var suspendedWaits: Int { state.withLock { $0.suspendedWaits } }

    /// Why the cycle failed (`complete(_:failure:)`); nil while it has not, or when it succeeded.
    var failureReason: FlushResult.IncompleteReason? { failure.withLock { $0 } }

    /// Completes the waiter with the cycle's result (called by the writer); only the first call has an effect.
    /// `failure` says why a failed cycle failed (read by `FlushResult`).
    func complete(_ ok: Bool, failure reason: FlushResult.IncompleteReason? = nil) {
        if !ok, let reason { failure.withLock { if $0 == nil, result == nil { $0 = reason } } }
        let continuations = state.withLock { $0.complete(ok) }
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

    /// Suspends until completion, `timeoutMillis`, or the cancellation of the calling task, whichever comes first;
    /// false on timeout or cancellation (this caller only; a task cancelled before the call returns false at once).
    /// Never blocks a thread of the pool.
    func wait(timeoutMillis: Int) async -> Bool {
        let id: UInt64
        switch state.withLock({ $0.startWait() }) {
        case .returnResult(let result): return result
        case .wait(let waitID): id = waitID
        }
        let timer = Task {
            do {
                try await Task.sleep(for: .milliseconds(max(0, timeoutMillis)))
            } catch {
                return  // cancelled: the wait ended first
            }
            self.endWait(id)
        }
        defer { timer.cancel() }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
                switch state.withLock({ $0.suspend(id, c) }) {
                case .resume(let result): c.resume(returning: result)
                case .suspended: break
                }
            }
        } onCancel: {
            self.endWait(id)
        }
    }

    /// Ends the async wait `id` with false (its timeout, or its task's cancellation), unless it already returned.
    private func endWait(_ id: UInt64) {
        state.withLock { $0.endWait(id) }?.resume(returning: false)
    }
}
