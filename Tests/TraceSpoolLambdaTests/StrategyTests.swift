import Testing

@testable import TraceSpoolLambda

/// The adaptive strategy's choice and the backoff across holds: pure logic on instants the test makes.
@Suite struct StrategyTests {
    let t0 = ContinuousClock.now

    /// Records an invocation (outside `#expect`, which cannot mutate).
    func record(_ cadence: inout InvocationCadence<ContinuousClock.Instant>, _ at: ContinuousClock.Instant) -> Bool {
        cadence.record(invocationAt: at)
    }

    @Test func strategyNamesParseCaseInsensitively() {
        #expect(LambdaStrategy(variable: "end-of-invocation") == .endOfInvocation)
        #expect(LambdaStrategy(variable: " Periodic ") == .periodic)
        #expect(LambdaStrategy(variable: "ADAPTIVE") == .adaptive)
        #expect(LambdaStrategy(variable: "end") == nil)
        #expect(LambdaStrategy(variable: "") == nil)
    }

    @Test func adaptiveStartsAtTheEndOfInvocationAndSwitchesOnceInvocationsAreFrequent() {
        var cadence = InvocationCadence<ContinuousClock.Instant>(window: 4, maxGap: .seconds(60))
        // Three invocations 10 s apart: not yet a full window.
        #expect(!record(&cadence, t0))
        #expect(!record(&cadence, t0 + .seconds(10)))
        #expect(!record(&cadence, t0 + .seconds(20)))
        // The fourth completes the window: average gap 10 s < 60 s.
        #expect(record(&cadence, t0 + .seconds(30)))
        #expect(record(&cadence, t0 + .seconds(89)))
    }

    @Test func adaptiveGoesBackAtTheFirstLongGapAndCountsAgain() {
        var cadence = InvocationCadence<ContinuousClock.Instant>(window: 3, maxGap: .seconds(60))
        for i in 0..<3 { cadence.record(invocationAt: t0 + .seconds(i)) }
        #expect(cadence.isPeriodic)
        // 61 s without an invocation: rare again.
        #expect(!record(&cadence, t0 + .seconds(63)))
        #expect(!record(&cadence, t0 + .seconds(64)))
        #expect(record(&cadence, t0 + .seconds(65)))
    }

    @Test func adaptiveStaysAtTheEndWhenTheAverageGapIsLong() {
        var cadence = InvocationCadence<ContinuousClock.Instant>(window: 3, maxGap: .seconds(60))
        // Gaps of exactly the threshold are not frequent.
        for i in 0..<3 { cadence.record(invocationAt: t0 + .seconds(60 * i)) }
        #expect(!cadence.isPeriodic)
    }

    @Test func holdBackoffSkipsDrainsAfterAFailureAndDoublesUpToTheCap() {
        var backoff = HoldBackoff<ContinuousClock.Instant>(base: .seconds(1), cap: .seconds(4))
        #expect(backoff.allowsDrain(at: t0))
        backoff.record(failed: true, at: t0)
        #expect(!backoff.allowsDrain(at: t0 + .milliseconds(999)))
        #expect(backoff.allowsDrain(at: t0 + .seconds(1)))
        backoff.record(failed: true, at: t0 + .seconds(1))
        #expect(!backoff.allowsDrain(at: t0 + .milliseconds(2999)))
        #expect(backoff.allowsDrain(at: t0 + .seconds(3)))
        backoff.record(failed: true, at: t0 + .seconds(3))
        backoff.record(failed: true, at: t0 + .seconds(7))
        // Capped at 4 s.
        #expect(backoff.allowsDrain(at: t0 + .seconds(11)))
        backoff.record(failed: false, at: t0 + .seconds(11))
        #expect(backoff.failures == 0)
        #expect(backoff.allowsDrain(at: t0 + .seconds(11)))
    }
}
