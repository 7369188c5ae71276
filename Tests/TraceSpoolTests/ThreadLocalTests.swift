import Synchronization
import Testing

@testable import TraceSpool

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension TracerTests {
    /// `ThreadLocal`: one value per thread, made on first use, told of its thread's exit and released then. Each
    /// test runs its threads to completion with `pthread_join`, after which the exiting thread's destructors have run:
    /// no sleeps.
    @Suite("Thread-local values")
    struct ThreadLocalTests {
        /// What happened to probes, in order.
        final class Log: Sendable {
            private let entries = Mutex<[String]>([])
            func add(_ entry: String) { entries.withLock { $0.append(entry) } }
            var all: [String] { entries.withLock { $0 } }
        }

        /// A value that logs its thread's exit and its release.
        final class Probe: ThreadExitObserving, Sendable {
            let id: Int
            let log: Log
            init(_ id: Int, _ log: Log) {
                self.id = id
                self.log = log
            }
            func threadDidExit() { log.add("exit \(id)") }
            deinit { log.add("release \(id)") }
        }

        /// A value that is not told of its thread's exit.
        final class Plain: Sendable {
            let log: Log
            init(_ log: Log) { self.log = log }
            deinit { log.add("release plain") }
        }

        /// Runs `body` on a new POSIX thread and returns once the thread has ended (destructors included).
        static func runOnThread(_ body: @escaping @Sendable () -> Void) {
            final class Job: Sendable {
                let body: @Sendable () -> Void
                init(_ body: @escaping @Sendable () -> Void) { self.body = body }
            }
            var thread = pthread_t()
            let job = Unmanaged.passRetained(Job(body)).toOpaque()
            let rc = pthread_create(
                &thread, nil,
                { raw in
                    Unmanaged<Job>.fromOpaque(raw!).takeRetainedValue().body()
                    return nil
                }, job)
            precondition(rc == 0)
            pthread_join(thread, nil)
        }

        @Test("each thread makes its value once and gets the same one on every later call")
        func onePerThread() {
            let log = Log()
            let local = ThreadLocal<Probe>()
            let made = Atomic<Int>(0)
            let seen = Mutex<[Int]>([])
            let use: @Sendable () -> Void = {
                for _ in 0..<3 {
                    let id = local.withValue(orMake: { Probe(made.add(1, ordering: .relaxed).newValue, log) }) { $0.id }
                    seen.withLock { $0.append(id) }
                }
            }
            Self.runOnThread(use)
            Self.runOnThread(use)
            #expect(made.load(ordering: .relaxed) == 2)
            #expect(seen.withLock { $0 } == [1, 1, 1, 2, 2, 2])
        }

        @Test("a value is told its thread exited and then released, on that thread's exit")
        func releasedAtThreadExit() {
            let log = Log()
            let local = ThreadLocal<Probe>()
            Self.runOnThread {
                #expect(local.currentValue == nil)
                local.withValue(orMake: { Probe(7, log) }) { _ in log.add("used 7") }
                #expect(local.currentValue?.id == 7)
                log.add("thread ends")
            }
            #expect(log.all == ["used 7", "thread ends", "exit 7", "release 7"])
        }

        @Test("a value that another owner still holds is told of the exit but not freed; one without the hook is freed")
        func releaseDropsOnlyTheSlotsReference() {
            let log = Log()
            let local = ThreadLocal<Probe>()
            let kept = Mutex<Probe?>(nil)
            Self.runOnThread {
                local.withValue(orMake: { Probe(1, log) }) { probe in kept.withLock { $0 = probe } }
            }
            #expect(log.all == ["exit 1"])
            kept.withLock { $0 = nil }
            #expect(log.all == ["exit 1", "release 1"])
            let plain = ThreadLocal<Plain>()
            Self.runOnThread { plain.withValue(orMake: { Plain(log) }) { _ in } }
            #expect(log.all.last == "release plain")
        }

        @Test("a tracer's thread buffer is marked exited when its thread exits, and only then")
        func threadBufferExited() {
            let h = EncoderHarness()
            let buffer = Mutex<ThreadBuffer?>(nil)
            let core = h.core
            Self.runOnThread {
                core.withThreadBuffer { b in
                    let exited = b.exited.load(ordering: .acquiring)
                    #expect(!exited)
                    buffer.withLock { $0 = b }
                }
            }
            let exited = buffer.withLock { $0?.exited.load(ordering: .acquiring) }
            #expect(exited == true)
            #expect(core.buffers.withLock { $0.count } == 1)
            // This thread's buffer is another one, and its thread is alive.
            let alive = core.withThreadBuffer { b in !b.exited.load(ordering: .acquiring) }
            #expect(alive)
        }
    }
}
