import Dispatch
import Foundation
import SpoolFormat
import Synchronization
import Testing
import TraceSpoolTesting

@testable import TraceSpool

extension TracerTests {
    /// Callers of `flush`/`shutdown` whose timeouts differ, and spans lost after they were written.
    @Suite("Shutdown timeouts and lost frames")
    struct ShutdownAndLossTests {
        /// Blocks the writer thread of a tracer created with `hooks` before its next append or sync for which
        /// `holds` is true, until `release()`; `waitUntilHeld()` returns once the writer is blocked there.
        final class WriterGate: Sendable {
            private let gate = DispatchSemaphore(value: 0)
            private let held = DispatchSemaphore(value: 0)
            private let blocking = Atomic<Bool>(true)
            private let holds: @Sendable () -> Bool

            /// A gate for every append and sync (`holds` true), or for those when `holds` is true, evaluated on the
            /// writer thread before each.
            init(holdingWhen holds: @escaping @Sendable () -> Bool = { true }) {
                self.holds = holds
            }

            /// The seam to create the tracer with.
            var hooks: TracerTestHooks {
                TracerTestHooks(beforeIO: { [self] in
                    guard blocking.load(ordering: .relaxed), holds() else { return }
                    held.signal()
                    gate.wait()
                })
            }

            /// Waits until the writer thread is blocked at the gate; false when it is not within 60 s.
            func waitUntilHeld() -> Bool {
                held.wait(timeout: .now() + .seconds(60)) == .success
            }

            func release() {
                blocking.store(false, ordering: .relaxed)
                gate.signal()
            }
        }

        @Test("a shutdown that timed out does not decide later shutdowns: they wait for the seal")
        func timedOutShutdownThenShutdown() throws {
            try withTemporarySpool { spool in
                let gate = WriterGate()
                let tracer = spool.makeQuietTracer(hooks: gate.hooks) {
                    $0.flushTimeoutMillis = 120_000
                    $0.shutdownAtExit = true
                }
                let core = try #require(tracer.core)
                defer { gate.release() }
                tracer.withSpan("before") { _ in }
                #expect(tracer.shutdown(timeoutMillis: 0) == false)
                // The seal has not happened yet: the exit hook must still wait for it at normal exit.
                #expect(ExitHook.isRegistered(core))
                gate.release()
                #expect(tracer.shutdown())
                #expect(tracer.flush(timeoutMillis: 0))  // the outcome is known now
                #expect(ExitHook.isRegistered(core) == false)
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.map(\.operationName) == ["before"])
                let segments = try SpoolDirectory(path: spool.path, create: false).segments()
                #expect(segments.count == 1)
                #expect(segments.allSatisfy { $0.name.state == .sealed })
            }
        }

        @Test("short flushes racing a long shutdown time out alone; the shutdown and later calls get its outcome")
        func shortFlushDuringShutdown() async throws {
            try await withTemporarySpool { spool in
                let gate = WriterGate()
                // No periodic drain: the writer's first append is the shutdown's.
                let tracer = spool.makeQuietTracer(hooks: gate.hooks) { $0.drainIntervalMillis = 86_400_000 }
                defer { gate.release() }
                tracer.withSpan("before") { _ in }
                let shutdownResult = Mutex<Bool?>(nil)
                let shutdownDone = DispatchSemaphore(value: 0)
                DispatchQueue.global().async {
                    let ok = tracer.shutdown(timeoutMillis: 120_000)
                    shutdownResult.withLock { $0 = ok }
                    shutdownDone.signal()
                }
                #expect(gate.waitUntilHeld())  // the shutdown began: its cycle is stuck writing
                #expect(!tracer.isEnabled)
                #expect(blockingFlush(tracer, 10) == false)
                #expect(await tracer.flush(timeoutMillis: 10) == false)
                // An async caller still waiting when the writer finishes gets the real outcome too.
                async let lateAsync = tracer.flush(timeoutMillis: 120_000)
                #expect(shutdownResult.withLock { $0 } == nil)
                gate.release()
                await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                    DispatchQueue.global().async {
                        shutdownDone.wait()
                        c.resume()
                    }
                }
                #expect(shutdownResult.withLock { $0 } == true)
                #expect(await lateAsync)
                #expect(blockingFlush(tracer, 120_000))
                #expect(tracer.shutdown(timeoutMillis: 0))
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.map(\.operationName) == ["before"])
                #expect(
                    try SpoolDirectory(path: spool.path, create: false).segments().allSatisfy { $0.state == .sealed })
            }
        }

        @Test("spans written to a segment deleted before the flush are counted as ioError drops and recorded")
        func deletedOpenSegment() throws {
            try withTemporarySpool { spool in
                let lost = 25
                // Holds the writer at its first append or sync once the lost spans are appended: the sync.
                let core = Mutex<TracerCore?>(nil)
                let gate = WriterGate {
                    core.withLock { $0?.spansWritten.load(ordering: .relaxed) } == 1 + lost
                }
                let tracer = spool.makeQuietTracer(hooks: gate.hooks) { $0.drainIntervalMillis = 86_400_000 }
                core.withLock { $0 = tracer.core }
                defer { gate.release() }
                tracer.withSpan("first") { _ in }
                #expect(tracer.flush(timeoutMillis: 120_000))
                for _ in 0..<lost { tracer.withSpan("lost") { _ in } }
                // A flush appends them (no sync yet) to the open segment, then stops before its sync.
                let flush = DispatchSemaphore(value: 0)
                let flushResult = Mutex<Bool?>(nil)
                Thread.detachNewThread {
                    let ok = tracer.flush(timeoutMillis: 120_000)
                    flushResult.withLock { $0 = ok }
                    flush.signal()
                }
                #expect(gate.waitUntilHeld())
                #expect(tracer.statistics.spansWritten == 1 + lost)
                let open = try SpoolDirectory(path: spool.path, create: false).segments().filter {
                    $0.name.state == .open
                }
                #expect(open.count == 1)
                for segment in open { try FileManager.default.removeItem(atPath: segment.path) }
                gate.release()
                flush.wait()
                #expect(flushResult.withLock { $0 } == false)
                #expect(tracer.statistics.drops.counts[.ioError] == UInt64(lost))
                tracer.withSpan("after") { _ in }
                #expect(tracer.flush(timeoutMillis: 120_000))
                #expect(tracer.shutdown(timeoutMillis: 120_000))
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.map(\.operationName) == ["after"])
                #expect(contents.drops.counts[.ioError] == UInt64(lost))
                #expect(tracer.statistics.drops.counts[.ioError] == UInt64(lost))
            }
        }
    }
}
