import Dispatch
import Foundation
import SpoolFormat
import Synchronization
import Testing
import TraceSpoolTesting

@testable import TraceSpool

extension TracerTests {
    /// Full buffers reach the writer without a flush or a periodic drain: the first one wakes a parked writer, and
    /// the ones filled while it works or naps are written at the end of its nap, although nobody wakes it for them.
    @Suite("Writer handoff")
    struct WriterHandoffTests {
        /// A tracer whose writer never drains partial buffers on its own (a day's interval): only full buffers
        /// are written without a flush.
        static func tracer(_ spool: TemporarySpool, hooks: TracerTestHooks = TracerTestHooks()) -> SpoolTracer {
            spool.makeQuietTracer(hooks: hooks) {
                $0.drainIntervalMillis = 86_400_000
                $0.bufferBytes = 4 << 10
                $0.maxQueuedBuffers = 100_000  // nothing dropped: every full buffer must be written
                $0.compress = false
            }
        }

        static func record(_ tracer: SpoolTracer, _ count: Int, from start: Int = 0) {
            for i in start..<(start + count) {
                tracer.startSpan("s", attributes: [.int("i", i), .string("pad", String(repeating: "x", count: 60))])
                    .end()
            }
        }

        /// Spans written, waiting in the queue, or in the thread's partial buffer: all of them, once the writer
        /// has taken what is queued.
        static func allFullBuffersWritten(_ tracer: SpoolTracer, recorded: Int) -> Bool {
            let core = tracer.core!
            let queued = core.queue.withLock { $0.batches.isEmpty }
            return queued && tracer.statistics.spansWritten + core.bufferedSpans == recorded
        }

        @Test("buffers filled in a burst are all written without a flush, and so are those after the writer parked")
        func fullBuffersReachTheSpool() throws {
            try withTemporarySpool { spool in
                let tracer = Self.tracer(spool)
                // A burst of well over 100 buffers: the first wakes the parked writer; the rest are queued while it works
                // or naps, and wake nobody (unless this thread stalls for over 30 ms and the writer parks meanwhile: on
                // a loaded machine a few may; a wake per buffer would mean every hand-off wakes the writer).
                Self.record(tracer, 5_000)
                #expect(eventually { Self.allFullBuffersWritten(tracer, recorded: 5_000) })
                let afterBurst = tracer.statistics.spansWritten
                #expect(afterBurst > 4_000)
                let fullBuffers = tracer.core!.framesWritten.load(ordering: .relaxed)
                let wakes = tracer.core!.wakeSignals.load(ordering: .relaxed)
                #expect(fullBuffers > 100)
                #expect(wakes >= 1)
                #expect(wakes * 2 <= fullBuffers, "\(wakes) of \(fullBuffers) full buffers woke the writer")
                // Once idle, the writer parks (a nap brought nothing); the next full buffer must wake it.
                #expect(eventually { tracer.core!.queue.withLock { $0.writerParked } })
                Self.record(tracer, 200, from: 5_000)
                #expect(eventually { tracer.statistics.spansWritten > afterBurst })
                #expect(eventually { Self.allFullBuffersWritten(tracer, recorded: 5_200) })
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.count == 5_200)
                #expect(Set(contents.spans.compactMap { $0.int("i") }).count == 5_200)
                #expect(contents.isIntact)
            }
        }

        @Test("flushes between bursts each make exactly the spans recorded before them durable")
        func flushesBetweenBursts() throws {
            try withTemporarySpool { spool in
                let tracer = Self.tracer(spool)
                for round in 0..<20 {
                    Self.record(tracer, 300, from: round * 300)
                    #expect(tracer.flush(timeoutMillis: 60_000))
                    #expect(tracer.statistics.spansWritten == (round + 1) * 300)
                }
                #expect(tracer.shutdown())
                let read = try SpoolContents(reading: spool.path)
                #expect(read.spans.count == 6_000)
            }
        }

        @Test("buffers handed over while or after the writer stops are counted as dropped after shutdown, not lost")
        func buffersRacingWithShutdownAreCounted() throws {
            try withTemporarySpool { spool in
                // After the shutdown's last round took the queue and the thread buffers, a thread hands over a full
                // buffer of 7 spans and leaves 5 in its own buffer: neither can be written any more.
                let raced = Mutex(false)
                let racing = Mutex<TracerCore?>(nil)  // the tracer's core, set once it exists
                let hooks = TracerTestHooks(beforeStop: {
                    guard let core = racing.withLock({ $0 }) else { return }
                    raced.withLock { $0 = true }
                    core.enqueue(PendingBatch(bytes: [], records: 7))
                    let late = ThreadBuffer()
                    late.contents.withLock { $0.records = 5 }
                    core.buffers.withLock { $0.append(late) }
                })
                let tracer = Self.tracer(spool, hooks: hooks)
                let core = tracer.core!
                racing.withLock { $0 = core }
                Self.record(tracer, 100)
                #expect(tracer.shutdown())
                #expect(raced.withLock { $0 })
                #expect(tracer.statistics.drops.counts[.afterShutdown] == 12)
                // A buffer handed over once the writer has stopped.
                core.enqueue(PendingBatch(bytes: [], records: 3))
                #expect(tracer.statistics.drops.counts[.afterShutdown] == 15)
                #expect(core.queue.withLock { $0.batches.isEmpty })
                // Thread buffers are closed: a span that slipped past the shutdown check would be counted, not kept. So
                // is the buffer of a thread that records its first span only now.
                #expect(core.withThreadBuffer { b in b.contents.withLock { $0.closedReason } } == .afterShutdown)
                let done = DispatchSemaphore(value: 0)
                let newThread = Mutex<DropReason?>(nil)
                Thread {
                    let reason = core.withThreadBuffer { b in b.contents.withLock { $0.closedReason } }
                    newThread.withLock { $0 = reason }
                    done.signal()
                }.start()
                done.wait()
                #expect(newThread.withLock { $0 } == .afterShutdown)
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.count == 100)
            }
        }
    }
}
