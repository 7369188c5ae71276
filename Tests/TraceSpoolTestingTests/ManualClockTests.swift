import Synchronization
import Testing
import TraceSpoolTesting

@Suite("ManualClock", .timeLimit(.minutes(1)))
struct ManualClockTests {
    @Test("a sleep ends exactly when the clock reaches its deadline")
    func sleepEndsAtDeadline() async throws {
        let clock = ManualClock()
        let start = clock.now
        let woke = Atomic<Bool>(false)
        let sleeper = Task {
            try await clock.sleep(until: start.advanced(by: .seconds(30)))
            woke.store(true, ordering: .relaxed)
        }
        await clock.waitForSleepers(count: 1)
        #expect(clock.sleepDeadlines == [start.advanced(by: .seconds(30))])
        clock.advance(by: .seconds(29))
        #expect(clock.sleepDeadlines.count == 1)
        let wokeEarly = woke.load(ordering: .relaxed)
        #expect(!wokeEarly)
        clock.advance(by: .seconds(1))
        try await sleeper.value
        let wokeAtDeadline = woke.load(ordering: .relaxed)
        #expect(wokeAtDeadline)
        #expect(clock.sleepDeadlines.isEmpty)
        #expect(clock.now == start.advanced(by: .seconds(30)))
    }

    @Test("a deadline already reached returns at once; the clock never goes back")
    func pastDeadline() async throws {
        let clock = ManualClock(now: .init(nanosecondsSinceEpoch: 1_000))
        try await clock.sleep(until: .init(nanosecondsSinceEpoch: 1_000))
        try await clock.sleep(for: .zero)
        clock.advance(to: .init(nanosecondsSinceEpoch: 500))
        clock.advance(by: .nanoseconds(-5))
        #expect(clock.now.nanosecondsSinceEpoch == 1_000)
    }

    @Test("cancelling a sleeping task ends its sleep with CancellationError")
    func cancellation() async throws {
        let clock = ManualClock()
        let sleeper = Task { try await clock.sleep(for: .seconds(3600)) }
        await clock.waitForSleepers(count: 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleepDeadlines.isEmpty)
        let cancelledFirst = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(1))
        }
        await #expect(throws: CancellationError.self) { try await cancelledFirst.value }
    }

    @Test("a waitForSleepers that no sleep satisfies returns when its task is cancelled, before or while it waits")
    func waitForSleepersCancellation() async throws {
        let clock = ManualClock()
        let waiter = Task { await clock.waitForSleepers(count: 1) }
        // The waiter is registered or about to be: either way cancelling it must end it without any sleeper.
        waiter.cancel()
        await waiter.value
        let cancelledFirst = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await clock.waitForSleepers(count: 5)
        }
        await cancelledFirst.value
        // A later wait still works.
        let sleeper = Task { try await clock.sleep(for: .seconds(1)) }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        try await sleeper.value
    }

    @Test("several sleepers wake in deadline order, each when its deadline is reached")
    func order() async throws {
        let clock = ManualClock()
        let log = WakeLog()
        var tasks: [Task<Void, any Error>] = []
        for seconds in [3, 1, 2] {
            tasks.append(
                Task {
                    try await clock.sleep(for: .seconds(seconds))
                    log.woken.withLock { $0.append(seconds) }
                })
        }
        await clock.waitForSleepers(count: 3)
        clock.advance(by: .seconds(1))
        try await tasks[1].value
        #expect(log.woken.withLock { $0 } == [1])
        clock.advance(by: .seconds(5))
        for task in tasks { try await task.value }
        #expect(log.woken.withLock { $0 }.sorted() == [1, 2, 3])
        #expect(log.woken.withLock { $0 }.first == 1)
    }

    @Test("instant arithmetic: nanoseconds exact, clamped at both ends")
    func arithmetic() {
        let t = ManualClock.Instant(nanosecondsSinceEpoch: 10)
        #expect(t.advanced(by: .milliseconds(1)).nanosecondsSinceEpoch == 1_000_010)
        #expect(t.advanced(by: .nanoseconds(-20)).nanosecondsSinceEpoch == 0)
        #expect(
            ManualClock.Instant(nanosecondsSinceEpoch: .max - 1).advanced(by: .seconds(1)).nanosecondsSinceEpoch == .max
        )
        #expect(t.duration(to: ManualClock.Instant(nanosecondsSinceEpoch: 5)) == .nanoseconds(-5))
        #expect(t.advanced(by: .seconds(Int64.max)).nanosecondsSinceEpoch == .max)
        #expect(t.millisecondsSinceEpoch == 0)
    }
}

/// The order in which sleepers woke.
final class WakeLog: Sendable {
    let woken = Mutex<[Int]>([])
}
