import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Sessions")
    struct AgentSessionTests {
        @Test("a session's traces carry its id, user and metadata on every span, and its name on each trace span")
        func sessionGroupsTraces() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let session = tracer.session(
                    "chat-42", name: "support chat", user: "u-7", metadata: ["tier": "gold", "region": "eu"])
                session.trace("turn-1") { _ in
                    tracer.withTool("lookup") { _ in }
                }
                await session.trace("turn-2", metadata: ["region": "us"]) { _ in
                    await tracer.step("think", type: .thought) { _ in await Task.yield() }
                }
                tracer.withSpan(.custom, "outside") { _ in }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                let turn1 = try #require(spans.spans(named: "turn-1").first)
                let turn2 = try #require(spans.spans(named: "turn-2").first)
                #expect(turn1.traceID != turn2.traceID)
                for name in ["turn-1", "lookup", "turn-2", "think"] {
                    let span = try #require(spans.spans(named: name).first)
                    #expect(span.attributes.get(AttributeNames.sessionID) == "chat-42", "\(name)")
                    #expect(span.attributes.get(AttributeNames.userID) == "u-7", "\(name)")
                }
                #expect(turn1.attributes.get(AttributeNames.sessionName) == "support chat")
                #expect(turn2.attributes.get(AttributeNames.sessionName) == "support chat")
                #expect(spans.spans(named: "lookup").first?.attributes.get(AttributeNames.sessionName) == nil)
                #expect(
                    spans.spans(named: "lookup").first?.attributes.get(AttributeNames.metadata)
                        == #"{"region":"eu","tier":"gold"}"#)
                // The trace's own metadata wins per key over the session's.
                #expect(
                    spans.spans(named: "think").first?.attributes.get(AttributeNames.metadata)
                        == #"{"region":"us","tier":"gold"}"#)
                let outside = try #require(spans.spans(named: "outside").first)
                #expect(outside.attributes.get(AttributeNames.sessionID) == nil)
                #expect(outside.attributes.get(AttributeNames.sessionName) == nil)
            }
        }

        @Test("a trace's user overrides the session's; a session without name writes no name")
        func traceUserOverridesSessionUser() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let session = tracer.session("s-1", user: "owner")
                session.trace("t", user: "guest") { _ in }
                tracer.shutdown()
                let trace = try #require(try SpoolContents(reading: spool.path).spans(named: "t").first)
                #expect(trace.attributes.get(AttributeNames.userID) == "guest")
                #expect(trace.attributes.get(AttributeNames.sessionID) == "s-1")
                #expect(trace.attributes.get(AttributeNames.sessionName) == nil)
                #expect(trace.attributes.get(AttributeNames.metadata) == nil)
            }
        }
    }
}
