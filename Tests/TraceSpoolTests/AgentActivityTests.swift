import Foundation
import OTLPWire
import Testing
import Tracing
@testable import TraceSpool

extension TracerTests {
@Suite("Agent activity records, capture switches and I/O limits")
struct AgentActivityTests {
    /// 40 two-byte characters (80 UTF-8 bytes).
    static let wide = String(repeating: "é", count: 40)

    @Test("truncation cuts at a scalar boundary, keeps whole characters and leaves fitting values alone")
    func truncation() {
        #expect(JSONCapture.truncate("ééé", 4) == "éé…[truncated]")
        #expect(JSONCapture.truncate("ééé", 5) == "éé…[truncated]")
        #expect(JSONCapture.truncate("a😀b", 3) == "a…[truncated]")
        #expect(JSONCapture.truncate("a😀b", 5) == "a😀…[truncated]")
        #expect(JSONCapture.truncate("éé", 4) == "éé")
        #expect(JSONCapture.truncate(Self.wide, 0) == Self.wide)
    }

    @Test("message contents and model parameters are cut to maxInputOutputBytes; small ones are intact")
    func messagesAndParametersLimit() throws {
        let dir = TempDir("io-limit")
        defer { dir.cleanup() }
        let tracer = SpoolTracer(configuration: testConfiguration(dir) { $0.maxInputOutputBytes = 21 })
        tracer.withGeneration(
            "big", model: "m", parameters: ["stop": Self.wide],
            messages: [ChatMessage(role: "user", content: Self.wide), ChatMessage(role: "user", content: "hi")]
        ) { generation in
            generation.setOutputMessages([ChatMessage(role: "assistant", content: Self.wide)])
        }
        tracer.withGeneration(
            "small", model: "m", parameters: ["temperature": 0.5], messages: [ChatMessage(role: "user", content: "hi")]
        ) { generation in
            generation.setOutputMessages([ChatMessage(role: "assistant", content: "ok")])
        }
        tracer.shutdown()
        let spans = try readSpool(dir.spool)
        let cut = String(repeating: "é", count: 10) + "…[truncated]"  // 21 bytes cut back to 20
        let big = try #require(spans.spans(named: "big").first)
        #expect(big.string("llm.input_messages.0.message.content") == cut)
        #expect(big.string("llm.input_messages.1.message.content") == "hi")
        #expect(big.string("llm.output_messages.0.message.content") == cut)
        // `{"stop":"` is 9 bytes: 6 characters fill the 21.
        let parameters = #"{"stop":""# + String(repeating: "é", count: 6) + "…[truncated]"
        #expect(big.string("llm.invocation_parameters") == parameters)
        #expect(big.string("input.value")?.hasSuffix("…[truncated]") == true)
        let small = try #require(spans.spans(named: "small").first)
        #expect(small.string("llm.invocation_parameters") == #"{"temperature":0.5}"#)
        #expect(small.string("llm.input_messages.0.message.content") == "hi")
        #expect(small.string("llm.output_messages.0.message.content") == "ok")
    }

    /// Whether `span` has any captured input, output or message attribute.
    static func capturedKeys(_ span: OTLPSpan) -> [String] {
        span.attributes.map(\.key).filter {
            $0.hasPrefix("input.") || $0.hasPrefix("output.") || $0.hasPrefix("llm.input_messages.")
                || $0.hasPrefix("llm.output_messages.")
        }
    }

    @Test("captureInputOutput: false on a helper (sync and async) records no input, output or message contents")
    func helperCaptureOff() async throws {
        let dir = TempDir("capture-off")
        defer { dir.cleanup() }
        let tracer = SpoolTracer(configuration: testConfiguration(dir))
        let secret = [ChatMessage(role: "user", content: "secret")]
        await tracer.trace("trace", input: "secret", captureInputOutput: false) { trace in
            trace.setOutput("secret")
            tracer.withSpan(.chain, "chain", input: "secret", captureInputOutput: false) { $0.setOutput("secret") }
            tracer.withTool("tool", input: "secret", captureInputOutput: false) { $0.setOutput("secret") }
            tracer.withAgent("agent", input: "secret", captureInputOutput: false) { $0.setOutput("secret") }
            tracer.withRetrieval("retrieval", query: "secret", captureInputOutput: false) { $0.setOutput("secret") }
            tracer.withGuardrail("guardrail", input: "secret", captureInputOutput: false) { $0.setOutput("secret") }
            tracer.withHandoff(from: "a", to: "b", captureInputOutput: false) { $0.setInput("secret") }
            tracer.withGeneration("generation", model: "m", messages: secret, captureInputOutput: false) { g in
                g.setOutputMessages(secret)
            }
            await tracer.withTool("async-tool", input: "secret", captureInputOutput: false) { tool in
                await Task.yield()
                tool.setOutput("secret")
            }
            await tracer.withGeneration("async-generation", model: "m", messages: secret, captureInputOutput: false) {
                await Task.yield()
                $0.setOutputMessages(secret)
            }
            tracer.withTool("control", input: "visible") { _ in }
        }
        tracer.shutdown()
        let spans = try readSpool(dir.spool).spans
        #expect(spans.count == 11)
        for span in spans where span.name != "control" {
            #expect(Self.capturedKeys(span).isEmpty, "\(span.name): \(Self.capturedKeys(span))")
        }
        let generation = try #require(spans.first { $0.name == "generation" })
        #expect(generation.string("gen_ai.request.model") == "m")
        #expect(try #require(spans.first { $0.name == "control" }).string("input.value") == "visible")
    }

