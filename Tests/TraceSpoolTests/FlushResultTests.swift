import Foundation
import Logging
import OTLPWire
import SpoolFormat
import Synchronization
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Flush result (durability watermark)")
    struct FlushResultTests {
        /// The names of the span records in the frames of the spool at `path` up to and including `frame`: every frame
        /// of the segments before its segment, and the frames of its segment with a sequence number up to its own.
        static func spanNames(upTo frame: FlushResult.DurableFrame, in path: String) throws -> [String] {
            var names: [String] = []
            for segment in try SpoolDirectory(path: path, create: false).segments() {
                guard segment.name.base <= frame.segment else { break }
                let reader = try SegmentReader(path: segment.path)
                while let next = reader.nextFrame() {
                    if segment.name.base == frame.segment, next.header.sequence > frame.frameSequence { break }
                    for record in next.records where record.type == .span {
                        names.append(try OTLPSpan(decoding: Array(record.body)).name)
                    }
                }
            }
            return names
        }

        /// The last frame in the spool at `path` that is not a seal record's.
        static func lastDataFrame(in path: String) throws -> FlushResult.DurableFrame? {
            var last: FlushResult.DurableFrame?
            for segment in try SpoolDirectory(path: path, create: false).segments() {
                let reader = try SegmentReader(path: segment.path)
                while let next = reader.nextFrame() {
                    if next.records.contains(where: { $0.type == .seal }) { break }
                    last = FlushResult.DurableFrame(segment: segment.name.base, frameSequence: next.header.sequence)
                }
            }
            return last
        }

        /// `flushResult(timeoutMillis:)`, the blocking variant, from an async test.
        static func blockingFlushResult(_ tracer: SpoolTracer, _ timeoutMillis: Int) -> FlushResult {
            tracer.flushResult(timeoutMillis: timeoutMillis)
        }

        @Test("a completed flush: every span ended before it is durable, up to the spool's last frame")
        func completedFlush() throws {
            try withTemporarySpool { spool in
                // Small buffers and segments: spans reach the writer from several threads as full batches and
                // partial ones, across segments that rotate and are sealed on the sealing thread.
                let tracer = spool.makeQuietTracer {
                    $0.bufferBytes = 4 << 10
                    $0.maxSegmentBytes = 64 << 10
                }
                DispatchQueue.concurrentPerform(iterations: 3) { t in
                    for i in 0..<400 {
                        tracer.withSpan("t\(t)") {
                            // Random hex, which LZ4 cannot shrink: the segments fill and rotate.
                            $0.attributes["payload"] = (0..<4).map { _ in
                                String(UInt64.random(in: 0...UInt64.max), radix: 16)
                            }
                            .joined()
                            $0.attributes["i"] = i
                        }
                    }
                }
                let result = tracer.flushResult(timeoutMillis: 60_000)
                #expect(result.completed)
                #expect(result.incompleteReason == nil)
                #expect(result.requiredSpans == 1200)
                #expect(result.durableSpans == 1200)
                #expect(result.droppedSpans == 0)
                #expect(result.unsecuredSpans == 0)
                #expect(tracer.flush(timeoutMillis: 60_000), "the Bool flush agrees")
                let frame = try #require(result.lastDurableFrame)
                #expect(try segmentFileNames(spool.path).count > 1, "the segments rotated")
                #expect(frame == (try Self.lastDataFrame(in: spool.path)))
                #expect(try Self.spanNames(upTo: frame, in: spool.path).count == 1200)
            }
        }

        /// The disk stalls after `ioCallsBeforeStall` more appends and syncs: 0, the writer blocks before it appends the
        /// pending spans; 1, it appends them (they are in the file, in the page cache) and blocks before the sync.
        @Test(
            "a flush that times out on a stalled disk says what it secured, and that is in the synced frames",
            arguments: [0, 1])
        func timedOutFlushOnStalledDisk(ioCallsBeforeStall: Int) async throws {
            try await withTemporarySpool { spool in
                let gate = DispatchSemaphore(value: 0)
                let blocking = Atomic<Bool>(false)
                let calls = Atomic<Int>(0)
                let tracer = spool.makeQuietTracer(
                    hooks: TracerTestHooks(beforeIO: {
                        guard blocking.load(ordering: .relaxed) else { return }
                        if calls.add(1, ordering: .relaxed).newValue > ioCallsBeforeStall { gate.wait() }
                    }))
                for _ in 0..<30 { tracer.withSpan("secured") { _ in } }
                let first = Self.blockingFlushResult(tracer, 60_000)
                #expect(first.completed)
                #expect(first.durableSpans == 30)
                #expect(first.requiredSpans == 30)

                // The disk stalls: the writer blocks before its next append, or before the sync after it.
                blocking.store(true, ordering: .relaxed)
                for _ in 0..<20 { tracer.withSpan("pending") { _ in } }
                let stalled = Self.blockingFlushResult(tracer, 200)
                #expect(!stalled.completed)
                #expect(stalled.incompleteReason == .timedOut)
                #expect(stalled.requiredSpans == 50)
                #expect(stalled.durableSpans == 30)
                #expect(stalled.unsecuredSpans == 20)
                #expect(stalled.lastDurableFrame == first.lastDurableFrame)
                let asyncStalled = await tracer.flushResult(timeoutMillis: 200)
                #expect(asyncStalled.incompleteReason == .timedOut)
                #expect(asyncStalled.durableSpans == 30)
                #expect(asyncStalled.requiredSpans == 50)

                // Read back while the writer is stuck: the frames up to the reported one hold exactly the spans
                // reported durable, and they are the ones ended before the first flush.
                let frame = try #require(stalled.lastDurableFrame)
                let durableNames = try Self.spanNames(upTo: frame, in: spool.path)
                #expect(durableNames.count == stalled.durableSpans)
                #expect(durableNames.allSatisfy { $0 == "secured" })
                let onDisk = try SpoolContents(reading: spool.path)
                #expect(onDisk.spans(named: "secured").count == 30)
                // Appended but not synced: in the file, not counted as durable.
                #expect(onDisk.spans(named: "pending").count == (ioCallsBeforeStall == 1 ? 20 : 0))

                blocking.store(false, ordering: .relaxed)
                gate.signal()
                let recovered = Self.blockingFlushResult(tracer, 60_000)
                #expect(recovered.completed)
                #expect(recovered.durableSpans == 50)
                #expect(recovered.requiredSpans == 50)
                let last = try #require(recovered.lastDurableFrame)
                #expect(try Self.spanNames(upTo: last, in: spool.path).count == 50)
            }
        }

        @Test("a flush whose segment vanished before its sync says ioError; the lost spans are dropped, not durable")
        func ioError() throws {
            try withTemporarySpool { spool in
                let lost = 25
                // Holds the writer before the sync that follows the append of the lost spans (as ShutdownAndLossTests).
                let core = Mutex<TracerCore?>(nil)
                let gate = ShutdownAndLossTests.WriterGate {
                    core.withLock { $0?.spansWritten.load(ordering: .relaxed) } == 1 + lost
                }
                let tracer = spool.makeQuietTracer(hooks: gate.hooks) { $0.drainIntervalMillis = 86_400_000 }
                core.withLock { $0 = tracer.core }
                defer { gate.release() }
                tracer.withSpan("first") { _ in }
                let first = tracer.flushResult(timeoutMillis: 120_000)
                #expect(first.completed && first.durableSpans == 1)
                for _ in 0..<lost { tracer.withSpan("lost") { _ in } }
                let done = DispatchSemaphore(value: 0)
                let result = Mutex<FlushResult?>(nil)
                Thread.detachNewThread {
                    let r = tracer.flushResult(timeoutMillis: 120_000)
                    result.withLock { $0 = r }
                    done.signal()
                }
                #expect(gate.waitUntilHeld())
                for segment in try SpoolDirectory(path: spool.path, create: false).segments() {
                    try FileManager.default.removeItem(atPath: segment.path)
                }
                gate.release()
                done.wait()
                let failed = try #require(result.withLock { $0 })
                #expect(!failed.completed)
                #expect(failed.incompleteReason == .ioError)
                #expect(failed.requiredSpans == 1 + lost)
                #expect(failed.durableSpans == 1, "the lost spans never became durable")
                #expect(failed.droppedSpans == lost)
                #expect(failed.lastDurableFrame == first.lastDurableFrame)
                // The next sync succeeds (in a new segment): the lost spans stay out of the durable count.
                tracer.withSpan("after") { _ in }
                let after = tracer.flushResult(timeoutMillis: 120_000)
                #expect(after.completed)
                #expect(after.durableSpans == 2)
                #expect(after.requiredSpans == 2 + lost)
                #expect(after.durableSpans + after.droppedSpans == after.requiredSpans)
                let frame = try #require(after.lastDurableFrame)
                #expect(try Self.spanNames(upTo: frame, in: spool.path) == ["after"])
            }
        }

        @Test("a cancelled async flush says cancelled, with the watermark at that moment")
        func cancelledFlush() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.withSpan("one") { _ in }
                let task = Task { () -> FlushResult in
                    withUnsafeCurrentTask { $0?.cancel() }
                    return await tracer.flushResult(timeoutMillis: 60_000)
                }
                let result = await task.value
                #expect(!result.completed)
                #expect(result.incompleteReason == .cancelled)
                #expect(result.requiredSpans == 1)
            }
        }

        @Test("a flush after spans were lost to a full queue says spansDropped; each span is durable or dropped")
        func droppedSpans() throws {
            try withTemporarySpool { spool in
                let gate = DispatchSemaphore(value: 0)
                let blocking = Atomic<Bool>(true)
                let tracer = spool.makeQuietTracer(
                    hooks: TracerTestHooks(beforeIO: { if blocking.load(ordering: .relaxed) { gate.wait() } })
                ) {
                    $0.bufferBytes = 1024
                    $0.maxQueuedBuffers = 2
                }
                for i in 0..<2000 { tracer.withSpan("s") { $0.setAttribute("i", .int64(Int64(i))) } }
                blocking.store(false, ordering: .relaxed)
                gate.signal()
                let lossy = tracer.flushResult(timeoutMillis: 60_000)
                #expect(!lossy.completed)
                #expect(lossy.incompleteReason == .spansDropped)
                #expect(lossy.droppedSpans > 0)
                #expect(lossy.requiredSpans == 2000)
                #expect(lossy.durableSpans + lossy.droppedSpans == 2000)
                let clean = tracer.flushResult(timeoutMillis: 60_000)
                #expect(clean.completed, "nothing lost since")
                #expect(clean.durableSpans == lossy.durableSpans)
            }
        }

        @Test("the example of Docs/Tracer.md, \"What a timed-out flush secured\", logs an incomplete flush")
        func documentationExample() throws {
            try withTemporarySpool { spool in
                let gate = DispatchSemaphore(value: 0)
                let blocking = Atomic<Bool>(true)
                let tracer = spool.makeQuietTracer(
                    hooks: TracerTestHooks(beforeIO: { if blocking.load(ordering: .relaxed) { gate.wait() } }))
                defer {
                    blocking.store(false, ordering: .relaxed)
                    gate.signal()
                }
                tracer.withSpan("s") { _ in }
                let logged = RecordedMetadata()
                var log = Logger(label: "doc") { _ in MetadataRecorder(recorded: logged) }
                log.logLevel = .warning

                // The documentation's example:
                let result = tracer.flushResult(timeoutMillis: 500)
                if !result.completed {
                    log.warning(
                        "trace flush incomplete",
                        metadata: [
                            "reason": "\(result.incompleteReason!)",  // timedOut, ioError, spansDropped...
                            "durable": "\(result.durableSpans)", "required": "\(result.requiredSpans)",
                            "dropped": "\(result.droppedSpans)", "not_yet_durable": "\(result.unsecuredSpans)",
                            "last_durable_frame": "\(result.lastDurableFrame?.description ?? "none")",
                        ])
                }

                let entry = try #require(logged.entries.withLock { $0 }.first)
                #expect(entry["reason"] == "timedOut")
                #expect(entry["required"] == "1" && entry["durable"] == "0" && entry["not_yet_durable"] == "1")
                #expect(entry["last_durable_frame"] == "none")
            }
        }

        /// The metadata of the entries a `MetadataRecorder` saw.
        final class RecordedMetadata: Sendable {
            let entries = Mutex<[Logger.Metadata]>([])
        }

        /// A log handler that keeps the metadata of each entry.
        struct MetadataRecorder: LogHandler {
            let recorded: RecordedMetadata
            var metadata: Logger.Metadata = [:]
            var logLevel: Logger.Level = .trace

            subscript(metadataKey key: String) -> Logger.Metadata.Value? {
                get { metadata[key] }
                set { metadata[key] = newValue }
            }

            func log(event: LogEvent) {
                recorded.entries.withLock { $0.append(event.metadata ?? [:]) }
            }
        }

        @Test("a disabled tracer's flush result is complete and empty")
        func disabledTracer() {
            var configuration = TracerConfiguration(serviceName: "t", spoolDirectory: "/nonexistent")
            configuration.disabled = true
            let result = SpoolTracer(configuration: configuration).flushResult(timeoutMillis: 10)
            #expect(result == FlushResult(completed: true))
        }

        @Test("a flush after shutdown reports the shutdown's outcome and the sealed watermark")
        func afterShutdown() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                for _ in 0..<5 { tracer.withSpan("s") { _ in } }
                #expect(tracer.shutdown(timeoutMillis: 60_000))
                let result = tracer.flushResult(timeoutMillis: 1_000)
                #expect(result.completed, "the shutdown's outcome")
                #expect(result.durableSpans == 5)
                #expect(result.requiredSpans == 5)
                let frame = try #require(result.lastDurableFrame)
                #expect(try Self.spanNames(upTo: frame, in: spool.path).count == 5)
            }
        }
    }
}
