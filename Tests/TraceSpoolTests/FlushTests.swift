import Foundation
import OTLPWire
import SpoolFormat
import Synchronization
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Flush and shutdown")
    struct FlushTests {
        /// The `tracespool-demo` executable built next to the test bundle.
        static var demoPath: String {
            let exe =
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
            var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
            if dir.lastPathComponent == "MacOS" {
                dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            }
            return dir.appendingPathComponent("tracespool-demo").path
        }

        @Test("a child that flushes and is then SIGKILLed leaves every flushed span readable")
        func flushThenSigkill() throws {
            try withTemporarySpool { spool in
                #expect(FileManager.default.isExecutableFile(atPath: Self.demoPath), "build tracespool-demo first")
                let process = Process()
                process.executableURL = URL(fileURLWithPath: Self.demoPath)
                process.arguments = [
                    "--spool", spool.path, "--spans", "40", "--kill-after", "40", "--flush-before-kill",
                    "--payload-bytes",
                    "300", "--flush-timeout-ms", "60000",
                ]
                let pipe = Pipe()
                process.standardOutput = pipe
                try process.run()
                process.waitUntilExit()
                let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                #expect(process.terminationReason == .uncaughtSignal)
                #expect(process.terminationStatus == SIGKILL)
                #expect(output.contains("spans=40 flushed=true"))
                let contents = try SpoolContents(reading: spool.path)
                // 40 generation/tool spans ended and were flushed; the trace and agent spans never ended.
                #expect(contents.spans.count == 40)
                #expect(contents.spans.filter { $0.attributes.get("tracespool.span.type") == "generation" }.count == 20)
                #expect(contents.spans.filter { $0.attributes.get("tracespool.span.type") == "tool" }.count == 20)
                #expect(try segmentFileNames(spool.path).allSatisfy { $0.hasSuffix(".open") })
                #expect(Set(contents.spans.map(\.traceID)).count == 1)
            }
        }

        @Test("normal exit without an explicit flush: the exit hook flushes and seals the segment")
        func exitHookSeals() throws {
            try withTemporarySpool { spool in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: Self.demoPath)
                process.arguments = ["--spool", spool.path, "--spans", "12", "--no-flush"]
                process.standardOutput = Pipe()
                try process.run()
                process.waitUntilExit()
                #expect(process.terminationReason == .exit)
                #expect(process.terminationStatus == 0)
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.count == 14)  // 12 steps + agent + trace
                #expect(try segmentFileNames(spool.path).count == 1)
                #expect(try segmentFileNames(spool.path).allSatisfy { $0.hasSuffix(".seg") })
                let root = try #require(contents.spans(named: "support-request").first)
                #expect(root.string("session.id")?.hasPrefix("session-") == true)
                #expect(contents.spans.allSatisfy { $0.traceID == root.traceID })
            }
        }

        @Test("flush returns false within its timeout while the disk is stalled, true once it recovers")
        func stalledDisk() async throws {
            try await withTemporarySpool { spool in
                let gate = DispatchSemaphore(value: 0)
                let blocking = Atomic<Bool>(true)
                let tracer = spool.makeQuietTracer(
                    hooks: TracerTestHooks(beforeIO: { if blocking.load(ordering: .relaxed) { gate.wait() } }))
                tracer.withSpan("before-stall") { _ in }
                let clock = ContinuousClock()
                let start = clock.now
                #expect(blockingFlush(tracer, 200) == false)
                #expect(clock.now - start < .seconds(5))
                let asyncStart = clock.now
                #expect(await tracer.flush(timeoutMillis: 200) == false)
                #expect(clock.now - asyncStart < .seconds(5))
                // Recording never blocks while the writer is stuck.
                for _ in 0..<100 { tracer.withSpan("during-stall") { _ in } }
                blocking.store(false, ordering: .relaxed)
                gate.signal()
                #expect(blockingFlush(tracer, 60_000))
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans(named: "before-stall").count == 1)
                #expect(contents.spans(named: "during-stall").count == 100)
            }
        }

        @Test("a full queue drops spans without blocking, and the drops are written as a record")
        func queueFullDrops() throws {
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
                let dropped = tracer.statistics.drops.counts[.queueFull] ?? 0
                #expect(dropped > 0)
                blocking.store(false, ordering: .relaxed)
                gate.signal()
                #expect(tracer.flush(timeoutMillis: 60_000) == false)  // spans were lost since the last flush
                #expect(tracer.flush(timeoutMillis: 60_000))  // nothing lost since
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.drops.counts[.queueFull] == dropped)
                #expect(UInt64(contents.spans.count) + dropped == 2000)
            }
        }

        @Test("concurrent flushes from many threads all succeed")
        func concurrentFlushes() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let results = await withTaskGroup(of: Bool.self) { group in
                    for i in 0..<8 {
                        group.addTask {
                            tracer.withSpan("t\(i)") { _ in }
                            return i % 2 == 0
                                ? blockingFlush(tracer, 60_000) : await tracer.flush(timeoutMillis: 60_000)
                        }
                    }
                    return await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(results == Array(repeating: true, count: 8))
                #expect(tracer.shutdown())
                let read = try SpoolContents(reading: spool.path)
                #expect(read.spans.count == 8)
            }
        }

        @Test("shutdown seals, is idempotent, and recording afterwards is a counted no-op")
        func shutdownSemantics() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                #expect(eventually { writerThreadRuns(tracer) })
                tracer.withSpan("before") { _ in }
                let straddling = tracer.startSpan("straddling")
                #expect(tracer.shutdown())
                #expect(eventually { !writerThreadRuns(tracer) })  // the writer thread stopped
                #expect(tracer.shutdown())
                #expect(tracer.flush(timeoutMillis: 1000))
                straddling.end()
                let after = tracer.startSpan("after")
                #expect(after.isRecording == false)
                after.end()
                #expect(tracer.statistics.drops.counts[.afterShutdown] == 1)
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.map(\.operationName) == ["before"])
                #expect(try segmentFileNames(spool.path).count == 1)
                #expect(try segmentFileNames(spool.path).allSatisfy { $0.hasSuffix(".seg") })
            }
        }

        @Test("an unusable spool directory never throws into the app: flush false, drops counted")
        func unusableDirectory() throws {
            try withTemporarySpool { spool in
                let file = spool.path + "/not-a-directory"
                _ = FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
                let tracer = spool.makeQuietTracer { $0.spoolDirectory = file + "/spool" }
                for _ in 0..<10 { tracer.withSpan("lost") { _ in } }
                #expect(tracer.flush(timeoutMillis: 30_000) == false)
                #expect(tracer.statistics.drops.counts[.ioError] == 10)
                tracer.shutdown()
            }
        }

        @Test(
            "a deleted spool directory: the flush that lost spans is false and counts them, later spans land in a new one"
        )
        func deletedDirectory() throws {
            try withTemporarySpool { spool in
                // A directory of its own, which the test deletes and the writer re-creates.
                let directory = spool.path + "/spool"
                let tracer = spool.makeQuietTracer { $0.spoolDirectory = directory }
                tracer.withSpan("first") { _ in }
                #expect(tracer.flush(timeoutMillis: 30_000))
                try FileManager.default.removeItem(atPath: directory)
                tracer.withSpan("second") { _ in }
                #expect(tracer.flush(timeoutMillis: 30_000) == false)
                #expect(tracer.statistics.drops.counts[.ioError] == 1)  // "second" was written to an unlinked file
                tracer.withSpan("third") { _ in }
                #expect(tracer.flush(timeoutMillis: 30_000))
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: directory)
                #expect(contents.spans.map(\.operationName) == ["third"])
                #expect(contents.drops.counts[.ioError] == 1)
            }
        }

        @Test("written batch buffers are reused for later batches (a bounded number kept), and every span survives")
        func batchBuffersRecycled() throws {
            try withTemporarySpool { spool in
                // Small batches (the smallest buffer), many of them; a queue long enough that a slow machine drops none.
                let tracer = spool.makeQuietTracer {
                    $0.bufferBytes = 4 << 10
                    $0.maxQueuedBuffers = 100_000
                }
                let core = try #require(tracer.core)
                for i in 0..<3000 { tracer.withSpan("r") { $0.setAttribute("i", .int64(Int64(i))) } }
                #expect(tracer.flush(timeoutMillis: 60_000))
                #expect(tracer.statistics.drops.total == 0)
                let spares = core.spareBuffers.withLock { $0 }
                #expect((1...TracerCore.maxSpareBuffers).contains(spares.count))
                #expect(spares.allSatisfy { $0.isEmpty && $0.capacity >= core.batchCapacity })
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.count == 3000)
                #expect(Set(contents.spans.compactMap { $0.int("i") }) == Set((0..<3000).map { Int64($0) }))
            }
        }

        @Test("past the disk cap new spans are dropped and counted in a drops record; nothing is deleted")
        func diskCap() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer {
                    $0.diskCapBytes = 16 << 10
                    $0.bufferBytes = 2048
                    $0.compress = false
                }
                for i in 0..<2000 { tracer.withSpan("capped") { $0.setAttribute("i", .int64(Int64(i))) } }
                #expect(tracer.flush(timeoutMillis: 60_000) == false)
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                let capped = try #require(contents.drops.counts[.diskCap])
                #expect(capped > 0)
                #expect(UInt64(contents.spans.count) + capped == 2000)
                let size = try SpoolDirectory(path: spool.path, create: false).segments().reduce(0) {
                    $0 + $1.sizeBytes
                }
                #expect(size <= (16 << 10) + 4096)
            }
        }

        @Test("disabled mode writes nothing and starts no thread")
        func disabled() throws {
            try withTemporarySpool { spool in
                let directory = spool.path + "/spool"
                let config = TracerConfiguration.fromEnvironment([
                    "OTEL_SDK_DISABLED": "true", "TRACESPOOL_DIR": directory,
                ])
                #expect(config.disabled)
                let tracer = SpoolTracer(configuration: config)
                #expect(tracer.core == nil)  // no core: no writer thread, nothing that could start one
                tracer.trace("t") { trace in
                    #expect(trace.isRecording == false)
                    tracer.withGeneration("g", model: "m") { $0.setUsage(inputTokens: 1) }
                }
                #expect(tracer.flush(timeoutMillis: 100))
                #expect(tracer.shutdown())
                #expect(FileManager.default.fileExists(atPath: directory) == false)
            }
        }
    }
}
