import Testing
import TraceSpoolTesting
import TraceSpoolTraced
import Tracing

// Functions traced with the default tracer: the tests bind a spool's tracer with `withTracer(_:_:)`, a task-local
// scope, so no process-wide bootstrap is changed.

@Traced
func add(_ a: Int, to b: Int) -> Int {
    a + b
}

typealias Formatter = (String) -> String

@Traced("lookup", type: .tool, captureInput: true, captureOutput: true)
func lookup(
    query: String, limit: Int, where keep: (String) -> Bool, format: Formatter = { $0 }, seen counter: inout Int
) -> [String] {
    counter += 1
    return ["a-1", "b-2", "a-3"].filter(keep).prefix(limit).map { format("\(query):\($0)") }
}

@Traced(captureOutput: true)
func identity<Value: Encodable>(_ value: Value) -> Value { value }

struct Exploded: Error, CustomStringConvertible {
    var description: String { "tool exploded" }
}

@Traced(captureInput: true)
func explode(code: Int) throws {
    if code > 0 { throw Exploded() }
}

@Traced(type: .agent)
func plan(goal: String) async throws -> String {
    await Task.yield()
    let steps = try await step(goal)
    return "plan: \(steps)"
}

@Traced(captureOutput: true)
func step(_ goal: String) async throws -> Int {
    await Task.yield()
    if goal.isEmpty { throw Exploded() }
    return goal.count
}

@Traced
func untouched() {}

struct Counter {
    var count = 0
    let tracer: SpoolTracer

    @Traced(tracer: \Self.tracer)
    mutating func increment(by amount: Int) {
        count += amount
    }

    @Traced("Counter.make", captureInput: true)
    static func make(tracer: SpoolTracer) -> Counter {
        Counter(tracer: tracer)
    }
}

@Suite("@Traced functions")
struct TracedTests {
    @Test("the span is named after the function, typed chain, with no input or output unless asked")
    func nameAndType() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            let sum = withTracer(tracer) { add(2, to: 3) }
            #expect(sum == 5)
            let span = try #require(try await spool.contents().span(named: "add(_:to:)"))
            #expect(span.attributes.get("tracespool.span.type") == "chain")
            #expect(span.attributes.get("openinference.span.kind") == "CHAIN")
            #expect(span.attributes.get("input.value") == nil)
            #expect(span.attributes.get("output.value") == nil)
            #expect(span.status?.code != .error)
        }
    }

    @Test("custom name and tool type; Encodable arguments as input (closures, inout left out), result as output")
    func captureInputOutput() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            var counter = 0
            let found = withTracer(tracer) {
                lookup(query: "q", limit: 1, where: { $0.hasPrefix("a") }, seen: &counter)
            }
            #expect(found == ["q:a-1"])
            #expect(counter == 1)
            let span = try #require(try await spool.contents().span(named: "lookup"))
            #expect(span.attributes.get("tracespool.span.type") == "tool")
            #expect(span.attributes.get("gen_ai.tool.name") == "lookup")
            #expect(span.attributes.get("input.value") == #"{"limit":1,"query":"q"}"#)
            #expect(span.attributes.get("input.mime_type") == "application/json")
            #expect(span.attributes.get("output.value") == #"["q:a-1"]"#)
        }
    }

    @Test("capture follows the tracer's switch: nothing recorded when captureInputOutput is off")
    func captureSwitchOff() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer { $0.captureInputOutput = false }
            var counter = 0
            _ = withTracer(tracer) { lookup(query: "q", limit: 2, where: { _ in true }, seen: &counter) }
            let span = try #require(try await spool.contents().span(named: "lookup"))
            #expect(span.attributes.get("input.value") == nil)
            #expect(span.attributes.get("output.value") == nil)
        }
    }

    @Test("a generic function's result is captured")
    func genericFunction() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            #expect(withTracer(tracer) { identity(["k": 7]) } == ["k": 7])
            let span = try #require(try await spool.contents().span(named: "identity(_:)"))
            #expect(span.attributes.get("output.value") == #"{"k":7}"#)
        }
    }

    @Test("a thrown error is recorded (status error, exception event, level ERROR) and rethrown")
    func thrownError() throws {
        try withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            let outcomes = withTracer(tracer) { [Result { try explode(code: 1) }, Result { try explode(code: 0) }] }
            #expect(throws: Exploded.self) { try outcomes[0].get() }
            try outcomes[1].get()
            let spans = try spool.contents().spans(named: "explode(code:)")
            #expect(spans.count == 2)
            let failed = try #require(spans.first { $0.status?.code == .error })
            let exception = try #require(failed.events.first { $0.name == "exception" })
            #expect(exception.attributes.get("exception.message") == "tool exploded")
            #expect(failed.attributes.get("tracespool.level") == "ERROR")
            #expect(failed.attributes.get("input.value") == #"{"code":1}"#)
            let succeeded = try #require(spans.first { $0.status?.code != .error })
            #expect(succeeded.events.isEmpty)
            #expect(succeeded.attributes.get("tracespool.level") == nil)
        }
    }

    @Test("async functions: the span is current across suspensions, so a traced callee is its child")
    func asyncFunctions() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            let result = try await withTracer(tracer) { try await plan(goal: "ship") }
            #expect(result == "plan: 4")
            await #expect(throws: Exploded.self) { try await withTracer(tracer) { try await step("") } }
            let contents = try await spool.contents()
            let parent = try #require(contents.span(named: "plan(goal:)"))
            #expect(parent.attributes.get("tracespool.span.type") == "agent")
            #expect(parent.attributes.get("gen_ai.agent.name") == "plan(goal:)")
            let steps = contents.spans(named: "step(_:)")
            #expect(steps.count == 2)
            let child = try #require(steps.first { $0.parentSpanID == parent.spanID })
            #expect(child.traceID == parent.traceID)
            #expect(child.attributes.get("output.value") == "4")
            let failed = try #require(steps.first { $0.parentSpanID != parent.spanID })
            #expect(failed.status?.code == .error)
            #expect(failed.attributes.get("output.value") == nil)
        }
    }

    @Test("methods: a mutating method with the instance's tracer (key path), a static method")
    func methods() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            var counter = Counter(tracer: tracer)
            counter.increment(by: 2)
            counter.increment(by: 3)
            #expect(counter.count == 5)
            _ = withTracer(tracer) { Counter.make(tracer: tracer) }
            let contents = try await spool.contents()
            #expect(contents.spans(named: "increment(by:)").count == 2)
            let made = try #require(contents.span(named: "Counter.make"))
            #expect(made.attributes.get("input.value") == "{}")
        }
    }

    @Test("when the current tracer is not a SpoolTracer, the function runs without recording a span")
    func notASpoolTracer() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            withTracer(NoOpTracer()) {
                #expect(!TracedTracer.current.isEnabled)
                #expect(add(1, to: 1) == 2)
            }
            withTracer(tracer) {
                #expect(TracedTracer.current === tracer)
                untouched()
            }
            let names = try await spool.contents().spans.map(\.operationName)
            #expect(names == ["untouched()"])
        }
    }
}
