import Foundation
import MetricsTestKit
import SpoolFormat
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@Suite struct OTLPHTTPSinkTests {
    @Test func deliversEverySpanExactlyOnceAndRemovesSegments() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<2000, to: spool.path, perFrame: 128, maxSegmentBytes: 64 << 10)
            #expect(try SpoolDirectory(path: spool.path).segments().count > 1)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url, maxBatchSpans: 300)
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.allDelivered)
            #expect(summary.spansDelivered == 2000)
            let indexes = try TestSpans.indexes(server.deliveredSpans()).sorted()
            #expect(indexes == Array(0..<2000))
            for r in server.requests {
                #expect(r.method == "POST")
                #expect(r.uri == "/v1/traces")
                #expect(r.header("content-type") == "application/x-protobuf")
                #expect(try OTLPRequestWalker.spans(in: r.body).count <= 300)
            }
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
            #expect(files(in: spool.path, suffix: ".ack").isEmpty)
            #expect(files(in: spool.path, suffix: ".lease").isEmpty)
        }
    }

    @Test func gzipBodiesDecodeToTheSameSpans() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<500, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url, compression: .gzip)
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.allDelivered)
            let request = try #require(server.requests.first)
            #expect(request.header("content-encoding") == "gzip")
            #expect(request.rawBodyCount < request.body.count)
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<500))
        }
    }

    @Test func partialSuccessCountsRejectedSpans() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<100, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .partialSuccess(rejected: 7, message: "bad spans") }
            let metrics = TestMetrics()
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url, metrics: metrics)
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.spansRejected == 7)
            #expect(summary.spansDelivered == 93)
            #expect(!summary.allDelivered)
            #expect(metrics.total(.spansRejectedTotal) == 7)
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }

    @Test func tooLargeSplitsTheBatchUntilItFits() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<400, to: spool.path)
            let limit = 8_000
            let server = try await TestHTTPServer.start { _, r in r.body.count > limit ? .status(413) : .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url)
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.allDelivered)
            #expect(server.requests.contains { $0.answered == 413 })
            let delivered = try TestSpans.indexes(server.deliveredSpans())
            #expect(delivered.sorted() == Array(0..<400))
            #expect(Set(delivered).count == delivered.count)
        }
    }

    /// The backoff waits on the uploader's clock: a manual clock shows each wait's deadline, `Retry-After: 1`
    /// included, and nothing proceeds until the clock is moved past it.
    @Test(.timeLimit(.minutes(1))) func retriesTransientStatusesAndHonoursRetryAfter() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<50, to: spool.path)
            let server = try await TestHTTPServer.start { index, _ in
                switch index {
                case 0: .status(429, headers: [("Retry-After", "1")])
                case 1: .status(503)
                case 2: .reset
                default: .ok
                }
            }
            let clock = ManualClock()
            let metrics = TestMetrics()
            // Every jittered delay is its ceiling: 20 ms × 2^attempt (base 20 ms).
            let uploader = try makeHTTPUploader(
                spool: spool.path, url: server.url, metrics: metrics, clock: clock, retryJitter: { $0.upperBound })
            let drain = Task { await uploader.drainOnce() }
            // The 429 asked for 1 s, longer than the first jittered delay (20 ms): the wait ends 1 s after it began.
            for (request, delay) in [(1, Duration.seconds(1)), (2, .milliseconds(40)), (3, .milliseconds(80))] {
                await clock.waitForSleepers(count: 1)
                #expect(clock.sleepDeadlines == [clock.now.advanced(by: delay)])
                #expect(server.requests.count == request, "no request before the wait ends")
                clock.advance(by: delay)
            }
            let summary = await drain.valueUnlessCancelled
            await server.stop()
            #expect(summary.allDelivered)
            #expect(server.requests.count == 4)
            #expect(metrics.total(.retriesTotal) == 3)
            #expect(summary.retries == 3)
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<50))
        }
    }

    @Test func aHangingServerTimesOutAndTheRetrySucceeds() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<20, to: spool.path)
            let server = try await TestHTTPServer.start { index, _ in index == 0 ? .hang : .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url, timeout: .milliseconds(300))
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.allDelivered)
            #expect(server.requests.count == 2)
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<20))
        }
    }

    @Test func refusedConnectionsDeferAndKeepTheSpool() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<20, to: spool.path)
            // Bind then close a server to get a port with nothing listening.
            let probe = try await TestHTTPServer.start { _, _ in .ok }
            let url = probe.url
            await probe.stop()
            // A budget of seconds, not milliseconds: with every test running in parallel on 2 cores, the first
            // refused attempt alone can take longer than 300 ms, leaving no time for the retry this test expects.
            let metrics = TestMetrics()
            let uploader = try makeHTTPUploader(
                spool: spool.path, url: url, retry: retry(baseMillis: 10, capMillis: 50, maxElapsedMillis: 3_000),
                metrics: metrics)
            let summary = await uploader.drainOnce()
            #expect(!summary.allDelivered)
            #expect(summary.segmentsDeferred == 1)
            #expect(metrics.total(.retriesTotal) >= 1)
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
            #expect(files(in: spool.path, suffix: ".ack").isEmpty)  // nothing acknowledged, nothing checkpointed

            // The backend comes back: everything is delivered.
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let again = try makeHTTPUploader(spool: spool.path, url: server.url)
            #expect(await again.drainOnce().allDelivered)
            await server.stop()
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<20))
        }
    }

    @Test func permanentFailuresGoToTheDeadLetterDirectory() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<100, to: spool.path)
            let server = try await TestHTTPServer.start { index, _ in
                index == 0 ? .status(400, body: Array("invalid span".utf8)) : .ok
            }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url, maxBatchSpans: 40)
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.spansDeadLettered == 40)
            #expect(summary.spansDelivered == 60)
            #expect(!summary.allDelivered)
            #expect(server.requests.count == 3)  // the 400 was not retried
            let deadDir = spool.path + "/dead-letter"
            let bodies = files(in: deadDir, suffix: ".pb")
            let metas = files(in: deadDir, suffix: ".json")
            try #require(bodies.count == 1 && metas.count == 1)
            let body = try [UInt8](Data(contentsOf: URL(fileURLWithPath: deadDir + "/" + bodies[0])))
            #expect(try TestSpans.indexes(OTLPRequestWalker.spans(in: body)) == Array(0..<40))
            let meta =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: deadDir + "/" + metas[0]))) as? [String: Any]
            #expect(meta?["status"] as? Int == 400)
            #expect(meta?["response_body"] as? String == "invalid span")
            #expect(meta?["spans"] as? Int == 40)
            #expect((meta?["segment"] as? String)?.hasSuffix(".seg") == true)
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }
}
