import Foundation
import Logging
import Synchronization
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@testable import TraceSpoolLambda

/// `DrainRunner`: whatever the drain does, the caller gets an answer at its deadline (plus the grace); one drain at
/// a time; the backoff after a drain that delivered nothing.
@Suite(.timeLimit(.minutes(1))) struct DrainRunnerTests {
    /// A sink whose deliveries ignore cancellation and wait until the test releases them (a stalled disk or a probe
    /// that cannot be cancelled), then fail.
    final class StuckSink: SpanSink {
        let name = "stuck"
        private let state = Mutex<(released: Bool, waiters: [CheckedContinuation<Void, Never>], calls: Int)>(
            (false, [], 0))

        var calls: Int { state.withLock { $0.calls } }

        func deliver(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    s.calls += 1
                    if s.released { return true }
                    s.waiters.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
            throw DeliveryDeferred(reason: "stuck", partial: DeliveryReport(requests: 1, failedRequests: 1))
        }

        func release() {
            let waiters = state.withLock { s in
                s.released = true
                defer { s.waiters = [] }
                return s.waiters
            }
            for w in waiters { w.resume() }
        }

        func shutdown() async {}
    }

    static func spoolWithOneSegment() throws -> String {
        let path = NSTemporaryDirectory() + "tracespool-runner-\(UUID().uuidString.prefix(8))"
        var builder = SegmentBuilder()
        try builder.appendFrame(spans: [RecordedSpan(operationName: "one")])
        try builder.write(into: path)
        return path
    }

    static func logger() -> Logger {
        var logger = Logger(label: "tests")
        logger.logLevel = .critical
        return logger
    }

    @Test func aDrainThatIgnoresCancellationIsLeftBehindAtTheDeadline() async throws {
        let spool = try Self.spoolWithOneSegment()
        let sink = StuckSink()
        let drainer = SpoolDrainer(
            configuration: SpoolUploader.Configuration(spoolDirectories: [spool], destination: .sqlite(path: "")),
            sink: sink, metrics: UploadMetrics(), logger: Self.logger())
        let clock = ManualClock()
        let runner = DrainRunner(drainer: drainer, clock: clock)
        let deadline = clock.now.advanced(by: .milliseconds(100))
        async let result = runner.drain(until: deadline)
        // The drain's own deadline and the runner's hard limit are both sleeps on the manual clock.
        await clock.waitForSleepers(count: 2)
        while sink.calls == 0 { await Task.yield() }
        clock.advance(to: deadline.advanced(by: DrainRunner<ManualClock>.grace))
        guard case .overran = await result else {
            Issue.record("expected .overran")
            return
        }
        // Still running: the next call does not start a second drain.
        #expect(runner.isRunning)
        guard case .busy = await runner.drain(until: clock.now.advanced(by: .seconds(1))) else {
            Issue.record("expected .busy")
            return
        }
        sink.release()
        while runner.isRunning { await Task.yield() }
        #expect(!runner.isRunning)
        // It delivered nothing: the next drains wait for the backoff.
        #expect(!runner.allowsDrain(at: clock.now))
        guard case .backingOff = await runner.drain(until: clock.now.advanced(by: .seconds(1))) else {
            Issue.record("expected .backingOff")
            return
        }
        #expect(runner.allowsDrain(at: clock.now.advanced(by: .seconds(1))))
        try? FileManager.default.removeItem(atPath: spool)
    }
}
