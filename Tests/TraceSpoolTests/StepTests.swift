import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Steps and the current span")
    struct StepTests {
        struct Refused: Error {}

        /// Sets the result of whatever span is current, without holding it.
        static func validate(_ status: String) {
            SpoolTracer.setCurrentOutput(["valid": status == "active"])
        }

        @Test("step types are recorded with their OpenInference kind; an error turns a step into type error")
        func stepTypes() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.trace("run") { _ in
                    tracer.step("look") { _ in }
                    tracer.step("plan", type: .thought) { _ in }
                    tracer.step("query-inventory", type: .tool, input: ["sku": "A123"]) { _ in }
                    _ = try? tracer.step("fails", type: .tool) { _ in throw Refused() }
                }
                _ = try? await tracer.step("fails-async", type: .thought) { _ in
                    await Task.yield()
                    throw Refused()
                }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                func span(_ name: String) throws -> RecordedSpan { try #require(spans.spans(named: name).first) }
                #expect(try span("look").attributes.get(AttributeNames.spanType) == "observation")
                #expect(try span("look").attributes.get(AttributeNames.openInferenceKind) == "CHAIN")
                #expect(try span("plan").attributes.get(AttributeNames.spanType) == "thought")
                let tool = try span("query-inventory")
                #expect(tool.attributes.get(AttributeNames.spanType) == "tool")
                #expect(tool.attributes.get(AttributeNames.openInferenceKind) == "TOOL")
                #expect(tool.attributes.get(AttributeNames.toolName) == "query-inventory")
                #expect(tool.attributes.get(AttributeNames.inputValue) == #"{"sku":"A123"}"#)
                for name in ["fails", "fails-async"] {
                    let failed = try span(name)
                    #expect(failed.attributes.get(AttributeNames.spanType) == "error", "\(name)")
                    #expect(failed.attributes.get(AttributeNames.level) == "ERROR", "\(name)")
                    #expect(failed.status?.code == .error, "\(name)")
                    #expect(failed.events.contains { $0.name == "exception" }, "\(name)")
                }
                #expect(try span("look").parentSpanID == span("run").spanID)
            }
        }

        @Test("setCurrentOutput sets the output of the current span from a function that does not hold it")
        func setCurrentOutput() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                #expect(SpoolTracer.setCurrentOutput("nowhere") == false)
                tracer.step("validate-user") { _ in Self.validate("active") }
                await tracer.step("validate-async") { _ in
                    await Task.yield()
                    Self.validate("closed")
                }
                tracer.step("no-capture", captureInputOutput: false) { _ in
                    #expect(SpoolTracer.setCurrentOutput("hidden") == false)
                }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                #expect(
                    spans.spans(named: "validate-user").first?.attributes.get(AttributeNames.outputValue)
                        == #"{"valid":true}"#)
                #expect(
                    spans.spans(named: "validate-async").first?.attributes.get(AttributeNames.outputValue)
                        == #"{"valid":false}"#)
                #expect(spans.spans(named: "no-capture").first?.attributes.get(AttributeNames.outputValue) == nil)
            }
        }

        @Test("SpoolSpan.current and currentTrace: the innermost span and trace inside, nil outside")
        func currentAccessors() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                #expect(SpoolSpan.current == nil)
                #expect(SpoolSpan.currentTrace == nil)
                await tracer.trace("outer") { outer in
                    #expect(SpoolSpan.current?.spanID == outer.spanID)
                    #expect(SpoolSpan.currentTrace?.spanID == outer.spanID)
                    await tracer.withAgent("agent") { agent in
                        #expect(SpoolSpan.current?.spanID == agent.spanID)
                        #expect(SpoolSpan.currentTrace?.spanID == outer.spanID)
                        await tracer.trace("inner") { inner in
                            let child = await Task { (SpoolSpan.current?.spanID, SpoolSpan.currentTrace?.spanID) }.value
                            #expect(child.0 == inner.spanID)
                            #expect(child.1 == inner.spanID)
                            // What the accessor returns is the span itself: writing through it is recorded.
                            SpoolSpan.currentTrace?.setAttribute("marked", .string("yes"))
                        }
                        #expect(SpoolSpan.currentTrace?.spanID == outer.spanID)
                    }
                }
                #expect(SpoolSpan.current == nil)
                #expect(SpoolSpan.currentTrace == nil)
                // A remote parent extracted from a request is not a current span of this process.
                var remote = InstrumentationContext.topLevel
                remote.spoolSpanContext = TraceParent.parse(
                    "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", traceState: "")
                InstrumentationContext.$current.withValue(remote) { #expect(SpoolSpan.current == nil) }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                #expect(spans.spans(named: "inner").first?.attributes.get("marked") == "yes")
            }
        }

        @Test("a sampled-out span is current as a non-recording span; setting its output does nothing")
        func sampledOutCurrentSpan() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeTracer { $0.sampler = .alwaysOff }
                tracer.trace("dropped") { span in
                    #expect(SpoolSpan.current?.traceID == span.traceID)
                    #expect(SpoolSpan.current?.isRecording == false)
                    #expect(SpoolSpan.currentTrace?.traceID == span.traceID)
                    #expect(SpoolTracer.setCurrentOutput("x") == false)
                }
                tracer.shutdown()
            }
        }
    }
}
