import Dispatch
import Foundation
import SpoolFormat
import Synchronization
import Testing

@testable import TraceSpool

extension TracerTests {
    /// Callers of `flush`/`shutdown` whose timeouts differ, and spans lost after they were written.
    @Suite("Shutdown timeouts and lost frames")
    struct ShutdownAndLossTests {
        /// Blocks the writer thread of a tracer created with `hooks` before its next append or sync until
        /// `release()`.
        final class WriterGate: Sendable {
            private let gate = DispatchSemaphore(value: 0)
            private let blocking = Atomic<Bool>(true)

            /// The seam to create the tracer with.
            var hooks: TracerTestHooks {
                TracerTestHooks(beforeIO: { [self] in if blocking.load(ordering: .relaxed) { gate.wait() } })
            }

            func release() {
                blocking.store(false, ordering: .relaxed)
                gate.signal()
            }
        }

        @Test("a shutdown that timed out does not decide later shutdowns: they wait for the seal")
        func timedOutShutdownThenShutdown() throws {
            let dir = TempDir("shutdown-zero")
            defer { dir.cleanup() }
            let gate = WriterGate()
            let tracer = SpoolTracer(
                configuration: testConfiguration(dir) {
                    $0.flushTimeoutMillis = 120_000
                    $0.shutdownAtExit = true
                }, logger: nil, testHooks: gate.hooks)
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
            let contents = try readSpool(dir.spool)
            #expect(contents.spans.map(\.name) == ["before"])
            #expect(contents.segmentNames.count == 1)
            #expect(contents.segmentNames.allSatisfy { $0.hasSuffix(".seg") })
        }

        @Test("short flushes racing a long shutdown time out alone; the shutdown and later calls get its outcome")
        func shortFlushDuringShutdown() async throws {
            let dir = TempDir("shutdown-race")
            defer { dir.cleanup() }
            let gate = WriterGate()
            let tracer = SpoolTracer(configuration: testConfiguration(dir), logger: nil, testHooks: gate.hooks)
            defer { gate.release() }
            tracer.withSpan("before") { _ in }
            let shutdownResult = Mutex<Bool?>(nil)
            let shutdownDone = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                let ok = tracer.shutdown(timeoutMillis: 120_000)
                shutdownResult.withLock { $0 = ok }
                shutdownDone.signal()
            }
            #expect(eventually { !tracer.isEnabled })  // the shutdown began
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
            let contents = try readSpool(dir.spool)
            #expect(contents.spans.map(\.name) == ["before"])
            #expect(contents.segmentNames.allSatisfy { $0.hasSuffix(".seg") })
        }

        @Test("spans written to a segment deleted before the flush are counted as ioError drops and recorded")
        func deletedOpenSegment() throws {
            let dir = TempDir("deleted-segment")
            defer { dir.cleanup() }
            let tracer = SpoolTracer(configuration: testConfiguration(dir) { $0.drainIntervalMillis = 10 })
            tracer.withSpan("first") { _ in }
            #expect(tracer.flush(timeoutMillis: 120_000))
            let lost = 25
            for _ in 0..<lost { tracer.withSpan("lost") { _ in } }
            // The periodic drain appends them (no sync) to the open segment.
            #expect(eventually { tracer.statistics.spansWritten == 1 + lost })
            let open = try SpoolDirectory(path: dir.spool, create: false).segments().filter { $0.name.state == .open }
            #expect(open.count == 1)
            for segment in open { try FileManager.default.removeItem(atPath: segment.path) }
            #expect(tracer.flush(timeoutMillis: 120_000) == false)
            #expect(tracer.statistics.drops.counts[.ioError] == UInt64(lost))
            tracer.withSpan("after") { _ in }
            #expect(tracer.flush(timeoutMillis: 120_000))
            #expect(tracer.shutdown(timeoutMillis: 120_000))
            let contents = try readSpool(dir.spool)
            #expect(contents.spans.map(\.name) == ["after"])
            #expect(contents.drops.counts[.ioError] == UInt64(lost))
            #expect(tracer.statistics.drops.counts[.ioError] == UInt64(lost))
        }
    }
}