    @Test("global capture off records nothing unless a helper passes captureInputOutput: true")
    func globalCaptureOff() async throws {
        let dir = TempDir("capture-global-off")
        defer { dir.cleanup() }
        let tracer = SpoolTracer(configuration: testConfiguration(dir) { $0.captureInputOutput = false })
        let messages = [ChatMessage(role: "user", content: "question")]
        let answer = [ChatMessage(role: "assistant", content: "answer")]
        tracer.withTool("tool-default", input: "in") { $0.setOutput("out") }
        tracer.withGeneration("generation-default", model: "m", messages: messages) { $0.setOutputMessages(answer) }
        tracer.withTool("tool-on", input: "in", captureInputOutput: true) { $0.setOutput("out") }
        await tracer.withGeneration("generation-on", model: "m", messages: messages, captureInputOutput: true) {
            await Task.yield()
            $0.setOutputMessages(answer)
        }
        tracer.shutdown()
        let spans = try readSpool(dir.spool)
        for name in ["tool-default", "generation-default"] {
            #expect(Self.capturedKeys(try #require(spans.spans(named: name).first)).isEmpty)
        }
        let tool = try #require(spans.spans(named: "tool-on").first)
        #expect(tool.string("input.value") == "in")
        #expect(tool.string("output.value") == "out")
        let generation = try #require(spans.spans(named: "generation-on").first)
        #expect(generation.string("llm.input_messages.0.message.content") == "question")
        #expect(generation.string("llm.output_messages.0.message.content") == "answer")
        #expect(generation.string("input.value") == #"[{"content":"question","role":"user"}]"#)
    }

    @Test("async withHandoff and withGuardrail: the span is current for the async body and ends after it")
    func asyncHandoffAndGuardrail() async throws {
        let dir = TempDir("async-helpers")
        defer { dir.cleanup() }
        let tracer = SpoolTracer(configuration: testConfiguration(dir))
        struct Blocked: Error {}
        let verdict = await tracer.withHandoff(from: "planner", to: "writer") { handoff -> String in
            try? await Task.sleep(for: .milliseconds(2))
            await withTaskGroup(of: Void.self) { group in
                group.addTask { tracer.withSpan(.custom, "handoff-child") { _ in } }
            }
            return await (try? tracer.withGuardrail("pii", input: "text") { guardrail -> String in
                try await Task.sleep(for: .milliseconds(2))
                guardrail.setAttribute("guardrail.triggered", .bool(true))
                throw Blocked()
            }) ?? "blocked"
        }
        #expect(verdict == "blocked")
        tracer.shutdown()
        let spans = try readSpool(dir.spool)
        let handoff = try #require(spans.spans(named: "handoff planner -> writer").first)
        #expect(handoff.string("tracespool.span.type") == "handoff")
        #expect(handoff.string("handoff.from") == "planner")
        #expect(handoff.string("handoff.to") == "writer")
        #expect(handoff.endTimeUnixNano - handoff.startTimeUnixNano >= 4_000_000)
        #expect(try #require(spans.spans(named: "handoff-child").first).parentSpanID == handoff.spanID)
        let guardrail = try #require(spans.spans(named: "pii").first)
        #expect(guardrail.parentSpanID == handoff.spanID)
        #expect(guardrail.string("openinference.span.kind") == "GUARDRAIL")
        #expect(guardrail.string("input.value") == "text")
        #expect(guardrail.attribute("guardrail.triggered") == .bool(true))
        #expect(guardrail.status.code == .error)
        #expect(guardrail.endTimeUnixNano - guardrail.startTimeUnixNano >= 2_000_000)
    }
}
}
