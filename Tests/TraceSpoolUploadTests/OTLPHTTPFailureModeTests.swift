import Foundation
import SpoolFormat
import Testing
import TraceSpoolUpload

/// A backend that is down, redirects, or answers with a huge body: nothing is lost, nothing is re-sent, and a pass
/// does not spend a retry budget per segment.
@Suite struct OTLPHTTPFailureModeTests {
    @Test func aDownBackendCostsOneRetryBudgetPerPassNotOnePerSegment() async throws {
        let tmp = TempDirectory("http-down")
        defer { tmp.cleanup() }
        for k in 0..<5 { try TestSpans.write(k * 200..<(k + 1) * 200, to: tmp.spool) }  // one segment per call
        let before = try SpoolDirectory(path: tmp.spool).segments().map(\.name.fileName)
        try #require(before.count == 5)
        // Bind then close a server to get a port with nothing listening: every connection is refused.
        let probe = try await TestHTTPServer.start { _, _ in .ok }
        let url = probe.url
        await probe.stop()
        let uploader = makeHTTPUploader(
            spool: tmp.spool, url: url, retry: RetryPolicy(baseMillis: 10, capMillis: 50, maxElapsedMillis: 300))
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()

        #expect(!summary.allDelivered)
        #expect(summary.segmentsDeferred == before.count)
        #expect(summary.segmentsCompleted == 0)
        // Each batch that starts a retry budget ends it with one attempt that is not followed by a retry, so
        // connection attempts − retries = batches that spent a retry budget: one for the whole pass.
        let attempts = uploader.metrics.requests.load(ordering: .relaxed)
        let retries = uploader.metrics.retries.load(ordering: .relaxed)
        #expect(attempts >= 1)
        #expect(attempts - retries == 1)
        #expect(uploader.metrics.batchesDeferred.load(ordering: .relaxed) == 1)
        // Every span is still in the spool, nothing checkpointed or dead-lettered.
        #expect(try SpoolDirectory(path: tmp.spool).segments().map(\.name.fileName) == before)
        #expect(files(in: tmp.spool, suffix: ".ack").isEmpty)
        #expect(files(in: tmp.spool + "/dead-letter", suffix: ".pb").isEmpty)

        let server = try await TestHTTPServer.start { _, _ in .ok }
        let again = makeHTTPUploader(spool: tmp.spool, url: server.url)
        #expect(await again.drainOnce().allDelivered)
        await again.sink.shutdown()
        await server.stop()
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<1000))
    }

    @Test func aRedirectKeepsTheSpoolAndNamesTheLocation() async throws {
        let tmp = TempDirectory("http-redirect")
        defer { tmp.cleanup() }
        for k in 0..<3 { try TestSpans.write(k * 100..<(k + 1) * 100, to: tmp.spool) }  // one segment per call
        let before = try SpoolDirectory(path: tmp.spool).segments().map(\.name.fileName)
        try #require(before.count == 3)
        let location = "https://otlp.example.com/v1/traces"
        let server = try await TestHTTPServer.start { _, _ in .status(308, headers: [("Location", location)]) }
        let logs = CapturedLogs()
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url, logger: logs.logger())
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()

        #expect(!summary.allDelivered)
        #expect(summary.segmentsDeferred == before.count)
        #expect(summary.report.deadLettered == 0)
        #expect(server.requests.count == 1)  // not retried, the other segments not tried in this pass
        #expect(try SpoolDirectory(path: tmp.spool).segments().map(\.name.fileName) == before)
        #expect(files(in: tmp.spool, suffix: ".ack").isEmpty)
        #expect(files(in: tmp.spool + "/dead-letter", suffix: ".pb").isEmpty)
        #expect(files(in: tmp.spool + "/dead-letter", suffix: ".json").isEmpty)
        let errors = logs.entries.filter { $0.level == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains(location) == true)
        #expect(errors.first?.metadata["status"] == "308")
    }

    @Test func aHugeSuccessBodyStillMeansDelivered() async throws {
        let tmp = TempDirectory("http-bigbody")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<50, to: tmp.spool)
        let huge = [UInt8](repeating: 0x41, count: 5 << 20)
        let server = try await TestHTTPServer.start { _, _ in
            .status(200, headers: [("Content-Type", "application/x-protobuf")], body: huge)
        }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url)
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()

        #expect(summary.allDelivered)
        #expect(summary.report.delivered == 50)
        #expect(server.requests.count == 1)  // accepted once, never re-sent
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<50))
        #expect(try SpoolDirectory(path: tmp.spool).segments().isEmpty)
        #expect(files(in: tmp.spool, suffix: ".ack").isEmpty)
    }
}
