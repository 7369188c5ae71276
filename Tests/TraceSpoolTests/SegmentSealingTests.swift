import Foundation
import SpoolFormat
import Synchronization
import Testing

@testable import TraceSpool

extension TracerTests {
    /// Full segments are sealed by a thread of their own (`SegmentSealer`), so that the writer never waits for a
    /// rotation's fsyncs, while `flush` still returns true only once they are sealed.
    @Suite("Sealing rotated segments")
    struct SegmentSealingTests {
        /// 64 KiB segments (the smallest), uncompressed, 4 KiB batches: a few hundred spans rotate.
        static func configuration(_ dir: TempDir) -> TracerConfiguration {
            testConfiguration(dir) {
                $0.maxSegmentBytes = 64 << 10
                $0.compress = false
                $0.bufferBytes = 4 << 10
            }
        }

        /// Holds the sealing thread until `open()`.
        final class SealGate: Sendable {
            private let semaphore = DispatchSemaphore(value: 0)
            private let blocking = Atomic<Bool>(true)

            func pass() { if blocking.load(ordering: .relaxed) { semaphore.wait() } }

            func open() {
                blocking.store(false, ordering: .relaxed)
                semaphore.signal()
            }
        }

        /// A tracer whose sealing thread waits at `gate`.
        static func tracerWithBlockedSealing(_ dir: TempDir, _ gate: SealGate) -> SpoolTracer {
            SpoolTracer(
                configuration: configuration(dir), logger: nil,
                testHooks: TracerTestHooks(beforeSeal: { gate.pass() }))
        }

        static func record(_ tracer: SpoolTracer, _ count: Int, name: String) {
            for i in 0..<count {
                tracer.startSpan(name, attributes: [.int("i", i), .string("pad", String(repeating: "x", count: 60))])
                    .end()
            }
        }

