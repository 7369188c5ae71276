import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("No-op trace")
    struct NoOpTraceTests {
        @Test("SpoolSpan.noOp records nothing and has the id \"no-op\"")
        func noOpValue() {
            let span = SpoolSpan.noOp
            #expect(span.isNoOp && !span.isRecording)
            #expect(span.traceID == nil && span.spanContext == nil)
            #expect(span.traceIDText == "no-op" && SpoolSpan.noOpTraceID == "no-op")
            #expect(span.exportTrace() == nil)
            span.setAttribute("ignored", 1)
            span.end()
            #expect(span.attributes == [:])
        }

        @Test("a disabled tracer hands trace bodies the no-op trace, and passes an incoming trace on")
        func disabledTracer() throws {
            try withTemporarySpool { spool in
                let counter = CountingProcessor()
                let tracer = spool.makeQuietTracer {
                    $0.disabled = true
                    $0.processors = [counter]
                }
                var headers: [String: String] = [:]
                tracer.trace("workflow") { span in
                    #expect(span.isNoOp)
                    #expect(span.traceID == nil)
                    #expect(span.traceIDText == "no-op")
                    #expect(span.exportTrace() == nil)
                    tracer.inject(span.context, into: &headers, using: DictionaryInjector())
                    tracer.withTool("tool") { tool in #expect(tool.isNoOp) }
                }
                #expect(headers.isEmpty)

                let incoming = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
                var context = InstrumentationContext.topLevel
                tracer.extract(["traceparent": incoming], into: &context, using: HeaderExtractor())
                let passed = InstrumentationContext.$current.withValue(context) {
                    tracer.trace("handler") { span -> [String: String] in
                        #expect(span.isNoOp)
                        #expect(span.traceIDText == "0af7651916cd43dd8448eb211c80319c")
                        var out: [String: String] = [:]
                        tracer.inject(span.context, into: &out, using: DictionaryInjector())
                        return out
                    }
                }
                #expect(passed["traceparent"] == incoming)
                #expect(counter.started.load(ordering: .relaxed) == 0)
                #expect(counter.ended.load(ordering: .relaxed) == 0)
            }
        }

        @Test("a sampled-out trace is a no-op trace that keeps its real id, with the sampled flag off")
        func sampledOut() throws {
            try withTemporarySpool { spool in
                let counter = CountingProcessor()
                let tracer = spool.makeQuietTracer {
                    $0.sampler = .traceIDRatio(0)
                    $0.processors = [counter]
                }
                var headers: [String: String] = [:]
                var traceID: TraceID?
                var childTraceID: TraceID?
                tracer.trace("workflow") { span in
                    #expect(span.isNoOp)
                    traceID = span.traceID
                    #expect(span.traceID?.isValid == true)
                    #expect(span.spanContext?.isSampled == false)
                    #expect(span.traceIDText == span.traceID?.description)
                    #expect(span.exportTrace() == nil)
                    tracer.inject(span.context, into: &headers, using: DictionaryInjector())
                    tracer.withTool("tool") { tool in
                        #expect(tool.isNoOp)
                        childTraceID = tool.traceID
                    }
                }
                let id = try #require(traceID)
                #expect(childTraceID == id)
                let header = try #require(headers["traceparent"])
                #expect(header.hasPrefix("00-\(id)-") && header.hasSuffix("-00"))
                #expect(tracer.shutdown())
                let spans = try SpoolContents(reading: spool.path).spans
                #expect(spans.isEmpty)
                #expect(counter.started.load(ordering: .relaxed) == 0)
                #expect(counter.ended.load(ordering: .relaxed) == 0)
            }
        }
    }
}
