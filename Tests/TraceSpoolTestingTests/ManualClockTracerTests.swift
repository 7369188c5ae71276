import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

@Suite("ManualClock with SpoolTracer", .timeLimit(.minutes(1)))
struct ManualClockTracerTests {
    @Test("a span started and ended at the clock's instants has exactly those times")
    func exactTimes() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            let clock = ManualClock(now: .init(nanosecondsSinceEpoch: 1_234_567_890_123_456_789))
            let outer = tracer.startSpan("outer", at: clock.now)
            clock.advance(by: .microseconds(1500))
            let inner = tracer.startSpan("inner", context: outer.context, at: clock.now)
            inner.addEvent(SpanEvent(name: "halfway", at: clock.now.advanced(by: .nanoseconds(1))))
            clock.advance(by: .seconds(2))
            inner.end(at: clock.now)
            clock.advance(by: .nanoseconds(7))
            outer.end(at: clock.now)

            let contents = try await spool.contents()
            let o = try #require(contents.span(named: "outer"))
            let i = try #require(contents.span(named: "inner"))
            #expect(o.startNanosecondsSinceEpoch == 1_234_567_890_123_456_789)
            #expect(i.startNanosecondsSinceEpoch == 1_234_567_890_124_956_789)
            #expect(i.events.map(\.nanosecondsSinceEpoch) == [1_234_567_890_124_956_790])
            #expect(i.endNanosecondsSinceEpoch == 1_234_567_892_124_956_789)
            #expect(o.endNanosecondsSinceEpoch == 1_234_567_892_124_956_796)
            #expect(i.parentSpanID == o.spanID)
        }
    }
}
