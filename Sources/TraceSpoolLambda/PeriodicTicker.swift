import Logging
import Synchronization

/// The periodic strategy's background drain: every `period`, while enabled and while the process is not frozen,
/// one drain bounded by the request timeout. Lambda freezes the process between invocations; a tick overdue at the
/// thaw fires at once.
final class PeriodicTicker<C: Clock>: Sendable where C.Duration == Duration {
    private let enabled = Atomic<Bool>(false)
    private let task: Mutex<Task<Void, Never>?>

    /// Starts the ticker (disabled).
    init(
        runner: DrainRunner<C>, clock: C, period: Duration, timeout: Duration, logger: Logger
    ) {
        task = Mutex(nil)
        let loop = Task { [self] in
            while !Task.isCancelled {
                try? await clock.sleep(for: period, tolerance: nil)
                guard !Task.isCancelled else { return }
                guard self.enabled.load(ordering: .relaxed) else { continue }
                let result = await runner.drain(until: clock.now.advanced(by: max(period, timeout)))
                if case .drained(let summary) = result, summary.requests > 0 {
                    logger.debug(
                        "periodic drain",
                        metadata: ["spans": "\(summary.spansDelivered)", "deferred": "\(summary.segmentsDeferred)"])
                }
            }
        }
        task.withLock { $0 = loop }
    }

    /// Turns the drains on or off.
    func setEnabled(_ on: Bool) { enabled.store(on, ordering: .relaxed) }

    /// Stops the ticker (a drain in progress goes on; `DrainRunner.waitIdle` waits for it).
    func stop() {
        enabled.store(false, ordering: .relaxed)
        task.withLock { $0?.cancel() }
    }
}
