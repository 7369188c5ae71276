import Foundation
import Testing
import TraceSpoolTesting
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
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let answer = await tracer.trace(
                    "support", session: "s-1", user: "u-1", conversation: "c-1", metadata: ["tier": "gold"],
                    tags: ["beta"],
                    input: "where is my order?"
                ) { trace -> String in
                    await tracer.withAgent("planner") { _ in
                        await tracer.withGeneration(
                            "chat", model: "gpt-4o", system: "openai", parameters: ["temperature": 0.3],
                            messages: [ChatMessage(role: "user", content: "where is my order?")]
                        ) { generation in
                            await Task.yield()
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
                let spans = try SpoolContents(reading: spool.path)
                let root = try #require(spans.spans(named: "support").first)
                #expect(root.attributes.get("tracespool.span.type") == "trace")
                #expect(root.attributes.get("input.value") == "where is my order?")
                #expect(root.attributes.get("output.value") == "shipped")
                for s in spans.spans where s.attributes.get("tracespool.activity") == nil {
                    #expect(s.traceID == root.traceID)
                    #expect(s.attributes.get("user.id") == "u-1")
                    #expect(s.attributes.get("gen_ai.conversation.id") == "c-1")
                    #expect(s.attributes.get("metadata") == #"{"tier":"gold"}"#)
                    #expect(s.attributes.get("tag.tags") == .stringArray(["beta"]))
                }
                let generation = try #require(spans.spans(named: "chat").first)
                #expect(generation.attributes.get("tracespool.span.type") == "generation")
                #expect(generation.attributes.get("openinference.span.kind") == "LLM")
                #expect(generation.kind == .client)
                #expect(generation.attributes.get("gen_ai.request.model") == "gpt-4o")
                #expect(generation.attributes.get("llm.model_name") == "gpt-4o")
                #expect(generation.attributes.get("gen_ai.system") == "openai")
                #expect(generation.attributes.get("gen_ai.usage.input_tokens") == 12)
                #expect(generation.attributes.get("llm.token_count.completion") == 5)
                #expect(generation.attributes.get("llm.token_count.total") == 17)
                #expect(generation.attributes.get("gen_ai.usage.cost") == .double(0.001))
                #expect(generation.attributes.get("llm.invocation_parameters") == #"{"temperature":0.3}"#)
                #expect(generation.attributes.get("llm.input_messages.0.message.role") == "user")
                #expect(generation.attributes.get("llm.output_messages.0.message.content") == "Let me check.")
                #expect(generation.attributes.get("input.mime_type") == "application/json")
                let tool = try #require(spans.spans(named: "lookup").first)
                #expect(tool.attributes.get("gen_ai.tool.name") == "lookup")
                #expect(tool.attributes.get("tool.name") == "lookup")
                #expect(tool.attributes.get("openinference.span.kind") == "TOOL")
                #expect(tool.attributes.get("input.value") == #"{"limit":3,"query":"A-1"}"#)
                let score = try #require(spans.spans.first { $0.attributes.get("score.name") == "useful" })
                #expect(score.parentSpanID == tool.spanID)
                #expect(score.attributes.get("tracespool.span.type") == "event")
                #expect(score.attributes.get("score.value") == .double(1))
                #expect(score.attributes.get("score.data_type") == "BOOLEAN")
                #expect(
                    try #require(spans.spans(named: "kb").first).attributes.get("openinference.span.kind")
                        == "RETRIEVER")
                let handoff = try #require(spans.spans.first { $0.attributes.get("tracespool.span.type") == "handoff" })
                #expect(handoff.attributes.get("handoff.to") == "writer")
                let guardrail = try #require(spans.spans(named: "pii").first)
                #expect(guardrail.attributes.get("tracespool.level") == "WARNING")
                #expect(guardrail.attributes.get("openinference.span.kind") == "GUARDRAIL")
                #expect(guardrail.attributes.get("session.id") == "s-1")
                #expect(try #require(spans.spans(named: "inner").first).attributes.get("session.id") == "inner-session")
                let failed = try #require(spans.spans(named: "throws").first)
                #expect(failed.status?.code == .error)
                #expect(failed.attributes.get("tracespool.level") == "ERROR")
            }
        }

        @Test("context precedence: innermost scope, then the trace, then global")
        func contextPrecedence() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
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
                let spans = try SpoolContents(reading: spool.path)
                let plain = try #require(spans.spans(named: "plain").first)
                #expect(plain.attributes.get("session.id") == "global-session")
                #expect(plain.attributes.get("user.id") == "global-user")
                let inTrace = try #require(spans.spans(named: "in-trace").first)
                #expect(inTrace.attributes.get("session.id") == "trace-session")
                #expect(inTrace.attributes.get("user.id") == "global-user")
                let inScope = try #require(spans.spans(named: "in-scope").first)
                #expect(inScope.attributes.get("user.id") == "scoped-user")
                #expect(inScope.attributes.get("session.id") == "trace-session")
                #expect(inScope.attributes.get("metadata") == #"{"env":"test","step":"1"}"#)
                let child = try #require(spans.spans(named: "child-task").first)
                #expect(child.attributes.get("gen_ai.conversation.id") == "conv")
            }
        }

        @Test("scores by trace id later, activity records, input/output capture switches and limits")
        func scoresActivityAndCapture() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.maxInputOutputBytes = 20 }
                var traceID: TraceID?
                tracer.trace("work") { trace in
                    traceID = trace.traceID
                    tracer.recordCheckpoint("after-plan", id: "cp-1")
                    tracer.recordFileOperation(.edit, path: "Sources/a.swift", sizeBytes: 120)
                    tracer.recordCommand("swift build", exitCode: 0, stdout: "Build complete!", durationMillis: 1200)
                    tracer.recordGitCommit(
                        sha: "0123456789abcdef", repository: "https://example.com/r.git", branch: "main", message: "fix"
                    )
                    tracer.withTool("big") { t in t.setOutput(String(repeating: "x", count: 100)) }
                    tracer.withTool("silent") { t in
                        t.setCaptureInputOutput(false)
                        t.setInput("secret")
                    }
                }
                tracer.score(traceID: try #require(traceID), "quality", .numeric(0.8), comment: "good")
                tracer.score(traceID: try #require(traceID), "label", .categorical("helpful"))
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                let root = try #require(spans.spans(named: "work").first)
                func activity(_ name: String) throws -> RecordedSpan {
                    try #require(spans.spans.first { $0.attributes.get("tracespool.activity") == .string(name) })
                }
                #expect(try activity("checkpoint").attributes.get("checkpoint.id") == "cp-1")
                #expect(try activity("checkpoint").parentSpanID == root.spanID)
                #expect(try activity("file_operation").attributes.get("file.operation") == "edit")
                #expect(try activity("terminal_command").attributes.get("process.exit_code") == 0)
                #expect(try activity("git_commit").attributes.get("vcs.ref.head.revision") == "0123456789abcdef")
                let quality = try #require(spans.spans.first { $0.attributes.get("score.name") == "quality" })
                #expect(quality.traceID == root.traceID)
                #expect(quality.parentSpanID == nil)
                #expect(quality.attributes.get("score.value") == .double(0.8))
                #expect(quality.attributes.get("score.comment") == "good")
                #expect(quality.attributes.get("score.data_type") == "NUMERIC")
                let label = try #require(spans.spans.first { $0.attributes.get("score.name") == "label" })
                #expect(label.attributes.get("score.value") == "helpful")
                let big = try #require(spans.spans(named: "big").first)
                #expect(big.string("output.value")?.hasPrefix(String(repeating: "x", count: 20)) == true)
                #expect(big.string("output.value")?.hasSuffix("[truncated]") == true)
                #expect(try #require(spans.spans(named: "silent").first).attributes.get("input.value") == nil)
            }
        }
    }
}
