import Synchronization
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// `startSpan` is spelled as swift-distributed-tracing spells it (`_:context:ofKind:` and `at:`), and each call
    /// shape resolves to one overload: TraceSpool's fast one unless an instant is given.
    @Suite("startSpan overloads")
    struct StartSpanOverloadTests {
        /// Counts calls.
        final class Counter: Sendable {
            private let calls = Atomic<Int>(0)
            func increment() { calls.add(1, ordering: .relaxed) }
            var count: Int { calls.load(ordering: .relaxed) }
        }

        /// A tracer writing into `spool` that counts the spans started through the generic `Tracer` requirement.
        static func countingTracer(_ spool: TemporarySpool, _ generic: Counter) -> SpoolTracer {
            SpoolTracer(
                configuration: spool.configuration, logger: nil,
                testHooks: TracerTestHooks(startedAtInstant: { generic.increment() }))
        }

        @Test("calls without an instant take the fast overload; an explicit instant takes the generic one")
        func resolution() throws {
            try withTemporarySpool { spool in
                let generic = Counter()
                let tracer = Self.countingTracer(spool, generic)
                let clock = ManualClock()
                let parent = tracer.startSpan("parent", ofKind: .server)

                tracer.startSpan("plain").end()
                tracer.startSpan("client", ofKind: .client).end()
                tracer.startSpan("child", context: parent.context, ofKind: .server).end()
                tracer.startSpan("with-context", context: parent.context).end()
                tracer.startSpan("with-attributes", ofKind: .producer, attributes: [.int("n", 1)]).end()
                tracer.startSpan(.tool, "typed", context: parent.context, ofKind: .client).end()
                tracer.withSpan(.tool, "typed-scoped", ofKind: .client) { _ in }
                #expect(generic.count == 0)

                let instant = clock.now
                tracer.startSpan("at", at: instant).end(at: clock.now.advanced(by: .milliseconds(5)))
                #expect(generic.count == 1)
                tracer.withSpan("scoped", ofKind: .consumer) { _ in }
                #expect(generic.count == 2)
                parent.end()

                #expect(tracer.flush(timeoutMillis: 60_000))
                let contents = try TraceSpoolTesting.SpoolContents(reading: spool.path)
                #expect(contents.isIntact)
                let root = try #require(contents.span(named: "parent"))
                #expect(root.kind == .server)
                #expect(try #require(contents.span(named: "plain")).kind == .internal)
                #expect(try #require(contents.span(named: "client")).kind == .client)
                let child = try #require(contents.span(named: "child"))
                #expect(child.kind == .server)
                #expect(child.parentSpanID == root.spanID)
                #expect(try #require(contents.span(named: "with-context")).parentSpanID == root.spanID)
                let withAttributes = try #require(contents.span(named: "with-attributes"))
                #expect(withAttributes.kind == .producer)
                #expect(withAttributes.attributes.get("n") == 1)
                let typed = try #require(contents.span(named: "typed"))
                #expect(typed.kind == .client)
                #expect(typed.parentSpanID == root.spanID)
                #expect(typed.attributes.get("tracespool.span.type") == "tool")
                #expect(try #require(contents.span(named: "typed-scoped")).kind == .client)
                let at = try #require(contents.span(named: "at"))
                #expect(at.startNanosecondsSinceEpoch == instant.nanosecondsSinceEpoch)
                #expect(at.endNanosecondsSinceEpoch == instant.nanosecondsSinceEpoch + 5_000_000)
                #expect(try #require(contents.span(named: "scoped")).kind == .consumer)
                // The fast overloads start spans at the real time, after the manual clock's 2023 instant.
                #expect(child.startNanosecondsSinceEpoch > instant.nanosecondsSinceEpoch)
                #expect(tracer.shutdown())
            }
        }
    }
}