        /// The spool's segment files by state.
        static func segmentFiles(_ dir: TempDir) -> (open: [String], sealed: [String]) {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.spool)) ?? []).sorted()
            return (names.filter { $0.hasSuffix(".open") }, names.filter { $0.hasSuffix(".seg") })
        }

        /// Span records in one segment file.
        static func spanCount(_ path: String) throws -> Int {
            let reader = try SegmentReader(path: path)
            var count = 0
            while let frame = reader.nextFrame() { count += frame.records.filter { $0.type == .span }.count }
            return count
        }

        static func sealerThreads() -> Int {
            let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
            return tasks.filter { task in
                let comm = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
                return comm.trimmingCharacters(in: .whitespacesAndNewlines) == SegmentSealer.threadName
            }.count
        }

        @Test("the writer goes on writing while a full segment's seal is stalled; flush waits for the seal")
        func writerDoesNotWaitForSeals() throws {
            let dir = TempDir("seal-stalled")
            defer { dir.cleanup() }
            let gate = SealGate()
            let tracer = Self.tracerWithBlockedSealing(dir, gate)
            let spans = 3000  // about 5 segments of 64 KiB
            Self.record(tracer, spans, name: "s")
            // Everything reaches the page cache although the first rotation's seal has not returned: the writer
            // rotated again and again meanwhile.
            #expect(eventually { tracer.statistics.spansWritten == spans })
            let stalled = Self.segmentFiles(dir)
            #expect(stalled.open.count >= 3)
            #expect(stalled.sealed.isEmpty)
            #expect(Self.sealerThreads() == 1)
            // Not durable while a rotated segment is unsealed.
            #expect(tracer.flush(timeoutMillis: 200) == false)
            gate.open()
            #expect(tracer.flush(timeoutMillis: 60_000))
            let flushed = Self.segmentFiles(dir)
            #expect(flushed.open.count == 1)  // the current segment
            #expect(flushed.sealed.count == stalled.open.count - 1)
            #expect(eventually { Self.sealerThreads() == 0 })  // the thread ends when there is nothing to seal
            #expect(tracer.shutdown())
            let contents = try readSpool(dir.spool)
            #expect(contents.spans.count == spans)
            #expect(Set(contents.spans.map { $0.int("i") }).count == spans)
            #expect(contents.drops.total == 0)
            #expect(Self.segmentFiles(dir).open.isEmpty)
        }

        @Test("while seals are stalled, at most a bounded number of full segments wait; the writer waits then")
        func queuedSealsAreBounded() throws {
            let dir = TempDir("seal-bounded")
            defer { dir.cleanup() }
            let gate = SealGate()
            let tracer = SpoolTracer(
                configuration: testConfiguration(dir) {
                    $0.maxSegmentBytes = 64 << 10
                    $0.compress = false
                    $0.bufferBytes = 4 << 10
                    $0.maxQueuedBuffers = 10_000  // nothing dropped while the writer waits
                }, logger: nil, testHooks: TracerTestHooks(beforeSeal: { gate.pass() }))
            let spans = 12_000  // about 20 segments
            Self.record(tracer, spans, name: "s")
            // At most one segment being sealed, `maxQueuedSegments` queued, one handed over by the waiting writer,
            // and the one being written: then no more segments appear, and not every span can be written.
            let limit = SegmentSealer.maxQueuedSegments + 3
            #expect(eventually { Self.segmentFiles(dir).open.count >= limit - 1 })
            usleep(200_000)
            let stalled = Self.segmentFiles(dir).open.count
            usleep(200_000)
            #expect(Self.segmentFiles(dir).open.count == stalled)
            #expect(stalled <= limit)
            #expect(tracer.statistics.spansWritten < spans)
            gate.open()
            #expect(tracer.flush(timeoutMillis: 60_000))
            #expect(tracer.shutdown())
            let contents = try readSpool(dir.spool)
            #expect(contents.spans.count == spans)
            #expect(contents.drops.total == 0)
            #expect(Self.segmentFiles(dir).open.isEmpty)
        }

        @Test(
            "a full segment deleted before its seal: its spans are counted lost, flush or shutdown says so, and the spool's drops record has them",
            arguments: [false, true])
        func vanishedBeforeSeal(shutdownAtOnce: Bool) throws {
            let dir = TempDir("seal-vanished")
            defer { dir.cleanup() }
            let gate = SealGate()
            let tracer = Self.tracerWithBlockedSealing(dir, gate)
            let spans = 1500
            Self.record(tracer, spans, name: "s")
            #expect(eventually { tracer.statistics.spansWritten == spans })
            // Delete every rotated segment (all open ones but the newest, which is being written).
            let rotated = Self.segmentFiles(dir).open.dropLast()
            #expect(rotated.count >= 1)
            var lost = 0
            for name in rotated {
                let path = dir.spool + "/" + name
                lost += try Self.spanCount(path)
                #expect(unlink(path) == 0)
            }
            #expect(lost > 0)
            if shutdownAtOnce {
                // The seal fails while the shutdown cycle waits for it: that cycle still writes the drops record.
                let result = Mutex<Bool?>(nil)
                let done = DispatchSemaphore(value: 0)
                Thread.detachNewThread {
                    let ok = tracer.shutdown()
                    result.withLock { $0 = ok }
                    done.signal()
                }
                usleep(300_000)  // the writer is waiting for the sealer by now
                gate.open()
                done.wait()
                #expect(result.withLock { $0 } == false)
            } else {
                gate.open()
                #expect(tracer.flush(timeoutMillis: 60_000) == false)  // spans were lost since the last flush
                #expect(tracer.flush(timeoutMillis: 60_000))  // nothing lost since
                #expect(tracer.shutdown())
            }
            #expect(tracer.statistics.drops.counts[DropReason.ioError] == UInt64(lost))
            let contents = try readSpool(dir.spool)
            #expect(contents.drops.counts[DropReason.ioError] == UInt64(lost))
            #expect(contents.spans.count + lost == spans)
        }
    }
}
