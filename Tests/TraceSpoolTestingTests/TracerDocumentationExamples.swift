import Foundation
import SpoolFormat
import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

// The `swift` blocks of README.md and Docs/Tracer.md and of the `///` comments of Sources/TraceSpool and
// Sources/TraceSpoolTesting, verbatim (checked by `DocumentationTests`), inside functions that give them what they
// use. Examples that bootstrap the process-wide instrumentation, set the process-wide agent context, write to the
// default spool directory or handle signals are only compiled; the others run on a temporary spool.

// MARK: README.md

/// The README's model client.
struct ReadmeModel {
    struct Reply {
        var text: String
        var inputTokens: Int
        var outputTokens: Int
    }

    func complete(_ question: String) async throws -> Reply {
        Reply(text: "Your order ships today.", inputTokens: 248, outputTokens: 80)
    }
}

/// Compiled only: `SpoolTracer()` writes to the default spool directory of the test process.
func readmeExample(model: ReadmeModel) async throws -> String {
    let tracer = SpoolTracer()  // configured by OTEL_SERVICE_NAME, TRACESPOOL_DIR, OTEL_TRACES_SAMPLER, ...

    func handle(_ question: String) async throws -> String {
        defer { _ = tracer.flush(timeoutMillis: 200) }  // durable on local disk before the function is frozen
        return try await tracer.trace("support-request", session: "s-42", input: question) { _ in
            try await tracer.withGeneration("chat", model: "gpt-4o-mini") { generation in
                let reply = try await model.complete(question)  // your LLM client
                generation.setUsage(inputTokens: reply.inputTokens, outputTokens: reply.outputTokens)
                return reply.text
            }
        }
    }
    return try await handle("Where is my order?")
}

// MARK: Docs/Tracer.md

/// Compiled only: it bootstraps the process-wide instrumentation.
func tracerQuickStartExample() {
    let tracer = SpoolTracer(configuration: .fromEnvironment())
    InstrumentationSystem.bootstrap(tracer)

    // Standard swift-distributed-tracing API:
    withSpan("handle-request", ofKind: .server) { span in
        span.attributes["http.request.method"] = "POST"
    }

    // Before a serverless invocation returns (or the process is frozen):
    let durable = tracer.flush(timeoutMillis: 500)  // true = every ended span is fdatasync'ed
    _ = durable
}

/// What the agent tour's model returns.
struct TourReply {
    var text: String
    var promptTokens: Int
    var completionTokens: Int
    var cost: Double
}

/// The agent tour's model.
struct TourModel {
    func complete(_ question: String) async throws -> TourReply {
        TourReply(text: "It ships today.", promptTokens: 120, completionTokens: 30, cost: 0.0004)
    }
}

/// What the agent tour's database holds.
struct TourOrder: Encodable {
    var id: String
    var status: String
}

/// The agent tour's database.
struct TourDatabase {
    func order(_ id: String) throws -> TourOrder { TourOrder(id: id, status: "shipped") }
}

func agentTourExample(
    tracer: SpoolTracer, question: String, llm: TourModel, db: TourDatabase, savedTraceID: TraceID
) async throws -> String {
    let (log, warnings) = ("Build complete!", "")
    let (old, new) = ("print(1)", "print(2)")
    let (sha, laterSHA) = ("3f2c1a9b8e7d6c5b4a39281706f5e4d3c2b1a098", "4a5b6c7d8e9f00112233445566778899aabbccdd")
    let repoURL = "https://example.com/app.git"
    let answer = try await tracer.trace(
        "support-request", session: "sess-7", user: "u-42",
        metadata: ["region": "eu"], tags: ["beta"], input: question
    ) { trace in
        try await tracer.withAgent("planner") { agent in
            let reply = try await tracer.withGeneration(
                "chat", model: "gpt-4o-mini", system: "openai",
                parameters: ["temperature": 0.2],
                messages: [ChatMessage(role: "user", content: question)]
            ) { generation in
                let reply = try await llm.complete(question)
                generation.setOutputMessages([ChatMessage(role: "assistant", content: reply.text)])
                generation.setUsage(
                    inputTokens: reply.promptTokens, outputTokens: reply.completionTokens,
                    costUSD: reply.cost)
                return reply.text
            }
            let order = try tracer.withTool("lookup_order", input: ["id": "A-1"]) { tool in
                let order = try db.order("A-1")
                tool.setOutput(order)  // any Encodable, captured as JSON
                return order
            }
            tracer.withRetrieval("kb-search", query: "shipping policy") { _ in /* ... */ }
            tracer.withHandoff(from: "planner", to: "writer") { _ in /* ... */ }
            tracer.withGuardrail("pii-filter") { g in g.setLevel(.warning) }
            tracer.recordCommand("swift build", exitCode: 0, stdout: log, stderr: warnings, durationMillis: 8_200)
            tracer.recordFileOperation(.edit, path: "Sources/App/main.swift", sizeBytes: 812, before: old, after: new)
            tracer.recordCheckpoint("after-plan", id: "cp-3", description: "plan ready", files: ["Plan.md"])
            tracer.recordGitCommit(sha: sha, repository: repoURL, branch: "main", message: "Fix order lookup")
            agent.score("helpful", .boolean(order.status == "shipped"))
            return reply
        }
    }
    // Later, e.g. from user feedback, knowing only the ids:
    tracer.score(traceID: savedTraceID, "user-rating", .numeric(4), comment: "fast answer")
    tracer.recordGitCommit(traceID: savedTraceID, sha: laterSHA, branch: "main")  // spanID: optional parent
    return answer
}

