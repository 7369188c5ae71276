import Foundation
import SpoolFormat
import Synchronization
import Testing
import TraceSpoolTesting

@testable import TraceSpool

extension TracerTests {
    /// Full segments are sealed by a thread of their own (`SegmentSealer`), so that the writer never waits for a
    /// rotation's fsyncs, while `flush` still returns true only once they are sealed.
    @Suite("Sealing rotated segments")
    struct SegmentSealingTests {
        /// Holds the sealing thread before each seal until `open()`, and reports each time the writer thread waits for
        /// the sealing thread, by reason.
        final class SealGate: Sendable {
            private let semaphore = DispatchSemaphore(value: 0)
            private let blocking = Atomic<Bool>(true)
            private let idleWaits = DispatchSemaphore(value: 0)
            private let roomWaits = DispatchSemaphore(value: 0)

            /// The seams to create the tracer with.
            var hooks: TracerTestHooks {
                TracerTestHooks(
                    beforeSeal: { [self] in if blocking.load(ordering: .relaxed) { semaphore.wait() } },
                    writerWaitsForSealer: { [self] wait in (wait == .idle ? idleWaits : roomWaits).signal() })
            }

            /// Lets every seal through, now and later.
            func open() {
                blocking.store(false, ordering: .relaxed)
                semaphore.signal()
            }

            /// Waits until the writer thread waits for the sealing thread because of `reason` (once per call); false
            /// when it does not within 60 s.
            func writerWaited(_ reason: SegmentSealer.WriterWait) -> Bool {
                (reason == .idle ? idleWaits : roomWaits).wait(timeout: .now() + .seconds(60)) == .success
            }
        }

        /// A tracer writing 64 KiB segments (the smallest), uncompressed, from 4 KiB batches (a few hundred spans
        /// rotate), whose sealing thread waits at `gate`.
        static func tracerWithBlockedSealing(
            _ spool: TemporarySpool, _ gate: SealGate, _ configure: (inout TracerConfiguration) -> Void = { _ in }
        ) -> SpoolTracer {
            spool.makeQuietTracer(hooks: gate.hooks) {
                $0.maxSegmentBytes = 64 << 10
                $0.compress = false
                $0.bufferBytes = 4 << 10
                configure(&$0)
            }
        }

        static func record(_ tracer: SpoolTracer, _ count: Int, name: String) {
            for i in 0..<count {
                tracer.startSpan(name, attributes: [.int("i", i), .string("pad", String(repeating: "x", count: 60))])
                    .end()
            }
        }

        /// The spool's segment files by state.
        static func segmentFiles(_ spool: TemporarySpool) throws -> (open: [String], sealed: [String]) {
            let names = try segmentFileNames(spool.path)
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

        /// Runs `body` on a thread of its own; `join()` waits for its result.
        final class Background<T: Sendable>: Sendable {
            private let done = DispatchSemaphore(value: 0)
            private let result = Mutex<T?>(nil)

            init(_ body: @escaping @Sendable () -> T) {
                Thread.detachNewThread { [self] in
                    let value = body()
                    result.withLock { $0 = value }
                    done.signal()
                }
            }

            func join() -> T? {
                done.wait()
                return result.withLock { $0 }
            }
        }

        @Test("the writer goes on writing while a full segment's seal is stalled; flush waits for the seal")
        func writerDoesNotWaitForSeals() throws {
            try withTemporarySpool { spool in
                let gate = SealGate()
                let tracer = Self.tracerWithBlockedSealing(spool, gate)
                let spans = 3000  // about 5 segments of 64 KiB
                Self.record(tracer, spans, name: "s")
                // Not durable while a rotated segment is unsealed.
                #expect(tracer.flush(timeoutMillis: 200) == false)
                // That flush had the writer write every span, rotating again and again, before it waited for the
                // first rotation's seal, which has not returned.
                #expect(gate.writerWaited(.idle))
                #expect(tracer.statistics.spansWritten == spans)
                let stalled = try Self.segmentFiles(spool)
                #expect(stalled.open.count >= 3)
                #expect(stalled.sealed.isEmpty)
                #expect(Self.sealerThreads() == 1)
                gate.open()
                #expect(tracer.flush(timeoutMillis: 60_000))
                let flushed = try Self.segmentFiles(spool)
                #expect(flushed.open.count == 1)  // the current segment
                #expect(flushed.sealed.count == stalled.open.count - 1)
                #expect(eventually { Self.sealerThreads() == 0 })  // the thread ends when there is nothing to seal
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.count == spans)
                #expect(Set(contents.spans.compactMap { $0.int("i") }).count == spans)
                #expect(contents.isIntact)
                #expect(try Self.segmentFiles(spool).open.isEmpty)
                // Every segment, sealed at rotation by the sealing thread or at shutdown, ends with its seal frame.
                for name in try Self.segmentFiles(spool).sealed {
                    let reader = try SegmentReader(path: spool.path + "/" + name)
                    var frames: UInt64 = 0
                    var records: UInt64 = 0
                    while let f = reader.nextFrame() {
                        frames += 1
                        records += UInt64(f.records.count)
                    }
                    #expect(reader.damageCount == 0, "\(name)")
                    #expect(reader.seal?.record == SealRecord(frameCount: frames, recordCount: records), "\(name)")
                }
            }
        }

