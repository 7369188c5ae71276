import Testing

@testable import TraceSpool

extension TracerTests {
    /// `WriterQueue`, the hand-over of full buffers and flush waiters to the writer, driven event by event: no
    /// threads, no sleeps.
    @Suite("Writer queue state machine")
    struct WriterQueueTests {
        static func batch(_ records: Int = 1) -> PendingBatch { PendingBatch(bytes: [], records: records) }

        @Test("a parked writer is woken by the first full buffer, a busy one only by the one at a quarter of the limit")
        func wakesWhenParkedOrAtAQuarter() {
            var q = WriterQueue(limit: 8)
            #expect(q.writerParked)
            #expect(q.enqueue(Self.batch()) == .wakeWriter)
            #expect(!q.writerParked)
            #expect(q.enqueue(Self.batch()) == .wakeWriter)  // the second of 8: a quarter
            #expect(q.enqueue(Self.batch()) == .none)
            #expect(q.enqueue(Self.batch()) == .none)
            #expect(q.takeRound().batches.count == 4)
            #expect(q.enqueue(Self.batch()) == .none)  // busy (napping): taken after the nap
        }

        @Test("a full queue drops; a stopped one drops every buffer and takes no waiter")
        func dropsWhenFullOrStopped() {
            var q = WriterQueue(limit: 2)
            #expect(q.enqueue(Self.batch()) == .wakeWriter)
            #expect(q.enqueue(Self.batch()) == .none)
            #expect(q.enqueue(Self.batch()) == .dropQueueFull)
            #expect(q.batches.count == 2)
            let waiter = FlushWaiter()
            #expect(q.submit(waiter) == true)
            let (waiters, batches) = q.stop()
            #expect(waiters.count == 1 && waiters[0] === waiter)
            #expect(batches.count == 2)
            #expect(q.stopped)
            #expect(q.enqueue(Self.batch()) == .dropStopped)
            #expect(q.submit(FlushWaiter()) == false)
            #expect(q.batches.isEmpty && q.waiters.isEmpty)
        }

        @Test("a queue limit of 0 or less drops every buffer")
        func zeroLimit() {
            var q = WriterQueue(limit: 0)
            #expect(q.enqueue(Self.batch()) == .dropQueueFull)
            var negative = WriterQueue(limit: -5)
            #expect(negative.enqueue(Self.batch()) == .dropQueueFull)
        }

        @Test("a round takes every buffer, in order, and every waiter, and marks the writer busy")
        func roundTakesEverything() {
            var q = WriterQueue(limit: 100)
            for records in 1...3 { _ = q.enqueue(Self.batch(records)) }
            let waiter = FlushWaiter()
            #expect(q.submit(waiter) == true)
            let round = q.takeRound()
            #expect(round.batches.map(\.records) == [1, 2, 3])
            #expect(round.waiters.count == 1)
            #expect(q.batches.isEmpty && q.waiters.isEmpty)
            #expect(!q.writerParked)
            // A round that a flush or the drain interval started finds the writer parked: it is busy now, and the
            // next buffer waits for the end of its nap.
            var woken = WriterQueue(limit: 100)
            #expect(woken.submit(FlushWaiter()) == true)
            #expect(woken.writerParked)
            _ = woken.takeRound()
            #expect(!woken.writerParked)
            #expect(woken.enqueue(Self.batch()) == .none)
            // Buffers that raced with a stop are taken on their own.
            _ = q.enqueue(Self.batch(7))
            #expect(q.takeBatches().map(\.records) == [7])
            #expect(q.batches.isEmpty)
        }

        @Test("the writer parks only on an empty queue; parked, the next buffer wakes it")
        func parksOnlyWhenEmpty() {
            var q = WriterQueue(limit: 100)
            _ = q.enqueue(Self.batch())
            _ = q.takeRound()
            #expect(q.enqueue(Self.batch()) == .none)
            #expect(q.park() == false)  // a buffer arrived after the round took the queue
            #expect(!q.writerParked)
            _ = q.takeRound()
            #expect(q.park() == true)
            #expect(q.writerParked)
            #expect(q.enqueue(Self.batch()) == .wakeWriter)
        }
    }
}
