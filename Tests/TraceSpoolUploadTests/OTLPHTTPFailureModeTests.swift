import Foundation
import MetricsTestKit
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

/// A backend that is down, redirects, or answers with a huge body: nothing is lost, nothing is re-sent, and a pass
/// does not spend a retry budget per segment.
@Suite struct OTLPHTTPFailureModeTests {
    @Test func aDownBackendCostsOneRetryBudgetPerPassNotOnePerSegment() async throws {
        try await withTemporarySpool { spool in try await aDownBackend(spool.path) }
    }

    private func aDownBackend(_ spool: String) async throws {
        for k in 0..<5 { try TestSpans.write(k * 200..<(k + 1) * 200, to: spool) }  // one segment per call
        let before = try SpoolDirectory(path: spool).segments().map(\.name.fileName)
        try #require(before.count == 5)
        // Bind then close a server to get a port with nothing listening: every connection is refused.
        let probe = try await TestHTTPServer.start { _, _ in .ok }
        let url = probe.url
        await probe.stop()
        let metrics = TestMetrics()
        let uploader = try makeHTTPUploader(
            spool: spool, url: url, retry: retry(baseMillis: 10, capMillis: 50, maxElapsedMillis: 300),
            metrics: metrics)
        let summary = await uploader.drainOnce()

        #expect(!summary.allDelivered)
        #expect(summary.segmentsDeferred == before.count)
        #expect(summary.segmentsCompleted == 0)
        // Each batch that starts a retry budget ends it with one attempt that is not followed by a retry, so
        // connection attempts − retries = batches that spent a retry budget: one for the whole pass.
        let attempts = metrics.total(.requestsTotal)
        let retries = metrics.total(.retriesTotal)
        #expect(attempts >= 1)
        #expect(attempts - retries == 1)
        #expect(metrics.total(.batchesDeferredTotal) == 1)
        #expect(summary.retries == Int(retries))
        // Every span is still in the spool, nothing checkpointed or dead-lettered.
        #expect(try SpoolDirectory(path: spool).segments().map(\.name.fileName) == before)
        #expect(files(in: spool, suffix: ".ack").isEmpty)
        #expect(files(in: spool + "/dead-letter", suffix: ".pb").isEmpty)

        let server = try await TestHTTPServer.start { _, _ in .ok }
        let again = try makeHTTPUploader(spool: spool, url: server.url)
        #expect(await again.drainOnce().allDelivered)
        await server.stop()
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<1000))
    }

    @Test func aRedirectKeepsTheSpoolAndNamesTheLocation() async throws {
        try await withTemporarySpool { spool in try await aRedirect(spool.path) }
    }

    private func aRedirect(_ spool: String) async throws {
        for k in 0..<3 { try TestSpans.write(k * 100..<(k + 1) * 100, to: spool) }  // one segment per call
        let before = try SpoolDirectory(path: spool).segments().map(\.name.fileName)
        try #require(before.count == 3)
        let location = "https://otlp.example.com/v1/traces"
        let server = try await TestHTTPServer.start { _, _ in .status(308, headers: [("Location", location)]) }
        let logs = CapturedLogs()
        let uploader = try makeHTTPUploader(spool: spool, url: server.url, logger: logs.logger())
        let summary = await uploader.drainOnce()
        await server.stop()

        #expect(!summary.allDelivered)
        #expect(summary.segmentsDeferred == before.count)
        #expect(summary.spansDeadLettered == 0)
        #expect(server.requests.count == 1)  // not retried, the other segments not tried in this pass
        #expect(try SpoolDirectory(path: spool).segments().map(\.name.fileName) == before)
        #expect(files(in: spool, suffix: ".ack").isEmpty)
        #expect(files(in: spool + "/dead-letter", suffix: ".pb").isEmpty)
        #expect(files(in: spool + "/dead-letter", suffix: ".json").isEmpty)
        let errors = logs.entries.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains(location) == true)
        #expect(errors.first?.metadata["status"] == "308")
    }

    @Test func aHugeSuccessBodyStillMeansDelivered() async throws {
        try await withTemporarySpool { spool in try await aHugeSuccessBody(spool.path) }
    }

    private func aHugeSuccessBody(_ spool: String) async throws {
        try TestSpans.write(0..<50, to: spool)
        let huge = [UInt8](repeating: 0x41, count: 5 << 20)
        let server = try await TestHTTPServer.start { _, _ in
            .status(200, headers: [("Content-Type", "application/x-protobuf")], body: huge)
        }
        let uploader = try makeHTTPUploader(spool: spool, url: server.url)
        let summary = await uploader.drainOnce()
        await server.stop()

        #expect(summary.allDelivered)
        #expect(summary.spansDelivered == 50)
        #expect(server.requests.count == 1)  // accepted once, never re-sent
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<50))
        #expect(try SpoolDirectory(path: spool).segments().isEmpty)
        #expect(files(in: spool, suffix: ".ack").isEmpty)
    }
}
