import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

/// `SpoolDrainer.pass(until:clock:)`: a pass that ends at a deadline on the caller's clock, its request in flight
/// cancelled and its batch left in the spool; the drainer and its sink (one HTTP client) reused by the next pass.
@Suite struct BoundedDrainTests {
    func drainer(spool: String, url: String) -> SpoolDrainer {
        let exporter = SpoolUploader.Configuration.OTLPHTTPExporter(
            tracesEndpoint: url + "/v1/traces", timeout: .seconds(600))
        let sink = OTLPHTTPSink(
            configuration: exporter, retryPolicy: RetryPolicy(baseMillis: 1, capMillis: 1, maxElapsedMillis: 0),
            metrics: UploadMetrics(), logger: quietLogger(), clock: ContinuousClock())
        return SpoolDrainer(
            configuration: SpoolUploader.Configuration(spoolDirectories: [spool], destination: .otlpHTTP(exporter)),
            sink: sink, metrics: UploadMetrics(), logger: quietLogger())
    }

    @Test func theDeadlineCancelsTheRequestInFlightAndLeavesTheBatchInTheSpool() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<20, to: spool.path)
            // The first request is never answered; the later ones succeed.
            let backend = try await TestHTTPServer.start { index, _ in index == 0 ? .hang : .ok }
            let drainer = drainer(spool: spool.path, url: backend.url)
            let clock = ManualClock()
            let deadline = clock.now.advanced(by: .milliseconds(100))
            async let cut = drainer.pass(until: deadline, clock: clock)
            await backend.waitForRequests(1)
            // Only the test's clock reaching the deadline ends the pass: the request has a 600 s timeout.
            clock.advance(to: deadline)
            let summary = await cut
            #expect(summary.segmentsDeferred == 1)
            #expect(summary.spansDelivered == 0)
            #expect(try SpoolDirectory(path: spool.path, create: false).segments().count == 1)
            // The same drainer, the same sink: the batch goes again and the segment is deleted.
            let again = await drainer.pass(until: clock.now.advanced(by: .seconds(3600)), clock: clock)
            #expect(again.spansDelivered == 20)
            #expect(again.segmentsCompleted == 1)
            #expect(try backend.deliveredSpans().count == 20)
            await drainer.sink.shutdown()
            await backend.stop()
        }
    }

    @Test func aDeadlineAlreadyPastSendsNothing() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<20, to: spool.path)
            let backend = try await TestHTTPServer.start { _, _ in .ok }
            let drainer = drainer(spool: spool.path, url: backend.url)
            let clock = ManualClock()
            let summary = await drainer.pass(until: clock.now, clock: clock)
            #expect(summary.spansDelivered == 0)
            #expect(backend.requests.isEmpty)
            await drainer.sink.shutdown()
            await backend.stop()
        }
    }
}
