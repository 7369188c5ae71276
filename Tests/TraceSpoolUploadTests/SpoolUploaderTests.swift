import Dispatch
import Foundation
import MetricsTestKit
import NIOPosix
import ServiceLifecycle
import SpoolFormat
import SpoolTestSupport
import Synchronization
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

/// The uploader as a service: graceful shutdown, metrics, and where its disk I/O runs.
@Suite(.timeLimit(.minutes(1))) struct SpoolUploaderTests {
    /// A graceful shutdown while a batch is in flight: that batch is delivered and checkpointed, no other is
    /// started, and `run()` returns.
    @Test func gracefulShutdownFinishesTheBatchInFlightAndStartsNoOther() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<300, to: spool.path, perFrame: 100)
            let gate = ResponseGate()
            let server = try await TestHTTPServer.start { index, _ in index == 0 ? .after(gate, .ok) : .ok }
            let logs = CapturedLogs()
            let uploader = try makeHTTPUploader(
                spool: spool.path, url: server.url, maxBatchSpans: 100, logger: logs.logger())
            let group = ServiceGroup(services: [uploader], logger: quietLogger())
            let running = Task { try await group.run() }
            await server.waitForRequests(1)  // the first batch is in flight
            await group.triggerGracefulShutdown()
            await logs.waitFor("stop requested, finishing the batches in flight")
            gate.open()
            try await running.valueUnlessCancelled
            await server.stop()
            #expect(server.requests.count == 1)
            #expect(try TestSpans.indexes(server.deliveredSpans()) == Array(0..<100))
            let summary = try #require(logs.entries.first { $0.message == "upload summary" })
            #expect(summary.metadata["spans_sent"] == "100")
            #expect(summary.metadata["segments_deferred"] == "1")
            // The rest stays in the spool, behind the checkpoint of the delivered batch.
            let segment = try #require(try SpoolDirectory(path: spool.path).segments().first)
            let checkpoint = try #require(
                SegmentCheckpoint.read(spool.path + "/" + segment.name.checkpointFileName))
            let batcher = try SegmentBatcher(
                path: segment.path, spoolPath: spool.path, checkpoint: checkpoint, maxSpans: 1000, maxBytes: 1 << 22
            ) { _ in }
            #expect(try TestSpans.indexes(try #require(batcher.nextBatch()).spans.map(Array.init)) == Array(100..<300))
        }
    }

    @Test func theUploaderRecordsItsMetricsInTheFactoryItIsGiven() async throws {
        try await withTemporarySpool { spool in
            let paths = try TestSpans.write(0..<250, to: spool.path, perFrame: 50)
            let size = try #require(try FileManager.default.attributesOfItem(atPath: paths[0])[.size] as? Int)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let metrics = TestMetrics()
            let uploader = try makeHTTPUploader(
                spool: spool.path, url: server.url, maxBatchSpans: 100, metrics: metrics)
            let definitions = UploadMetrics.definitions
            #expect(
                Set(metrics.counters.map(\.label)) == Set(definitions.filter { $0.kind == .counter }.map(\.name)))
            #expect(Set(metrics.recorders.map(\.label)) == Set(definitions.filter { $0.kind == .gauge }.map(\.name)))
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.allDelivered)
            #expect(metrics.total(.spansSentTotal) == 250)
            #expect(metrics.total(.batchesSentTotal) == 3)
            #expect(metrics.total(.requestsTotal) == 3)
            #expect(metrics.total(.bytesSentTotal) == Int64(summary.bytesSent))
            #expect(metrics.total(.segmentsCompletedTotal) == 1)
            #expect(metrics.total(.retriesTotal) == 0)
            #expect(try metrics.expectGauge(UploadMetrics.Definition.backlogSegments.name).lastValue == 1)
            #expect(try metrics.expectGauge(UploadMetrics.Definition.backlogBytes.name).lastValue == Double(size))
            #expect(try metrics.expectGauge(UploadMetrics.Definition.oldestSpanAgeSeconds.name).lastValue ?? 0 > 0)
        }
    }

    /// Disk I/O runs on the uploader's thread pool: while more disk operations than the concurrency pool has threads
    /// are stalled, tasks still run to completion, and none of the stalled operations runs inside a task.
    @Test func aStalledDiskDoesNotBlockTheConcurrencyPool() async throws {
        let stalled = ProcessInfo.processInfo.activeProcessorCount + 1
        let pool = NIOThreadPool(numberOfThreads: stalled)
        pool.start()
        let disk = StalledDisk(stalling: stalled)
        let io = DiskIO(pool: pool, willRun: disk.willRun)
        try await withTemporarySpool { work in
            let server = try await TestHTTPServer.start { _, _ in .ok }
            var drains: [Task<DrainSummary, Never>] = []
            for k in 0..<stalled {
                let spool = work.path + "/spool-\(k)"
                try TestSpans.write(k * 10..<(k + 1) * 10, to: spool)
                let uploader = try SpoolUploader(
                    configuration: .init(
                        spoolDirectories: [spool],
                        destination: .otlpHTTP(.init(tracesEndpoint: server.url + "/v1/traces"))),
                    logger: quietLogger(), io: io)
                drains.append(Task { await uploader.drainOnce() })
            }
            await disk.waitUntilStalled()
            // More tasks than the concurrency pool has threads, each of which must run to its end.
            let finished = await withTaskGroup(of: Int.self) { group in
                for i in 0..<(4 * stalled) {
                    group.addTask {
                        await Task.yield()
                        return i
                    }
                }
                return await group.reduce(0) { n, _ in n + 1 }
            }
            #expect(finished == 4 * stalled)
            #expect(disk.operationsInTasks == 0, "disk I/O ran on a thread of the concurrency pool")
            disk.release()
            for drain in drains { #expect(await drain.valueUnlessCancelled.allDelivered) }
            await server.stop()
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<stalled * 10))
        }
        try await pool.shutdownGracefully()
    }
}

/// A disk whose first operations stall until released: the seam `DiskIO.willRun`. An operation that runs inside a
/// task (on the concurrency pool) is counted and not stalled, so the test fails instead of hanging.
final class StalledDisk: Sendable {
    private struct State {
        var stalled = 0
        var inTasks = 0
        var released = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let count: Int
    private let state = Mutex(State())
    private let gate = DispatchSemaphore(value: 0)

    /// A disk stalling the first `count` operations.
    init(stalling count: Int) { self.count = count }

    /// Operations that ran inside a task.
    var operationsInTasks: Int { state.withLock { $0.inTasks } }

    /// The seam: stalls the calling thread while the disk is not released.
    @Sendable func willRun(_ operation: DiskIO.Operation) {
        let inTask = withUnsafeCurrentTask { $0 != nil }
        let (stall, ready) = state.withLock { s -> (Bool, CheckedContinuation<Void, Never>?) in
            guard !s.released else { return (false, nil) }
            if inTask { s.inTasks += 1 } else { s.stalled += 1 }
            guard s.stalled + s.inTasks >= count else { return (!inTask, nil) }
            defer { s.waiter = nil }
            return (!inTask, s.waiter)
        }
        ready?.resume()
        if stall { gate.wait() }
    }

    /// Returns once `count` operations reached the disk (or the task is cancelled).
    func waitUntilStalled() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if s.stalled + s.inTasks >= count || Task.isCancelled { return true }
                    s.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { s in
                defer { s.waiter = nil }
                return s.waiter
            }?.resume()
        }
    }

    /// Lets the stalled operations and every later one through.
    func release() {
        let stalled = state.withLock { s in
            s.released = true
            return s.stalled
        }
        for _ in 0..<stalled { gate.signal() }
    }
}
