import Synchronization

/// Whether this process has started a serverless invocation yet (`faas.coldstart`): process-wide, since a cold
/// start is one of the execution environment, whatever tracer records it.
enum ColdStart {
    private static let started = Atomic<Bool>(false)

    /// True for the first call in the process only.
    static func take() -> Bool {
        !started.exchange(true, ordering: .relaxed)
    }

    /// Makes the next `take()` true again (tests only).
    static func reset() {
        started.store(false, ordering: .relaxed)
    }
}
