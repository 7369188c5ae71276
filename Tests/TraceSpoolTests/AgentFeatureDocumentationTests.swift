import Synchronization
import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

// The examples of Docs/Tracer.md's sections on sessions, steps, baggage and processors (and of MirroringProcessor's
// doc comment), verbatim, run against a temporary spool where they can be.
extension TracerTests {
    @Suite("Agent feature documentation examples")
    struct AgentFeatureDocumentationTests {
        struct User { var status: String }
        struct Inventory { func check(_ sku: String) throws {} }
        struct Request { var headers: [String: String] }

        static func sessionExample(_ tracer: SpoolTracer) async {
            let session = tracer.session("chat-42", name: "support chat", user: "u-7", metadata: ["tier": "gold"])
            session.trace("turn-1") { _ in
                tracer.withTool("lookup") { _ in }
            }
            await session.trace("turn-2", metadata: ["region": "us"]) { _ in
                await tracer.step("answer") { _ in }
            }
        }

        @Test("the sessions example groups both traces under the session")
        func sessions() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                await Self.sessionExample(tracer)
                tracer.shutdown()
                let contents = try SpoolContents(reading: spool.path)
                for name in ["turn-1", "lookup", "turn-2", "answer"] {
                    #expect(try #require(contents.span(named: name)).attributes.get("session.id") == "chat-42")
                }
                #expect(contents.span(named: "turn-2")?.attributes.get("tracespool.session.name") == "support chat")
            }
        }

        static func stepsExample(_ tracer: SpoolTracer, inventory: Inventory, user: User) throws {
            func validate(_ user: User) {
                // Sets `output.value` of whatever span is current, without holding it (the seeds' `set_result`).
                SpoolTracer.setCurrentOutput(["valid": user.status == "active"])
            }

            try tracer.trace("checkout") { _ in
                tracer.step("plan", type: .thought) { _ in }
                try tracer.step("query-inventory", type: .tool, input: ["sku": "A123"]) { _ in
                    try inventory.check("A123")
                }
                tracer.step("validate-user") { _ in validate(user) }  // type observation, the default
                SpoolSpan.currentTrace?.setAttribute("items", 3)  // the `checkout` span
                SpoolSpan.current?.setAttribute("paid", true)  // the `checkout` span too, outside the steps
            }
        }

        @Test("the steps example records the step types, the current span's output and the current trace")
        func steps() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                try Self.stepsExample(tracer, inventory: Inventory(), user: User(status: "active"))
                tracer.shutdown()
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.span(named: "plan")?.attributes.get("tracespool.span.type") == "thought")
                #expect(contents.span(named: "validate-user")?.attributes.get("output.value") == #"{"valid":true}"#)
                let checkout = try #require(contents.span(named: "checkout")).attributes
                #expect(checkout.get("items") == 3)
                #expect(checkout.get("paid") == true)
            }
        }

        @Test("the baggage example propagates its entries and copies the configured one onto the callee's spans")
        func baggage() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.baggageAttributes = BaggageAttributes(keys: ["tenant"]) }
                // Caller: entries for everything started inside, and for the outgoing request's headers.
                var request = Request(headers: [:])
                withBaggage(["tenant": "acme", "user.id": "u 1"]) {
                    tracer.withSpan(.tool, "call-billing") { span in
                        tracer.inject(span.context, into: &request.headers, using: DictionaryInjector())
                        // request.headers["baggage"] == "tenant=acme,user.id=u%201"
                    }
                }

                // Callee, with `TRACESPOOL_BAGGAGE_ATTRIBUTES=tenant`: its spans record `tenant=acme`.
                var context = InstrumentationContext.topLevel
                tracer.extract(request.headers, into: &context, using: HeaderExtractor())
                tracer.startSpan("handle", context: context).end()
                let tenant = context.baggage?["tenant"]  // or `Baggage.current["tenant"]` inside a span of that context

                #expect(request.headers["baggage"] == "tenant=acme,user.id=u%201")
                #expect(tenant == "acme")
                tracer.shutdown()
                let handle = try #require(try SpoolContents(reading: spool.path).span(named: "handle")).attributes
                #expect(handle.get("tenant") == "acme")
                #expect(handle.get("user.id") == nil)
            }
        }

        /// Compiled, not run: it builds tracers from the environment.
        static func processorsExample(otherTracer: NoOpTracer) -> SpoolTracer {
            final class CountingProcessor: SpanProcessor {
                let ended = Atomic<Int>(0)
                func onEnd(_ span: SpanSnapshot) -> SpanDecision {
                    ended.add(1, ordering: .relaxed)
                    return .record
                }
            }

            struct KeepErrorsAndSlowSpans: SpanProcessor {
                var slowNanos: UInt64 = 500_000_000  // 0.5 s
                func onEnd(_ span: SpanSnapshot) -> SpanDecision {
                    span.isError || span.durationNanos >= slowNanos ? .record : .discard
                }
            }

            var configuration = TracerConfiguration.fromEnvironment()
            configuration.processors = [
                CountingProcessor(), KeepErrorsAndSlowSpans(), MirroringProcessor(tracer: otherTracer),
            ]
            let tracer = SpoolTracer(configuration: configuration)
            return tracer
        }

        /// Compiled, not run: it builds a tracer from the environment.
        static func mirroringExample(otelTracer: NoOpTracer) -> SpoolTracer {
            var configuration = TracerConfiguration.fromEnvironment()
            configuration.processors = [MirroringProcessor(tracer: otelTracer)]
            let tracer = SpoolTracer(configuration: configuration)
            return tracer
        }

        @Test("the export example gives the trace's dictionary")
        func export() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                var exported: [String: SpanAttribute]?
                tracer.trace("support", session: "group-7", metadata: ["tier": "gold"]) { span in
                    exported = span.exportTrace()
                    // ["object": "trace", "id": "<32 hex digits>", "workflow_name": "support", "group_id": "group-7",
                    //  "metadata": "{\"tier\":\"gold\"}"]
                }
                tracer.shutdown()
                #expect(exported?["object"] == "trace")
                #expect(exported?["workflow_name"] == "support")
                #expect(exported?["group_id"] == "group-7")
            }
        }
    }
}
