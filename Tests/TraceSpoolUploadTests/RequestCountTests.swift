import MetricsTestKit
import Synchronization
import Testing
import TraceSpoolTesting

@testable import TraceSpoolUpload

/// The summary and the metrics count requests one way: `requests` every attempt, `failedRequests` the attempts not
/// answered 2xx, `bytesSent` the bodies of accepted requests only; deferred batches' attempts included.
@Suite struct RequestCountTests {
    @Test func summaryAndMetricsAgreeAboutFailedAttempts() async throws {
        try await withTemporarySpool { spool in
            // Three segments of one batch each. The backend answers 503 to the first two requests and 200 to the next
            // two; then it is down for good (503), so the third batch is deferred after its retries.
            for k in 0..<3 { try TestSpans.write(k * 10..<(k + 1) * 10, to: spool.path) }
            let server = try await TestHTTPServer.start { index, _ in
                (2...3).contains(index) ? .ok : .status(503)
            }
            let metrics = TestMetrics()
            let uploader = try makeHTTPUploader(
                spool: spool.path, url: server.url, retry: retry(baseMillis: 1, capMillis: 20, maxElapsedMillis: 1_500),
                metrics: metrics)
            let summary = await uploader.drainOnce()
            await server.stop()

            let requests = server.requests
            let accepted = requests.filter { (200..<300).contains($0.answered) }
            #expect(accepted.count == 2)
            #expect(summary.segmentsCompleted == 2 && summary.segmentsDeferred == 1)
            #expect(summary.requests == requests.count)
            #expect(summary.failedRequests == requests.count - accepted.count)
            #expect(summary.bytesSent == accepted.reduce(0) { $0 + $1.rawBodyCount })
            #expect(metrics.total(.requestsTotal) == Int64(summary.requests))
            #expect(metrics.total(.failedRequestsTotal) == Int64(summary.failedRequests))
            #expect(metrics.total(.bytesSentTotal) == Int64(summary.bytesSent))
            #expect(metrics.total(.retriesTotal) == Int64(summary.retries))
        }
    }
}
