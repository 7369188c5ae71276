/// The state of a `FlushWaiter` as a state machine without threads: the cycle's result once known, and the async
/// waits. Generic over what an async wait suspends with, so that tests drive it with plain values; `FlushWaiter` keeps
/// it under a `Mutex` with `CheckedContinuation`s and resumes the continuations each event returns after unlocking.
///
/// An async wait goes: `startWait` (it gets an id, unless the result is known), then exactly once `suspend` (the
/// body of `withCheckedContinuation`, which runs at once), and ends either when the cycle completes (`complete`
/// returns its continuation) or earlier for this caller alone, on its timeout or its task's cancellation (`endWait`,
/// which may come before or after `suspend`, and any number of times).
struct FlushWaitState<Continuation> {
    /// One async wait.
    private enum Wait {
        /// Started, not yet suspended.
        case started
        /// Suspended with this continuation.
        case suspended(Continuation)
        /// Ended (timed out or cancelled) before it suspended: its `suspend` returns false at once.
        case ended
    }

    /// The cycle's result, once completed.
    private(set) var result: Bool?
    /// The async waits that have not returned, by id.
    private var waits: [UInt64: Wait] = [:]
    private var nextID: UInt64 = 0

    /// The async waits that have not returned.
    var pendingWaits: Int { waits.count }

    /// The async waits suspended now.
    var suspendedWaits: Int {
        waits.values.reduce(0) { n, wait in
            if case .suspended = wait { return n + 1 }
            return n
        }
    }

    /// What `startWait` asks the caller to do.
    enum StartAction: Equatable {
        /// Return this result: the cycle has completed.
        case returnResult(Bool)
        /// Suspend (`suspend`) as wait `id`; end it with `endWait(id)` on timeout or cancellation.
        case wait(id: UInt64)
    }

    /// An async caller starts waiting.
    mutating func startWait() -> StartAction {
        if let result { return .returnResult(result) }
        let id = nextID
        nextID &+= 1
        waits[id] = .started
        return .wait(id: id)
    }

    /// What `suspend` asks the caller to do.
    enum SuspendAction: Equatable {
        /// Resume the continuation at once with this result: the cycle completed, or the wait ended already.
        case resume(Bool)
        /// Nothing: the continuation is kept, for `complete` or `endWait` to return.
        case suspended
    }

    /// Wait `id` (from `startWait`) suspends with `continuation`.
    mutating func suspend(_ id: UInt64, _ continuation: Continuation) -> SuspendAction {
        if let result {
            waits[id] = nil
            return .resume(result)
        }
        switch waits[id] {
        case .started:
            waits[id] = .suspended(continuation)
            return .suspended
        case .ended:
            waits[id] = nil
            return .resume(false)
        case .suspended, nil:
            preconditionFailure("wait \(id) suspended twice, or never started")
        }
    }

    /// Wait `id` ends early for its caller alone (its timeout passed, or its task was cancelled). Returns the
    /// continuation to resume with false, when it is suspended; nil when it has not suspended yet (its `suspend` will
    /// return false, or the result if the cycle completes first) or has already been resumed.
    mutating func endWait(_ id: UInt64) -> Continuation? {
        switch waits[id] {
        case .started:
            waits[id] = .ended
            return nil
        case .suspended(let continuation):
            waits[id] = nil
            return continuation
        case .ended, nil:
            return nil
        }
    }

    /// The cycle completed with `ok` (only the first call counts). Returns the continuations to resume with it.
    mutating func complete(_ ok: Bool) -> [Continuation] {
        guard result == nil else { return [] }
        result = ok
        var resumed: [Continuation] = []
        for (id, wait) in waits {
            guard case .suspended(let continuation) = wait else { continue }
            resumed.append(continuation)
            waits[id] = nil
        }
        return resumed
    }
}
