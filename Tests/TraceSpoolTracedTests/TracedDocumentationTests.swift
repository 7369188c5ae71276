import Testing
import TraceSpoolTesting
import TraceSpoolTraced  // Package.swift: .product(name: "TraceSpoolTraced", package: "TraceSpool")
import Tracing

// The example of Docs/Tracer.md, "`@Traced`" (and of `Traced`'s doc comment), verbatim, with the store it calls.

/// The order store of the documentation's example.
struct OrderStore: Sendable {
    func orders(matching order: String, limit: Int) async throws -> [String] {
        await Task.yield()
        return Array(["\(order)-1", "\(order)-2", "\(order)-3", "\(order)-4"].prefix(limit))
    }
}

let store = OrderStore()

@Traced(type: .tool, captureInput: true, captureOutput: true)
func lookup(order: String, limit: Int) async throws -> [String] {
    try await store.orders(matching: order, limit: limit)
}

struct Planner {
    let tracer: SpoolTracer

    @Traced(type: .agent, tracer: \Self.tracer)  // the tracer this instance holds
    func plan(goal: String) async throws -> [String] {
        try await lookup(order: goal, limit: 3)
    }
}

@Suite("@Traced documentation example")
struct TracedDocumentationTests {
    @Test("the planner's span is an agent span on its own tracer; lookup a tool span with input and output")
    func example() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            let orders = try await withTracer(tracer) { try await Planner(tracer: tracer).plan(goal: "A") }
            #expect(orders == ["A-1", "A-2", "A-3"])
            let contents = try await spool.contents()
            let plan = try #require(contents.span(named: "plan(goal:)"))
            #expect(plan.attributes.get("tracespool.span.type") == "agent")
            let lookup = try #require(contents.span(named: "lookup(order:limit:)"))
            #expect(lookup.attributes.get("tracespool.span.type") == "tool")
            #expect(lookup.parentSpanID == plan.spanID)
            #expect(lookup.attributes.get("input.value") == #"{"limit":3,"order":"A"}"#)
            #expect(lookup.attributes.get("output.value") == #"["A-1","A-2","A-3"]"#)
        }
    }
}
