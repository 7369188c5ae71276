import Foundation
import SpoolFormat
import Testing
import TraceSpool
import TraceSpoolTesting

// The code of every `swift` block of Docs/Testing.md, verbatim: compiled and run here, and checked against the
// document by `DocumentationTests`.

/// The code under test: a support agent that plans with a model, then looks the order up.
func answer(_ question: String, tracer: SpoolTracer) throws -> String {
    try tracer.withAgent("support") { _ in
        let plan = tracer.withGeneration("plan", model: "gpt-4o-mini") { generation in
            generation.setUsage(inputTokens: 120, outputTokens: 30)
            return "look the order up"
        }
        return try tracer.withTool("lookup_order", input: ["question": question]) { tool in
            guard question.contains("A-1") else { throw OrderNotFound() }
            tool.setOutput(["status": "shipped"])
            return "shipped (\(plan))"
        }
    }
}

struct OrderNotFound: Error {}

@Test func answerIsTraced() async throws {
    try await withTemporarySpool(serviceName: "support-bot") { spool in
        let tracer = spool.makeTracer()
        #expect(try answer("Where is A-1?", tracer: tracer) == "shipped (look the order up)")

        let contents = try await spool.contents()  // flushes the tracer, then reads the spool
        #expect(contents.isIntact)  // nothing dropped, damaged or unreadable
        let agent = try #require(contents.span(named: "support"))
        #expect(agent.parentSpanID == nil)
        #expect(agent.resource.get("service.name") == "support-bot")
        let steps = contents.children(of: agent)
        #expect(steps.map(\.operationName).sorted() == ["lookup_order", "plan"])
        let plan = try #require(steps.first { $0.operationName == "plan" })
        #expect(plan.kind == .client)
        #expect(plan.attributes.get("gen_ai.usage.input_tokens") == 120)
        #expect(plan.attributes.get("gen_ai.request.model") == "gpt-4o-mini")
    }
}

@Test func failedLookupIsAnError() async throws {
    try await withTemporarySpool { spool in
        let tracer = spool.makeTracer()
        #expect(throws: OrderNotFound.self) { try answer("Where is B-2?", tracer: tracer) }

        let contents = try await spool.contents()
        let lookup = try #require(contents.span(named: "lookup_order"))
        #expect(lookup.status?.code == .error)
        #expect(lookup.events.map(\.name) == ["exception"])
        #expect(lookup.parentSpanID == contents.span(named: "support")?.spanID)
    }
}

@Test func stepTakesExactly250Milliseconds() async throws {
    try await withTemporarySpool { spool in
        let tracer = spool.makeTracer()
        let clock = ManualClock()
        let span = tracer.startSpan("step", at: clock.now)
        clock.advance(by: .milliseconds(250))
        span.end(at: clock.now)

        let step = try #require(try await spool.contents().span(named: "step"))
        #expect(step.startNanosecondsSinceEpoch == clock.now.nanosecondsSinceEpoch - 250_000_000)
        #expect(step.endNanosecondsSinceEpoch == clock.now.nanosecondsSinceEpoch)
    }
}

@Test func aDamagedFrameLosesOnlyItsOwnSpans() throws {
    try withTemporarySpool { spool in
        var segment = SegmentBuilder()
        try segment.appendFrame(spans: [RecordedSpan(operationName: "kept")])
        let damaged = try segment.appendFrame(
            spans: [RecordedSpan(operationName: "lost")], drops: DropCounts([.queueFull: 3]))
        try segment.appendFrame(spans: [RecordedSpan(operationName: "salvaged")])
        segment.flipBit(at: damaged.payloadOffset)
        try segment.write(into: spool.path)

        let contents = try spool.contents()
        #expect(contents.spans.map(\.operationName) == ["kept", "salvaged"])
        #expect(contents.damages.map(\.reason) == [.payloadChecksumMismatch])
        #expect(contents.drops.isEmpty)  // the drop record was in the damaged frame
    }
}

@Test func aLiveWritersSegmentGrows() throws {
    try withTemporarySpool { spool in
        var segment = SegmentBuilder()
        try segment.appendFrame(spans: [RecordedSpan(operationName: "first")])
        let live = try segment.writeLive(into: spool.path)  // `.open`, its lock held
        let next = try segment.appendFrame(spans: [RecordedSpan(operationName: "second")])
        try live.append(segment.bytes[next.offset...])
        #expect(try spool.spans().map(\.operationName) == ["first", "second"])
        live.abandon()  // the writer dies: the segment stays `.open`, unlocked
    }
}

// The code of the `swift` block of Docs/Tracer.md, "Serverless", verbatim, and its check.

struct MissingRequestID: Error {}

/// Handles one Lambda invocation: `headers` are those of the Runtime API's `GET …/invocation/next` answer.
func handle(headers: [(String, String)], question: String, tracer: SpoolTracer) throws -> String {
    guard let invocation = FunctionInvocation(runtimeHeaders: headers, trigger: .http) else {
        throw MissingRequestID()
    }
    // The SERVER span; flushed within the time left before the deadline, then marked done for the extension.
    return try tracer.withInvocation(invocation) { _ in
        try answer(question, tracer: tracer)
    }
}

@Test func aLambdaInvocationIsOneServerSpanMarkedDone() async throws {
    try await withTemporarySpool { spool in
        let tracer = spool.makeTracer()
        let headers = [
            ("Lambda-Runtime-Aws-Request-Id", "8476a536-e9f4-11e8-9739-2dfe598c3fcd"),
            ("Lambda-Runtime-Deadline-Ms", "4102444800000"),
            ("Lambda-Runtime-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"),
        ]
        #expect(
            try handle(headers: headers, question: "Where is A-1?", tracer: tracer) == "shipped (look the order up)")
        #expect(throws: MissingRequestID.self) { try handle(headers: [], question: "?", tracer: tracer) }
        #expect(
            FileManager.default.fileExists(atPath: spool.path + "/invocation-8476a536-e9f4-11e8-9739-2dfe598c3fcd.done")
        )
        let contents = try await spool.contents()
        let server = try #require(contents.span(named: "invocation"))
        #expect(server.kind == .server)
        #expect(server.attributes.get("faas.trigger") == "http")
        #expect(server.links.map(\.traceID) == [TraceID(hex: "5759e988bd862e3fe1be46a994272793")])
        #expect(contents.span(named: "support")?.parentSpanID == server.spanID)
    }
}
