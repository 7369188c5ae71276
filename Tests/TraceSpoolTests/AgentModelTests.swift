import Foundation
import OTLPWire
import Testing
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Agent data model")
    struct AgentModelTests {
        struct Args: Encodable {
            var query: String
            var limit: Int
        }

        @Test("a trace with agent, generation, tool, retrieval, handoff and guardrail spans")
        func typedSpans() async throws {
            let dir = TempDir("agent")
            defer { dir.cleanup() }
            let tracer = SpoolTracer(configuration: testConfiguration(dir))
            let answer = await tracer.trace(
                "support", session: "s-1", user: "u-1", conversation: "c-1", metadata: ["tier": "gold"], tags: ["beta"],
                input: "where is my order?"
            ) { trace -> String in
                await tracer.withAgent("planner") { _ in
                    await tracer.withGeneration(
                        "chat", model: "gpt-4o", system: "openai", parameters: ["temperature": 0.3],
                        messages: [ChatMessage(role: "user", content: "where is my order?")]
                    ) { generation in
                        try? await Task.sleep(for: .milliseconds(1))
                        generation.setOutputMessages([ChatMessage(role: "assistant", content: "Let me check.")])
                        generation.setUsage(inputTokens: 12, outputTokens: 5, costUSD: 0.001)
                    }
                    tracer.withTool("lookup", input: Args(query: "A-1", limit: 3)) { tool in
                        tool.setOutput(["status": "shipped"])
                        tool.score("useful", .boolean(true))
                    }
                    tracer.withRetrieval("kb", query: "shipping policy") { _ in }
                    tracer.withHandoff(from: "planner", to: "writer") { _ in }
                    tracer.withGuardrail("pii") { g in
                        g.setLevel(.warning)
                        withContext(session: "inner-session") {
                            tracer.withSpan(.custom, "inner") { _ in }
                            struct Blocked: Error {}
                            _ = try? tracer.withSpan(.chain, "throws") { _ in throw Blocked() }
                        }
                    }
                }
                trace.setOutput("shipped")
                return "shipped"
            }
            #expect(answer == "shipped")
            tracer.shutdown()
            let spans = try readSpool(dir.spool)
            let root = try #require(spans.spans(named: "support").first)
            #expect(root.string("tracespool.span.type") == "trace")
            #expect(root.string("input.value") == "where is my order?")
            #expect(root.string("output.value") == "shipped")
            for s in spans.spans where s.string("tracespool.activity") == nil {
                #expect(s.traceID == root.traceID)
                #expect(s.string("user.id") == "u-1")
                #expect(s.string("gen_ai.conversation.id") == "c-1")
                #expect(s.string("metadata") == #"{"tier":"gold"}"#)
                #expect(s.attribute("tag.tags") == .array([.string("beta")]))
            }
            let generation = try #require(spans.spans(named: "chat").first)
            #expect(generation.string("tracespool.span.type") == "generation")
            #expect(generation.string("openinference.span.kind") == "LLM")
            #expect(generation.kind == .client)
            #expect(generation.string("gen_ai.request.model") == "gpt-4o")
            #expect(generation.string("llm.model_name") == "gpt-4o")
            #expect(generation.string("gen_ai.system") == "openai")
            #expect(generation.int("gen_ai.usage.input_tokens") == 12)
            #expect(generation.int("llm.token_count.completion") == 5)
            #expect(generation.int("llm.token_count.total") == 17)
            #expect(generation.double("gen_ai.usage.cost") == 0.001)
            #expect(generation.string("llm.invocation_parameters") == #"{"temperature":0.3}"#)
            #expect(generation.string("llm.input_messages.0.message.role") == "user")
            #expect(generation.string("llm.output_messages.0.message.content") == "Let me check.")
            #expect(generation.string("input.mime_type") == "application/json")
            let tool = try #require(spans.spans(named: "lookup").first)
            #expect(tool.string("gen_ai.tool.name") == "lookup")
            #expect(tool.string("tool.name") == "lookup")
            #expect(tool.string("openinference.span.kind") == "TOOL")
            #expect(tool.string("input.value") == #"{"limit":3,"query":"A-1"}"#)
            let score = try #require(spans.spans.first { $0.string("score.name") == "useful" })
            #expect(score.parentSpanID == tool.spanID)
            #expect(score.string("tracespool.span.type") == "event")
            #expect(score.double("score.value") == 1)
            #expect(score.string("score.data_type") == "BOOLEAN")
            #expect(try #require(spans.spans(named: "kb").first).string("openinference.span.kind") == "RETRIEVER")
            #expect(
                try #require(spans.spans.first { $0.string("tracespool.span.type") == "handoff" }).string("handoff.to")
                    == "writer")
            let guardrail = try #require(spans.spans(named: "pii").first)
            #expect(guardrail.string("tracespool.level") == "WARNING")
            #expect(guardrail.string("openinference.span.kind") == "GUARDRAIL")
            #expect(guardrail.string("session.id") == "s-1")
            #expect(try #require(spans.spans(named: "inner").first).string("session.id") == "inner-session")
            let failed = try #require(spans.spans(named: "throws").first)
            #expect(failed.status.code == .error)
            #expect(failed.string("tracespool.level") == "ERROR")
        }

        @Test("context precedence: innermost scope, then the trace, then global")
        func contextPrecedence() async throws {
            let dir = TempDir("precedence")
            defer { dir.cleanup() }
            let tracer = SpoolTracer(configuration: testConfiguration(dir))
            AgentContext.setUser("global-user")
            AgentContext.setSession("global-session")
            AgentContext.setMetadata(["env": "test"])
            defer { AgentContext.clearGlobal() }
            #expect(AgentContext.current.userID == "global-user")
            tracer.withSpan(.custom, "plain") { _ in }
            tracer.trace("t", session: "trace-session") { _ in
                #expect(AgentContext.current.sessionID == "trace-session")
                tracer.withSpan(.custom, "in-trace") { _ in }
                withContext(user: "scoped-user", metadata: ["step": "1"]) {
                    tracer.withSpan(.custom, "in-scope") { _ in }
                }
            }
            await withContext(conversation: "conv") {
                await withTaskGroup(of: Void.self) { group in
                    group.addTask { tracer.withSpan(.custom, "child-task") { _ in } }
                }
            }
            tracer.shutdown()
            let spans = try readSpool(dir.spool)
            let plain = try #require(spans.spans(named: "plain").first)
            #expect(plain.string("session.id") == "global-session")
            #expect(plain.string("user.id") == "global-user")
            let inTrace = try #require(spans.spans(named: "in-trace").first)
            #expect(inTrace.string("session.id") == "trace-session")
            #expect(inTrace.string("user.id") == "global-user")
            let inScope = try #require(spans.spans(named: "in-scope").first)
            #expect(inScope.string("user.id") == "scoped-user")
            #expect(inScope.string("session.id") == "trace-session")
            #expect(inScope.string("metadata") == #"{"env":"test","step":"1"}"#)
            let child = try #require(spans.spans(named: "child-task").first)
            #expect(child.string("gen_ai.conversation.id") == "conv")
        }

        @Test("scores by trace id later, activity records, input/output capture switches and limits")
        func scoresActivityAndCapture() throws {
            let dir = TempDir("activity")
            defer { dir.cleanup() }
            let tracer = SpoolTracer(configuration: testConfiguration(dir) { $0.maxInputOutputBytes = 20 })
            var traceID: TraceID?
            tracer.trace("work") { trace in
                traceID = trace.traceID
                tracer.recordCheckpoint("after-plan", id: "cp-1")
                tracer.recordFileOperation(.edit, path: "Sources/a.swift", sizeBytes: 120)
                tracer.recordCommand("swift build", exitCode: 0, stdout: "Build complete!", durationMillis: 1200)
                tracer.recordGitCommit(
                    sha: "0123456789abcdef", repository: "https://example.com/r.git", branch: "main", message: "fix")
                tracer.withTool("big") { t in t.setOutput(String(repeating: "x", count: 100)) }
                tracer.withTool("silent") { t in
                    t.setCaptureInputOutput(false)
                    t.setInput("secret")
                }
            }
            tracer.score(traceID: try #require(traceID), "quality", .numeric(0.8), comment: "good")
            tracer.score(traceID: try #require(traceID), "label", .categorical("helpful"))
            tracer.shutdown()
            let spans = try readSpool(dir.spool)
            let root = try #require(spans.spans(named: "work").first)
            func activity(_ name: String) throws -> OTLPSpan {
                try #require(spans.spans.first { $0.string("tracespool.activity") == name })
            }
            #expect(try activity("checkpoint").string("checkpoint.id") == "cp-1")
            #expect(try activity("checkpoint").parentSpanID == root.spanID)
            #expect(try activity("file_operation").string("file.operation") == "edit")
            #expect(try activity("terminal_command").int("process.exit_code") == 0)
            #expect(try activity("git_commit").string("vcs.ref.head.revision") == "0123456789abcdef")
            let quality = try #require(spans.spans.first { $0.string("score.name") == "quality" })
            #expect(quality.traceID == root.traceID)
            #expect(quality.parentSpanID.isEmpty)
            #expect(quality.double("score.value") == 0.8)
            #expect(quality.string("score.comment") == "good")
            #expect(quality.string("score.data_type") == "NUMERIC")
            let label = try #require(spans.spans.first { $0.string("score.name") == "label" })
            #expect(label.string("score.value") == "helpful")
            let big = try #require(spans.spans(named: "big").first)
            #expect(big.string("output.value")?.hasPrefix(String(repeating: "x", count: 20)) == true)
            #expect(big.string("output.value")?.hasSuffix("[truncated]") == true)
            #expect(try #require(spans.spans(named: "silent").first).attribute("input.value") == nil)
        }
    }
}