        @Test("while seals are stalled, at most a bounded number of full segments wait; the writer waits then")
        func queuedSealsAreBounded() throws {
            try withTemporarySpool { spool in
                let gate = SealGate()
                let tracer = Self.tracerWithBlockedSealing(spool, gate) {
                    $0.maxQueuedBuffers = 10_000  // nothing dropped while the writer waits
                }
                let spans = 12_000  // about 20 segments
                Self.record(tracer, spans, name: "s")
                // At most one segment being sealed, `maxQueuedSegments` queued, one handed over by the waiting writer,
                // and the one being written (one less when the sealing thread has not taken its first segment yet):
                // then the writer waits, no more segments appear, and not every span can be written.
                #expect(gate.writerWaited(.room))
                let limit = SegmentSealer.maxQueuedSegments + 3
                let stalled = try Self.segmentFiles(spool).open.count
                #expect((limit - 1...limit).contains(stalled), "\(stalled) open segments")
                #expect(try Self.segmentFiles(spool).open.count == stalled)
                #expect(tracer.statistics.spansWritten < spans)
                gate.open()
                #expect(tracer.flush(timeoutMillis: 60_000))
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.count == spans)
                #expect(contents.isIntact)
                #expect(try Self.segmentFiles(spool).open.isEmpty)
            }
        }

        @Test(
            "a full segment deleted before its seal: its spans are counted lost, flush or shutdown says so, and the spool's drops record has them",
            arguments: [false, true])
        func vanishedBeforeSeal(shutdownAtOnce: Bool) throws {
            try withTemporarySpool { spool in
                let gate = SealGate()
                let tracer = Self.tracerWithBlockedSealing(spool, gate)
                let spans = 1500
                Self.record(tracer, spans, name: "s")
                // A flush or the shutdown makes the writer write every span and then wait for the stalled seals: the
                // segments are deleted while that cycle waits, so the seals fail inside it.
                let pending =
                    shutdownAtOnce
                    ? Background { tracer.shutdown() } : Background { tracer.flush(timeoutMillis: 60_000) }
                #expect(gate.writerWaited(.idle))
                #expect(tracer.statistics.spansWritten == spans)
                // Delete every rotated segment (all open ones but the newest, which is being written).
                let rotated = try Self.segmentFiles(spool).open.dropLast()
                #expect(rotated.count >= 1)
                var lost = 0
                for name in rotated {
                    let path = spool.path + "/" + name
                    lost += try Self.spanCount(path)
                    #expect(unlink(path) == 0)
                }
                #expect(lost > 0)
                gate.open()
                // Spans were lost since the last flush; a shutdown still writes the drops record.
                #expect(pending.join() == false)
                if !shutdownAtOnce {
                    #expect(tracer.flush(timeoutMillis: 60_000))  // nothing lost since
                    #expect(tracer.shutdown())
                }
                #expect(tracer.statistics.drops.counts[DropReason.ioError] == UInt64(lost))
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.drops.counts[DropReason.ioError] == UInt64(lost))
                #expect(contents.spans.count + lost == spans)
            }
        }
    }
}