@Test func theAgentTourRecordsItsSpans() async throws {
    try await withTemporarySpool { spool in
        let tracer = spool.makeTracer()
        let answer = try await agentTourExample(
            tracer: tracer, question: "Where is A-1?", llm: TourModel(), db: TourDatabase(),
            savedTraceID: TraceID(high: 1, low: 2))
        #expect(answer == "It ships today.")
        let contents = try await spool.contents()
        #expect(contents.isIntact)
        let trace = try #require(contents.span(named: "support-request"))
        #expect(trace.attributes.get("session.id") == "sess-7")
        #expect(contents.span(named: "lookup_order")?.attributes.get("user.id") == "u-42")
        #expect(contents.span(named: "chat")?.attributes.get("gen_ai.request.model") == "gpt-4o-mini")
    }
}

/// Compiled only: it sets the process-wide agent context.
func agentContextExample(tracer: SpoolTracer) {
    AgentContext.setUser("u-42")  // process-wide
    AgentContext.setSession("default-session")
    AgentContext.setMetadata(["deployment": "canary"])

    tracer.trace("job", session: "sess-9") { _ in  // the trace's own session overrides the global one
        withContext(user: "impersonated", metadata: ["step": "2"]) {  // innermost scope wins
            // Here user=impersonated, session=sess-9, metadata={"deployment":"canary","step":"2"}:
            tracer.withTool("t") { _ in }
        }
    }
}

/// Compiled only: it handles SIGTERM of the test process.
func sigtermExample(tracer: SpoolTracer) {
    signal(SIGTERM, SIG_IGN)  // the default action would end the process before any handler runs
    let sigterm = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
    sigterm.setEventHandler {
        tracer.shutdown(timeoutMillis: 2_000)  // flush and seal, at most 2 s
        exit(0)
    }
    sigterm.resume()
}

// MARK: Sources/TraceSpool

/// Compiled only: it bootstraps the process-wide instrumentation.
func spoolTracerDocumentationExample() {
    let tracer = SpoolTracer(configuration: .fromEnvironment())
    InstrumentationSystem.bootstrap(tracer)
    withSpan("handle-request") { span in span.attributes["user"] = "u1" }
    tracer.forceFlush()
}

// MARK: Sources/TraceSpoolTesting

@Test func theTemporarySpoolDocumentationExampleRuns() async throws {
    try await withTemporarySpool { spool in
        let tracer = spool.makeTracer()
        tracer.withSpan(.tool, "lookup") { _ in }
        let contents = try await spool.contents()  // flushes `tracer` first
        #expect(contents.isIntact)
        #expect(contents.spans.map(\.operationName) == ["lookup"])
    }
}

@Test func theRecordedSpanDocumentationExampleRuns() async throws {
    try await withTemporarySpool { spool in
        _ = try answer("Where is A-1?", tracer: spool.makeTracer())
        let contents = try await spool.contents()
        let tool = try #require(contents.span(named: "lookup_order"))
        #expect(tool.attributes.get("gen_ai.tool.name") == "lookup_order")
        #expect(tool.parentSpanID == contents.span(named: "support")?.spanID)
    }
}

@Test func theAttributeValueDocumentationExampleRuns() throws {
    let encoded = RecordedSpan(
        operationName: "upload",
        attributes: ["payload": .stringConvertible(RecordedSpan.AttributeValue.bytes([0xCA, 0xFE]))]
    ).encoded()
    let span = try RecordedSpan(decoding: encoded)
    if case .stringConvertible(let value as RecordedSpan.AttributeValue)? = span.attributes.get("payload") {
        #expect(value == .bytes([0xCA, 0xFE]))
    }
    // or, since `SpanAttribute` compares string-convertible values by their description:
    #expect(span.attributes.get("payload") == .stringConvertible(RecordedSpan.AttributeValue.bytes([0xCA, 0xFE])))
}

@Test func theSegmentBuilderDocumentationExampleRuns() throws {
    try withTemporarySpool { spool in
        var segment = SegmentBuilder()
        try segment.appendFrame(spans: [RecordedSpan(operationName: "a")])
        let second = try segment.appendFrame(
            spans: [RecordedSpan(operationName: "b")], drops: DropCounts([.queueFull: 2]))
        segment.flipBit(at: second.payloadOffset)  // frame 1's payload CRC fails now
        let path = try segment.write(into: spool.path)  // a sealed `.seg` file
        #expect(path.hasSuffix(".seg"))
        #expect(try spool.contents().spans.map(\.operationName) == ["a"])
    }
}

@Test func theLiveSegmentDocumentationExampleRuns() throws {
    try withTemporarySpool { spool in
        var builder = SegmentBuilder()
        try builder.appendFrame(spans: [RecordedSpan(operationName: "first")])
        let live = try builder.writeLive(into: spool.path)
        let next = try builder.appendFrame(spans: [RecordedSpan(operationName: "second")])
        try live.append(builder.bytes[next.offset...])
        try live.seal()
        #expect(try spool.spans().map(\.operationName) == ["first", "second"])
    }
}

@Test func theManualClockDocumentationExampleRuns() async throws {
    let clock = ManualClock()
    let sleeper = Task { try await clock.sleep(for: .seconds(30)) }
    await clock.waitForSleepers(count: 1)  // the task is asleep now
    clock.advance(by: .seconds(30))  // and wakes
    try await sleeper.value
}
