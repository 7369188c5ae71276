import SpoolFormat
import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

@Suite("Reading back what a tracer recorded", .timeLimit(.minutes(1)))
struct ReadBackTests {
    @Test("every field of a recorded span reads back as the tracer got it")
    func everyField() async throws {
        try await withTemporarySpool(serviceName: "read-back") { spool in
            let tracer = spool.makeTracer { $0.resourceAttributes = [("deployment.environment", "test")] }
            let clock = ManualClock()
            var remote = InstrumentationContext.topLevel
            let remoteTrace = TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10)
            remote.spoolSpanContext = SpoolSpanContext(
                traceID: remoteTrace, spanID: SpanID(0xAB), traceFlags: 1, traceState: "vendor=x", isRemote: true)
            let root = tracer.startSpan("handle", context: remote, ofKind: .server, at: clock.now)
            let linked = tracer.startSpan("elsewhere", context: .topLevel, at: clock.now)
            clock.advance(by: .milliseconds(3))
            let child = tracer.startSpan("query", context: root.context, ofKind: .client, at: clock.now)
            child.attributes["text"] = "select 1"
            child.setAttribute("int", 42)
            child.setAttribute("int32", .int32(7))
            child.setAttribute("double", 2.5)
            child.setAttribute("bool", true)
            child.setAttribute("strings", .stringArray(["a", "b"]))
            child.setAttribute("ints", .int64Array([1, 2]))
            child.setAttribute("doubles", .doubleArray([0.5]))
            child.setAttribute("bools", .boolArray([true, false]))
            child.setAttribute("empty", .int64Array([]))
            child.setAttribute("order", .stringConvertible(OrderNumber(value: 9)))
            child.addEvent(SpanEvent(name: "retry", at: clock.now, attributes: ["attempt": 2]))
            child.addLink(SpanLink(context: linked.context, attributes: ["why": "batch"]))
            child.setStatus(SpanStatus(code: .error, message: "timeout"))
            clock.advance(by: .milliseconds(5))
            child.end(at: clock.now)
            linked.end(at: clock.now)
            root.setStatus(SpanStatus(code: .ok))
            root.end(at: clock.now)

            let contents = try await spool.contents()
            #expect(contents.isIntact)
            #expect(contents.spans.map(\.operationName) == ["query", "elsewhere", "handle"])
            let handle = try #require(contents.span(named: "handle"))
            let query = try #require(contents.span(named: "query"))
            let elsewhere = try #require(contents.span(named: "elsewhere"))
            #expect(handle.traceID == remoteTrace && handle.parentSpanID == SpanID(0xAB))
            #expect(handle.spanID == root.spanID && handle.traceState == "vendor=x")
            #expect(handle.flags == 0x301 && query.flags == 0x101)
            #expect(handle.kind == .server && handle.status == SpanStatus(code: .ok))
            #expect(elsewhere.parentSpanID == nil && elsewhere.traceID == linked.traceID)
            #expect(query.parentSpanID == handle.spanID && query.traceID == handle.traceID)
            #expect(query.kind == .client && query.status == SpanStatus(code: .error, message: "timeout"))
            let start = clock.now.nanosecondsSinceEpoch - 8_000_000
            #expect(handle.startNanosecondsSinceEpoch == start)
            #expect(query.startNanosecondsSinceEpoch == start + 3_000_000)
            #expect(query.endNanosecondsSinceEpoch == start + 8_000_000)
            let expected: SpanAttributes = [
                "text": "select 1", "int": 42, "int32": .int64(7), "double": 2.5, "bool": true,
                "strings": .stringArray(["a", "b"]), "ints": .int64Array([1, 2]), "doubles": .doubleArray([0.5]),
                "bools": .boolArray([true, false]), "empty": .stringArray([]), "order": "order-9",
            ]
            #expect(query.attributes == expected)
            #expect(
                query.events == [
                    SpanEvent(
                        name: "retry", at: ManualClock.Instant(nanosecondsSinceEpoch: start + 3_000_000),
                        attributes: ["attempt": 2])
                ])
            #expect(
                query.links == [
                    RecordedSpan.Link(
                        traceID: try #require(linked.traceID), spanID: try #require(linked.spanID),
                        attributes: ["why": "batch"])
                ])
            #expect(query.resource.get("service.name") == "read-back")
            #expect(query.resource.get("deployment.environment") == "test")
            #expect(query.resource.get("telemetry.sdk.name") == "tracespool")
            #expect(query.droppedAttributeCount == 0 && query.droppedEventCount == 0 && query.droppedLinkCount == 0)
        }
    }

    @Test("lookups: by name, children of a span")
    func lookups() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            tracer.withSpan(.agent, "agent") { agent in
                tracer.withSpan(.tool, "step") { _ in tracer.withSpan(.tool, "inner") { _ in } }
                tracer.withSpan(.tool, "step") { _ in }
            }
            tracer.withSpan(.agent, "agent") { _ in }
            let contents = try await spool.contents()
            let agents = contents.spans(named: "agent")
            #expect(agents.count == 2)
            #expect(contents.span(named: "agent") == agents.first)
            #expect(contents.span(named: "missing") == nil)
            #expect(contents.children(of: agents[0]).map(\.operationName) == ["step", "step"])
            #expect(contents.children(of: agents[1]).isEmpty)
            let firstStep = try #require(contents.span(named: "step"))
            #expect(contents.children(of: firstStep).map(\.operationName) == ["inner"])
            // The same span id in another trace is not a parent.
            var stranger = firstStep
            stranger.traceID = TraceID(high: 7, low: 7)
            #expect(contents.children(of: stranger).isEmpty)
        }
    }

    @Test("drops the tracer counted read back, and the spool is no longer intact")
    func drops() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            let huge = tracer.startSpan("huge")
            huge.setAttribute("blob", String(repeating: "x", count: SpoolLimits.maxRecordBytes + 1))
            huge.end()
            tracer.startSpan("small").end()
            let contents = try await spool.contents()
            #expect(contents.spans.map(\.operationName) == ["small"])
            #expect(contents.drops == DropCounts([.recordTooLarge: 1]))
            #expect(contents.damages.isEmpty && contents.unreadable.isEmpty)
            #expect(!contents.isIntact)
        }
    }
}
