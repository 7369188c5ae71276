import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolUpload

@Suite struct OTLPHTTPSinkTests {
    @Test func deliversEverySpanExactlyOnceAndRemovesSegments() async throws {
        let tmp = TempDirectory("http-ok")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<2000, to: tmp.spool, perFrame: 128, maxSegmentBytes: 64 << 10)
        #expect(try SpoolDirectory(path: tmp.spool).segments().count > 1)
        let server = try await TestHTTPServer.start { _, _ in .ok }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url, maxBatchSpans: 300)
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()
        #expect(summary.allDelivered)
        #expect(summary.report.delivered == 2000)
        let indexes = try TestSpans.indexes(server.deliveredSpans()).sorted()
        #expect(indexes == Array(0..<2000))
        for r in server.requests {
            #expect(r.method == "POST")
            #expect(r.uri == "/v1/traces")
            #expect(r.header("content-type") == "application/x-protobuf")
            #expect(try OTLPRequestWalker.spans(in: r.body).count <= 300)
        }
        #expect(try SpoolDirectory(path: tmp.spool).segments().isEmpty)
        #expect(files(in: tmp.spool, suffix: ".ack").isEmpty)
        #expect(files(in: tmp.spool, suffix: ".lease").isEmpty)
    }

    @Test func gzipBodiesDecodeToTheSameSpans() async throws {
        let tmp = TempDirectory("http-gzip")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<500, to: tmp.spool)
        let server = try await TestHTTPServer.start { _, _ in .ok }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url, compression: .gzip)
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()
        #expect(summary.allDelivered)
        let request = try #require(server.requests.first)
        #expect(request.header("content-encoding") == "gzip")
        #expect(request.rawBodyCount < request.body.count)
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<500))
    }

    @Test func partialSuccessCountsRejectedSpans() async throws {
        let tmp = TempDirectory("http-partial")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<100, to: tmp.spool)
        let server = try await TestHTTPServer.start { _, _ in .partialSuccess(rejected: 7, message: "bad spans") }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url)
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()
        #expect(summary.report.rejected == 7)
        #expect(summary.report.delivered == 93)
        #expect(!summary.allDelivered)
        #expect(uploader.metrics.spansRejected.load(ordering: .relaxed) == 7)
        #expect(try SpoolDirectory(path: tmp.spool).segments().isEmpty)
    }

    @Test func tooLargeSplitsTheBatchUntilItFits() async throws {
        let tmp = TempDirectory("http-413")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<400, to: tmp.spool)
        let limit = 8_000
        let server = try await TestHTTPServer.start { _, r in r.body.count > limit ? .status(413) : .ok }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url)
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()
        #expect(summary.allDelivered)
        #expect(server.requests.contains { $0.answered == 413 })
        let delivered = try TestSpans.indexes(server.deliveredSpans())
        #expect(delivered.sorted() == Array(0..<400))
        #expect(Set(delivered).count == delivered.count)
    }

    @Test func retriesTransientStatusesAndHonoursRetryAfter() async throws {
        let tmp = TempDirectory("http-retry")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<50, to: tmp.spool)
        let server = try await TestHTTPServer.start { index, _ in
            switch index {
            case 0: .status(429, headers: [("Retry-After", "1")])
            case 1: .status(503)
            case 2: .reset
            default: .ok
            }
        }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url)
        let started = ContinuousClock.now
        let summary = await uploader.drainOnce()
        let elapsed = ContinuousClock.now - started
        await uploader.sink.shutdown()
        await server.stop()
        #expect(summary.allDelivered)
        #expect(server.requests.count == 4)
        #expect(uploader.metrics.retries.load(ordering: .relaxed) == 3)
        #expect(elapsed >= .milliseconds(950))  // Retry-After: 1 was waited for (a lower bound, not a speed claim)
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<50))
    }

    @Test func aHangingServerTimesOutAndTheRetrySucceeds() async throws {
        let tmp = TempDirectory("http-hang")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<20, to: tmp.spool)
        let server = try await TestHTTPServer.start { index, _ in index == 0 ? .hang : .ok }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url, timeoutMillis: 300)
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()
        #expect(summary.allDelivered)
        #expect(server.requests.count == 2)
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<20))
    }

    @Test func refusedConnectionsDeferAndKeepTheSpool() async throws {
        let tmp = TempDirectory("http-refused")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<20, to: tmp.spool)
        // Bind then close a server to get a port with nothing listening.
        let probe = try await TestHTTPServer.start { _, _ in .ok }
        let url = probe.url
        await probe.stop()
        // A budget of seconds, not milliseconds: with every test running in parallel on 2 cores, the first refused
        // attempt alone can take longer than 300 ms, leaving no time for the retry this test expects.
        let uploader = makeHTTPUploader(
            spool: tmp.spool, url: url, retry: RetryPolicy(baseMillis: 10, capMillis: 50, maxElapsedMillis: 3_000))
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        #expect(!summary.allDelivered)
        #expect(summary.segmentsDeferred == 1)
        #expect(uploader.metrics.retries.load(ordering: .relaxed) >= 1)
        #expect(try SpoolDirectory(path: tmp.spool).segments().count == 1)
        #expect(files(in: tmp.spool, suffix: ".ack").isEmpty)  // nothing acknowledged, nothing checkpointed

        // The backend comes back: everything is delivered.
        let server = try await TestHTTPServer.start { _, _ in .ok }
        let again = makeHTTPUploader(spool: tmp.spool, url: server.url)
        #expect(await again.drainOnce().allDelivered)
        await again.sink.shutdown()
        await server.stop()
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<20))
    }

    @Test func permanentFailuresGoToTheDeadLetterDirectory() async throws {
        let tmp = TempDirectory("http-dead")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<100, to: tmp.spool)
        let server = try await TestHTTPServer.start { index, _ in
            index == 0 ? .status(400, body: Array("invalid span".utf8)) : .ok
        }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url, maxBatchSpans: 40)
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()
        #expect(summary.report.deadLettered == 40)
        #expect(summary.report.delivered == 60)
        #expect(!summary.allDelivered)
        #expect(server.requests.count == 3)  // the 400 was not retried
        let deadDir = tmp.spool + "/dead-letter"
        let bodies = files(in: deadDir, suffix: ".pb")
        let metas = files(in: deadDir, suffix: ".json")
        try #require(bodies.count == 1 && metas.count == 1)
        let body = try [UInt8](Data(contentsOf: URL(fileURLWithPath: deadDir + "/" + bodies[0])))
        #expect(try TestSpans.indexes(OTLPRequestWalker.spans(in: body)) == Array(0..<40))
        let meta =
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: deadDir + "/" + metas[0])))
            as? [String: Any]
        #expect(meta?["status"] as? Int == 400)
        #expect(meta?["response_body"] as? String == "invalid span")
        #expect(meta?["spans"] as? Int == 40)
        #expect((meta?["segment"] as? String)?.hasSuffix(".seg") == true)
        #expect(try SpoolDirectory(path: tmp.spool).segments().isEmpty)
    }
}
