import Foundation
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Sampling and load")
    struct SamplingAndLoadTests {
        @Test("trace-id ratio sampling keeps or drops whole traces")
        func ratioKeepsWholeTraces() throws {
            try withTemporarySpool { spool in
                let config = TracerConfiguration.fromEnvironment([
                    "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": "0.5",
                    "TRACESPOOL_DIR": spool.path,
                ])
                #expect(config.sampler == .parentBased(root: .traceIDRatio(0.5)))
                let tracer = spool.makeQuietTracer { $0.sampler = config.sampler }
                let traces = 400
                var expectedKept = 0
                for _ in 0..<traces {
                    tracer.trace("root") { root in
                        if root.isRecording { expectedKept += 1 }
                        for _ in 0..<3 { tracer.withTool("child") { _ in } }
                    }
                }
                #expect(tracer.shutdown())
                let spans = try SpoolContents(reading: spool.path).spans
                let byTrace = Dictionary(grouping: spans, by: \.traceID)
                #expect(byTrace.count == expectedKept)
                #expect(byTrace.values.allSatisfy { $0.count == 4 })
                #expect((120...280).contains(byTrace.count))
                // Deterministic from the trace id.
                let id = TraceID(high: 1, low: 0x1000)
                #expect(TraceSampler.traceIDRatio(0.5).shouldSample(traceID: id, parent: nil))
                #expect(!TraceSampler.traceIDRatio(0.5).shouldSample(traceID: TraceID(high: 1, low: .max), parent: nil))
            }
        }

        @Test("many threads recording at once lose nothing below the cap")
        func manyThreads() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.maxQueuedBuffers = 100_000 }
                let threads = 8
                let perThread = 10_000
                let group = DispatchGroup()
                for t in 0..<threads {
                    group.enter()
                    Thread {
                        for i in 0..<perThread {
                            let span = tracer.startSpan(.tool, "work")
                            span.setAttribute("thread", .int64(Int64(t)))
                            span.setAttribute("i", .int64(Int64(i)))
                            span.setAttribute("a", .string("x"))
                            span.end()
                        }
                        group.leave()
                    }.start()
                }
                group.wait()
                #expect(tracer.flush(timeoutMillis: 120_000))
                #expect(tracer.shutdown())
                let spans = try SpoolContents(reading: spool.path).spans
                #expect(spans.count == threads * perThread)
                #expect(Set(spans.map(\.spanID)).count == threads * perThread)
                #expect(tracer.statistics.drops.isEmpty)
            }
        }
    }
}
