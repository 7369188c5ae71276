import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Agent activity records, capture switches and I/O limits")
    struct AgentActivityTests {
        /// 40 two-byte characters (80 UTF-8 bytes).
        static let wide = String(repeating: "é", count: 40)

        @Test("truncation cuts at a Unicode scalar boundary, keeps whole scalars and leaves fitting values alone")
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
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.maxInputOutputBytes = 21 }
                tracer.withGeneration(
                    "big", model: "m", parameters: ["stop": Self.wide],
                    messages: [ChatMessage(role: "user", content: Self.wide), ChatMessage(role: "user", content: "hi")]
                ) { generation in
                    generation.setOutputMessages([ChatMessage(role: "assistant", content: Self.wide)])
                }
                tracer.withGeneration(
                    "small", model: "m", parameters: ["temperature": 0.5],
                    messages: [ChatMessage(role: "user", content: "hi")]
                ) { generation in
                    generation.setOutputMessages([ChatMessage(role: "assistant", content: "ok")])
                }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                let cut = String(repeating: "é", count: 10) + "…[truncated]"  // 21 bytes cut back to 20
                let big = try #require(spans.spans(named: "big").first)
                #expect(big.attributes.get("llm.input_messages.0.message.content") == .string(cut))
                #expect(big.attributes.get("llm.input_messages.1.message.content") == "hi")
                #expect(big.attributes.get("llm.output_messages.0.message.content") == .string(cut))
                // `{"stop":"` is 9 bytes: 6 characters fill the 21.
                let parameters = #"{"stop":""# + String(repeating: "é", count: 6) + "…[truncated]"
                #expect(big.attributes.get("llm.invocation_parameters") == .string(parameters))
                #expect(big.attributes.get("gen_ai.request.stop_sequences") == .stringArray([cut]))
                #expect(big.string("input.value")?.hasSuffix("…[truncated]") == true)
                let small = try #require(spans.spans(named: "small").first)
                #expect(small.attributes.get("llm.invocation_parameters") == #"{"temperature":0.5}"#)
                #expect(small.attributes.get("llm.input_messages.0.message.content") == "hi")
                #expect(small.attributes.get("llm.output_messages.0.message.content") == "ok")
            }
        }

        /// Whether `inner` started and ended within `outer` (times in nanoseconds since the epoch).
        static func contains(_ outer: RecordedSpan, _ inner: RecordedSpan) -> Bool {
            outer.startNanosecondsSinceEpoch <= inner.startNanosecondsSinceEpoch
                && inner.endNanosecondsSinceEpoch <= outer.endNanosecondsSinceEpoch
        }

        /// Whether `span` has any captured input, output or message attribute.
        static func capturedKeys(_ span: RecordedSpan) -> [String] {
            span.attributeKeys.filter {
                $0.hasPrefix("input.") || $0.hasPrefix("output.") || $0.hasPrefix("llm.input_messages.")
                    || $0.hasPrefix("llm.output_messages.")
            }
        }

        @Test("captureInputOutput: false on a helper (sync and async) records no input, output or message contents")
        func helperCaptureOff() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let secret = [ChatMessage(role: "user", content: "secret")]
                await tracer.trace("trace", input: "secret", captureInputOutput: false) { trace in
                    trace.setOutput("secret")
                    tracer.withSpan(.chain, "chain", input: "secret", captureInputOutput: false) {
                        $0.setOutput("secret")
                    }
                    tracer.withTool("tool", input: "secret", captureInputOutput: false) { $0.setOutput("secret") }
                    tracer.withAgent("agent", input: "secret", captureInputOutput: false) { $0.setOutput("secret") }
                    tracer.withRetrieval("retrieval", query: "secret", captureInputOutput: false) {
                        $0.setOutput("secret")
                    }
                    tracer.withGuardrail("guardrail", input: "secret", captureInputOutput: false) {
                        $0.setOutput("secret")
                    }
                    tracer.withHandoff(from: "a", to: "b", captureInputOutput: false) { $0.setInput("secret") }
                    tracer.withGeneration("generation", model: "m", messages: secret, captureInputOutput: false) { g in
                        g.setOutputMessages(secret)
                    }
                    await tracer.withTool("async-tool", input: "secret", captureInputOutput: false) { tool in
                        await Task.yield()
                        tool.setOutput("secret")
                    }
                    await tracer.withGeneration(
                        "async-generation", model: "m", messages: secret, captureInputOutput: false
                    ) {
                        await Task.yield()
                        $0.setOutputMessages(secret)
                    }
                    tracer.withTool("control", input: "visible") { _ in }
                }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path).spans
                #expect(spans.count == 11)
                for span in spans where span.operationName != "control" {
                    #expect(Self.capturedKeys(span).isEmpty, "\(span.operationName): \(Self.capturedKeys(span))")
                }
                let generation = try #require(spans.first { $0.operationName == "generation" })
                #expect(generation.attributes.get("gen_ai.request.model") == "m")
                let control = try #require(spans.first { $0.operationName == "control" })
                #expect(control.attributes.get("input.value") == "visible")
            }
        }

        @Test("global capture off records nothing unless a helper passes captureInputOutput: true")
        func globalCaptureOff() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.captureInputOutput = false }
                let messages = [ChatMessage(role: "user", content: "question")]
                let answer = [ChatMessage(role: "assistant", content: "answer")]
                tracer.withTool("tool-default", input: "in") { $0.setOutput("out") }
                tracer.withGeneration("generation-default", model: "m", messages: messages) {
                    $0.setOutputMessages(answer)
                }
                tracer.withTool("tool-on", input: "in", captureInputOutput: true) { $0.setOutput("out") }
                await tracer.withGeneration("generation-on", model: "m", messages: messages, captureInputOutput: true) {
                    await Task.yield()
                    $0.setOutputMessages(answer)
                }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                for name in ["tool-default", "generation-default"] {
                    #expect(Self.capturedKeys(try #require(spans.spans(named: name).first)).isEmpty)
                }
                let tool = try #require(spans.spans(named: "tool-on").first)
                #expect(tool.attributes.get("input.value") == "in")
                #expect(tool.attributes.get("output.value") == "out")
                let generation = try #require(spans.spans(named: "generation-on").first)
                #expect(generation.attributes.get("llm.input_messages.0.message.content") == "question")
                #expect(generation.attributes.get("llm.output_messages.0.message.content") == "answer")
                #expect(generation.attributes.get("input.value") == #"[{"content":"question","role":"user"}]"#)
            }
        }

        @Test("async withHandoff and withGuardrail: the span is current for the async body and ends after it")
        func asyncHandoffAndGuardrail() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                struct Blocked: Error {}
                // Each body suspends before it records; the spans must still contain what their bodies recorded.
                let verdict = await tracer.withHandoff(from: "planner", to: "writer") { handoff -> String in
                    await Task.yield()
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { tracer.withSpan(.custom, "handoff-child") { _ in } }
                    }
                    return await
                        (try? tracer.withGuardrail("pii", input: "text") { guardrail -> String in
                            await Task.yield()
                            tracer.withSpan(.custom, "guardrail-child") { _ in }
                            guardrail.setAttribute("guardrail.triggered", .bool(true))
                            throw Blocked()
                        }) ?? "blocked"
                }
                #expect(verdict == "blocked")
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                let handoff = try #require(spans.spans(named: "handoff planner -> writer").first)
                #expect(handoff.attributes.get("tracespool.span.type") == "handoff")
                #expect(handoff.attributes.get("handoff.from") == "planner")
                #expect(handoff.attributes.get("handoff.to") == "writer")
                let handoffChild = try #require(spans.spans(named: "handoff-child").first)
                #expect(handoffChild.parentSpanID == handoff.spanID)
                #expect(Self.contains(handoff, handoffChild))
                let guardrail = try #require(spans.spans(named: "pii").first)
                #expect(guardrail.parentSpanID == handoff.spanID)
                #expect(guardrail.attributes.get("openinference.span.kind") == "GUARDRAIL")
                #expect(guardrail.attributes.get("input.value") == "text")
                #expect(guardrail.attributes.get("guardrail.triggered") == .bool(true))
                #expect(guardrail.status?.code == .error)
                // The handoff ends after its body (the guardrail); the guardrail after its own (its child span).
                #expect(Self.contains(handoff, guardrail))
                let guardrailChild = try #require(spans.spans(named: "guardrail-child").first)
                #expect(guardrailChild.parentSpanID == guardrail.spanID)
                #expect(Self.contains(guardrail, guardrailChild))
            }
        }

        @Test("activity records: checkpoint description and files, file contents, stdout and stderr, limits")
        func activityFields() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.maxInputOutputBytes = 21 }
                tracer.trace("edit-task") { _ in
                    tracer.recordCheckpoint(
                        "before-edit", id: "cp-1", description: "State before code modification",
                        files: ["main.py", "utils.py"])
                    tracer.recordFileOperation(
                        .edit, path: "src/main.py", sizeBytes: 11, before: "old content", after: Self.wide)
                    tracer.recordCommand("npm test", exitCode: 1, stdout: "All tests passed", stderr: Self.wide)
                    tracer.recordCommand("stdout-only", stdout: "from stdout:")
                    tracer.withTool("sensitive", captureInputOutput: false) { _ in
                        tracer.recordCommand("cat secret", exitCode: 0, stdout: "secret", stderr: "secret")
                        tracer.recordFileOperation(.read, path: "secret.txt", before: "secret")
                    }
                }
                tracer.recordCheckpoint("bare")
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                let root = try #require(spans.spans(named: "edit-task").first)
                let cut = String(repeating: "é", count: 10) + "…[truncated]"
                let checkpoint = try #require(spans.spans(named: "checkpoint: before-edit").first)
                #expect(checkpoint.parentSpanID == root.spanID)
                #expect(checkpoint.attributes.get("tracespool.activity") == "checkpoint")
                #expect(checkpoint.attributes.get("checkpoint.id") == "cp-1")
                #expect(checkpoint.attributes.get("checkpoint.description") == "State before code modification")
                #expect(checkpoint.attributes.get("checkpoint.files") == .stringArray(["main.py", "utils.py"]))
                let bare = try #require(spans.spans(named: "checkpoint: bare").first)
                #expect(
                    bare.attributes.get("checkpoint.files") == nil
                        && bare.attributes.get("checkpoint.description") == nil)
                let file = try #require(spans.spans(named: "file edit").first)
                #expect(file.attributes.get("file.path") == "src/main.py")
                #expect(file.attributes.get("file.size") == 11)
                #expect(file.attributes.get("input.value") == "old content")
                #expect(file.attributes.get("input.mime_type") == "text/plain")
                #expect(file.attributes.get("output.value") == .string(cut))
                #expect(file.attributes.get("output.mime_type") == "text/plain")
                let command = try #require(
                    spans.spans.first { $0.attributes.get("process.command_line") == "npm test" })
                #expect(command.attributes.get("process.exit_code") == 1)
                #expect(command.attributes.get("output.value") == "All tests passed")
                #expect(command.attributes.get("output.mime_type") == "text/plain")
                #expect(command.attributes.get("process.stderr") == .string(cut))
                let stdoutOnly = try #require(
                    spans.spans.first { $0.attributes.get("process.command_line") == "stdout-only" })
                #expect(stdoutOnly.attributes.get("output.value") == "from stdout:")
                #expect(stdoutOnly.attributes.get("process.stderr") == nil)
                let sensitive = try #require(spans.spans(named: "sensitive").first)
                let inside = spans.spans.filter { $0.parentSpanID == sensitive.spanID }
                #expect(inside.count == 2)
                for span in inside {
                    #expect(span.attributes.get("process.stderr") == nil)
                    #expect(Self.capturedKeys(span).isEmpty)
                }
            }
        }

        @Test("activity texts are not written when capture is off globally")
        func activityCaptureOff() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.captureInputOutput = false }
                tracer.recordCommand("make", exitCode: 2, stdout: "out", stderr: "err")
                tracer.recordFileOperation(.write, path: "a", before: "x", after: "y")
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path).spans
                #expect(spans.count == 2)
                for span in spans {
                    #expect(Self.capturedKeys(span).isEmpty)
                    #expect(span.attributes.get("process.stderr") == nil)
                }
                #expect(spans.first { $0.attributes.get("process.exit_code") == 2 } != nil)
            }
        }

        @Test("a git commit linked later to a trace (and one of its spans) known only by its ids")
        func gitCommitByTraceID() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                var toolTraceID: TraceID?
                var toolSpanID: SpanID?
                tracer.trace("task") { _ in
                    tracer.withTool("edit") { tool in
                        toolTraceID = tool.traceID
                        toolSpanID = tool.spanID
                    }
                }
                let traceID = try #require(toolTraceID)
                let spanID = try #require(toolSpanID)
                tracer.recordGitCommit(
                    traceID: traceID, sha: "abc123", repository: "https://github.com/org/repo", branch: "main")
                tracer.recordGitCommit(traceID: traceID, spanID: spanID, sha: "def456", message: "Edit")
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                let root = try #require(spans.spans(named: "task").first)
                let tool = try #require(spans.spans(named: "edit").first)
                let commits = spans.spans.filter { $0.attributes.get("tracespool.activity") == "git_commit" }
                #expect(commits.count == 2)
                let link = try #require(commits.first { $0.attributes.get("vcs.ref.head.revision") == "abc123" })
                #expect(link.traceID == root.traceID)
                #expect(link.parentSpanID == nil)
                #expect(link.attributes.get("tracespool.span.type") == "event")
                #expect(link.attributes.get("vcs.repository.url.full") == "https://github.com/org/repo")
                #expect(link.attributes.get("vcs.ref.head.name") == "main")
                #expect(link.attributes.get("vcs.commit.message") == nil)
                let child = try #require(commits.first { $0.attributes.get("vcs.ref.head.revision") == "def456" })
                #expect(child.traceID == root.traceID)
                #expect(child.parentSpanID == tool.spanID)
                #expect(child.attributes.get("vcs.commit.message") == "Edit")
            }
        }

        struct OpenAIParameters: Encodable {
            var temperature = 0.2
            var max_tokens = 256
            var top_p = 0.9
            var frequency_penalty = 0.5
            var presence_penalty = -0.5
            var stop = ["END", "STOP"]
            var seed = 42
            var user = "not-a-request-attribute"
        }

        struct CamelCaseParameters: Encodable {
            var maxOutputTokens = 1024
            var topK = 40
            var stopSequences = "###"
            var temperature = "hot"  // not a number: skipped
        }

        @Test("GenAI names: operation names, gen_ai.request.* model parameters, tool_call_id of messages")
        func genAINames() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.maxInputOutputBytes = 30 }
                await tracer.withAgent("planner") { _ in
                    await Task.yield()
                    tracer.withGeneration(
                        "openai", model: "gpt-4o", parameters: OpenAIParameters(),
                        messages: [
                            ChatMessage(role: "user", content: "weather?"),
                            ChatMessage(role: "tool", content: "sunny", toolCallID: "call_1"),
                        ]
                    ) { generation in
                        generation.setOutputMessages([ChatMessage(role: "tool", content: "ok", toolCallID: "call_2")])
                    }
                    await tracer.withGeneration("camel", model: "gemini", parameters: CamelCaseParameters()) { g in
                        await Task.yield()
                        g.setAttribute(AttributeNames.operationName, .string("generate_content"))
                    }
                    tracer.withGeneration("text", model: "m", parameters: "not json") { _ in }
                    tracer.withTool("lookup") { _ in }
                }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                let agent = try #require(spans.spans(named: "planner").first)
                #expect(agent.attributes.get("gen_ai.operation.name") == "invoke_agent")
                #expect(agent.attributes.get("gen_ai.agent.name") == "planner")
                #expect(
                    try #require(spans.spans(named: "lookup").first).attributes.get("gen_ai.operation.name")
                        == "execute_tool")
                let openAI = try #require(spans.spans(named: "openai").first)
                #expect(openAI.attributes.get("gen_ai.operation.name") == "chat")
                #expect(openAI.attributes.get("gen_ai.request.temperature") == .double(0.2))
                #expect(openAI.attributes.get("gen_ai.request.max_tokens") == 256)
                #expect(openAI.attributes.get("gen_ai.request.top_p") == .double(0.9))
                #expect(openAI.attributes.get("gen_ai.request.frequency_penalty") == .double(0.5))
                #expect(openAI.attributes.get("gen_ai.request.presence_penalty") == .double(-0.5))
                #expect(openAI.attributes.get("gen_ai.request.stop_sequences") == .stringArray(["END", "STOP"]))
                #expect(openAI.attributes.get("gen_ai.request.seed") == 42)
                #expect(openAI.attributes.get("gen_ai.request.top_k") == nil)
                // The JSON is cut to 30 bytes; the request attributes come from the whole of it (`user` is not one).
                #expect(openAI.string("llm.invocation_parameters")?.hasSuffix("…[truncated]") == true)
                #expect(!openAI.attributeKeys.contains { $0.hasPrefix("gen_ai.request.user") })
                #expect(openAI.attributes.get("llm.input_messages.0.message.tool_call_id") == nil)
                #expect(openAI.attributes.get("llm.input_messages.1.message.tool_call_id") == "call_1")
                #expect(openAI.attributes.get("llm.input_messages.1.message.role") == "tool")
                #expect(openAI.attributes.get("llm.output_messages.0.message.tool_call_id") == "call_2")
                let camel = try #require(spans.spans(named: "camel").first)
                #expect(camel.attributes.get("gen_ai.operation.name") == "generate_content")
                #expect(camel.attributes.get("gen_ai.request.max_tokens") == 1024)
                #expect(camel.attributes.get("gen_ai.request.top_k") == .double(40))
                #expect(camel.attributes.get("gen_ai.request.stop_sequences") == .stringArray(["###"]))
                #expect(camel.attributes.get("gen_ai.request.temperature") == nil)
                let text = try #require(spans.spans(named: "text").first)
                #expect(text.attributes.get("llm.invocation_parameters") == "not json")
                let rawText = try #require(rawSpans(spool.path).first { $0.name == "text" })
                let requestKeys = rawText.attributes.map(\.key).filter { $0.hasPrefix("gen_ai.request.") }
                #expect(requestKeys == ["gen_ai.request.model"])
            }
        }
    }
}
