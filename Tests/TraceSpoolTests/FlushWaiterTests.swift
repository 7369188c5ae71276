import Dispatch
import Synchronization
import Testing
import TraceSpoolTesting

@testable import TraceSpool

extension TracerTests {
    /// `FlushWaitState`, the bookkeeping of a flush's waiters, driven event by event with integers for continuations:
    /// no threads, no sleeps.
    @Suite("Flush wait state machine")
    struct FlushWaitStateTests {
        typealias State = FlushWaitState<Int>

        static func start(_ s: inout State) -> UInt64 {
            guard case .wait(let id) = s.startWait() else {
                Issue.record("the wait did not start")
                return .max
            }
            return id
        }

        @Test("completion resumes every suspended wait with the result, once; later waits return it at once")
        func completion() {
            var s = State()
            let a = Self.start(&s)
            let b = Self.start(&s)
            #expect(a != b)
            #expect(s.suspend(a, 10) == .suspended)
            #expect(s.suspend(b, 20) == .suspended)
            #expect(Set(s.complete(true)) == [10, 20])
            #expect(s.result == true)
            #expect(s.complete(false).isEmpty)  // only the first completion counts
            #expect(s.result == true)
            #expect(s.startWait() == .returnResult(true))
            #expect(s.pendingWaits == 0)
        }

        @Test("a wait that ends (timeout, cancellation) after suspending is resumed alone; the others still wait")
        func endAfterSuspend() {
            var s = State()
            let a = Self.start(&s)
            let b = Self.start(&s)
            _ = s.suspend(a, 1)
            _ = s.suspend(b, 2)
            #expect(s.endWait(a) == 1)
            #expect(s.endWait(a) == nil)  // a timeout and a cancellation of the same wait: resumed once
            #expect(s.result == nil)
            #expect(s.complete(false) == [2])
            #expect(s.endWait(b) == nil)
            #expect(s.pendingWaits == 0)
        }

        @Test("a wait that ends before it suspends returns false as it suspends")
        func endBeforeSuspend() {
            var s = State()
            let a = Self.start(&s)
            #expect(s.endWait(a) == nil)
            #expect(s.endWait(a) == nil)
            #expect(s.suspend(a, 1) == .resume(false))
            #expect(s.pendingWaits == 0)
            #expect(s.complete(true).isEmpty)
        }

        @Test("a wait that started before completion and suspends after it gets the result, even if it ended early")
        func completionBeforeSuspend() {
            var s = State()
            let a = Self.start(&s)
            let b = Self.start(&s)
            #expect(s.endWait(b) == nil)
            #expect(s.complete(true).isEmpty)
            #expect(s.endWait(a) == nil)  // too late to end: the result is known
            #expect(s.suspend(a, 1) == .resume(true))
            #expect(s.suspend(b, 2) == .resume(true))
            #expect(s.pendingWaits == 0)
        }
    }

    /// The async `FlushWaiter.wait` and the tracer's async `flush` honour their caller's cancellation without waiting
    /// out their timeout. No sleeps: each test completes the flush right after cancelling, so that a wait that ignored
    /// the cancellation would return the flush's result (true) instead of false, and none would hang.
    @Suite("Flush cancellation", .timeLimit(.minutes(1)))
    struct FlushCancellationTests {
        @Test("a suspended async flush returns false when its task is cancelled; the waiter still completes for others")
        func cancelledWhileWaiting() async {
            let waiter = FlushWaiter()
            let task = Task { await waiter.wait(timeoutMillis: 600_000) }
            // Until the wait has suspended (yielding, not sleeping): the cancellation must reach a suspended wait.
            while waiter.suspendedWaits == 0 { await Task.yield() }
            task.cancel()  // runs the wait's cancellation handler before it returns
            #expect(waiter.suspendedWaits == 0)
            let other = Task { await waiter.wait(timeoutMillis: 600_000) }
            while waiter.suspendedWaits == 0 { await Task.yield() }
            waiter.complete(true)
            #expect(await task.value == false)
            #expect(await other.value == true)
        }

        @Test("a task cancelled before it waits returns false without suspending")
        func cancelledBeforeWaiting() async {
            let waiter = FlushWaiter()
            let returned = Mutex(false)
            let task = Task {
                withUnsafeCurrentTask { $0?.cancel() }
                let result = await waiter.wait(timeoutMillis: 600_000)
                returned.withLock { $0 = true }
                return result
            }
            // A wait that suspended despite the cancellation gets the flush's result instead.
            while !returned.withLock({ $0 }) {
                if waiter.suspendedWaits > 0 { waiter.complete(true) }
                await Task.yield()
            }
            #expect(await task.value == false)
        }

        @Test("the tracer's async flush returns false when cancelled while the disk is stalled, true afterwards")
        func tracerFlushCancelled() async throws {
            try await withTemporarySpool { spool in
                let gate = DispatchSemaphore(value: 0)
                let blocking = Atomic<Bool>(true)
                let stalled = Atomic<Bool>(false)
                let tracer = spool.makeQuietTracer(
                    hooks: TracerTestHooks(beforeIO: {
                        guard blocking.load(ordering: .relaxed) else { return }
                        stalled.store(true, ordering: .relaxed)
                        gate.wait()
                    })
                ) { $0.drainIntervalMillis = 86_400_000 }
                let core = try #require(tracer.core)
                tracer.withSpan("stalled") { _ in }
                let task = Task { await tracer.flush(timeoutMillis: 600_000) }
                // The writer took the flush's waiter and is stuck writing its span: the flush cannot complete before the
                // gate opens.
                while !stalled.load(ordering: .relaxed) { await Task.yield() }
                // A task cancelled before it asks does not even hand a flush to the writer.
                let early = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    return await tracer.flush(timeoutMillis: 600_000)
                }
                #expect(await early.value == false)
                #expect(core.queue.withLock { $0.waiters.count } == 0)
                task.cancel()
                blocking.store(false, ordering: .relaxed)
                gate.signal()
                #expect(await task.value == false)
                #expect(await tracer.flush(timeoutMillis: 60_000))
                #expect(tracer.shutdown())
                let read = try SpoolContents(reading: spool.path)
                #expect(read.spans(named: "stalled").count == 1)
            }
        }
    }
}
