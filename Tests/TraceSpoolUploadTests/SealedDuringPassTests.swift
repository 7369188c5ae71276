import Foundation
import Synchronization
import Testing
import TraceSpoolTesting

@testable import SpoolFormat
@testable import TraceSpoolUpload

/// A segment its writer seals (renames `.open` to `.seg`) while a pass drains it: the uploader follows it under its
/// new name, delivers each span once and counts nothing failed or damaged. The rename happens at the drainer's seams,
/// between listing and opening and between opening and the liveness probe, not at a moment picked by timing.
@Suite struct SealedDuringPassTests {
    /// A sink keeping the span indexes it received.
    final class RecordingSink: SpanSink {
        let name = "recording"
        let received = Mutex<[Int]>([])

        func deliver(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport {
            let indexes = (try? TestSpans.indexes(batch.spans.map { Array($0) })) ?? []
            received.withLock { $0 += indexes }
            return DeliveryReport(delivered: batch.count, requests: 1, bytesSent: batch.requestSize)
        }

        func shutdown() async {}
    }

    /// Drains a live writer's segment of 50 spans over two passes, the writer sealing it at `step` of the first.
    private func drain(sealingAt step: SpoolDrainer.Step) async throws {
        try await withTemporarySpool { spool in
            let writer = try TestSpans.writeLive(0..<50, to: spool.path, perFrame: 10).segment
            let sink = RecordingSink()
            let sealed = Atomic<Bool>(false)
            let drainer = SpoolDrainer(
                configuration: SpoolUploader.Configuration(
                    spoolDirectories: [spool.path], destination: .sqlite(path: "")),
                sink: sink, metrics: UploadMetrics(), logger: quietLogger(),
                onStep: { current, _ in
                    guard current == step, !sealed.exchange(true, ordering: .relaxed) else { return }
                    try? writer.seal()
                })
            let first = await drainer.pass()
            let second = await drainer.pass()
            let didSeal = sealed.load(ordering: .relaxed)
            #expect(didSeal)
            var total = first
            total.add(second)
            #expect(total.segmentsFailed == 0, "\(first) \(second)")
            #expect(total.damagedRegions == 0, "\(first) \(second)")
            #expect(total.allDelivered)
            #expect(total.segmentsCompleted == 1)
            #expect(sink.received.withLock { $0 }.sorted() == Array(0..<50))
            #expect(try SpoolDirectory(path: spool.path, create: false).segments().isEmpty)
        }
    }

    @Test func sealedBetweenListingAndOpening() async throws {
        try await drain(sealingAt: .listed)
    }

    @Test func sealedBetweenOpeningAndTheLivenessProbe() async throws {
        try await drain(sealingAt: .opened)
    }
}
