import SpoolBase
import TraceSpool

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs one event as a traced agent invocation (`Docs/Tracer.md`, "tracespool-lambda-demo").
struct DemoHandler: Sendable {
    /// The attribute every span of an invocation carries: the Lambda request id.
    static let requestIDAttribute = "tracespool.demo.request_id"

    /// The error of an event whose `then` is `fail`.
    struct RequestedFailure: Error, CustomStringConvertible {
        var description: String { "the event asked the handler to fail (\"then\": \"fail\")" }
    }

    let tracer: SpoolTracer

    /// Runs `event` inside `tracer.withInvocation` and returns the response document.
    ///
    /// - Throws: `RequestedFailure` for `"then": "fail"` (after the spans are recorded and flushed).
    func handle(_ invocation: FunctionInvocation, _ event: DemoEvent) async throws -> [UInt8] {
        let incompleteBefore = tracer.statistics.invocationFlushesIncomplete
        let traceID = try await tracer.withInvocation(invocation) { span in
            span.setAttribute(Self.requestIDAttribute, invocation.requestID)
            if event.spans > 1 { recordAgent(children: event.spans - 1, requestID: invocation.requestID) }
            if event.workMillis > 0 { try? await Task.sleep(for: .milliseconds(event.workMillis)) }
            switch event.then {
            case .respond: break
            case .fail: throw RequestedFailure()
            case .hang:
                await flushChildren(event)
                while true { try? await Task.sleep(for: .seconds(3600)) }
            case .crash:
                await flushChildren(event)
                // The default action, so that the Swift runtime's backtracer (a handler that can take seconds, or
                // stall when its helper is missing) does not stand between the crash and the platform.
                signal(SIGABRT, SIG_DFL)
                abort()
            }
            return span.traceID.map { "\($0)" } ?? ""
        }
        let flushed = tracer.statistics.invocationFlushesIncomplete == incompleteBefore
        var w = JSONWriter()
        w.beginObject()
        w.key("requestId")
        w.string(invocation.requestID)
        w.key("traceId")
        w.string(traceID)
        w.key("spans")
        w.number(event.spans)
        w.key("flushed")
        w.bool(flushed)
        w.endObject()
        return w.bytes
    }

    /// Flushes the children of a `hang` or `crash` invocation and says so on standard error.
    func flushChildren(_ event: DemoEvent) async {
        let flushed = await tracer.flush(timeoutMillis: tracer.configuration.flushTimeoutMillis)
        TraceSpoolLambdaDemo.fail(
            "\(event.then.rawValue) after flushing \(event.spans - 1) spans (flushed: \(flushed))")
    }

    /// Records `children` spans: an agent span and, inside it, `children − 1` generation and tool spans taking turns.
    func recordAgent(children: Int, requestID: String) {
        tracer.withAgent("support-agent", input: ["question": "Where is my order?"]) { agent in
            agent.setAttribute(Self.requestIDAttribute, requestID)
            for i in 0..<(children - 1) {
                if i % 2 == 0 {
                    tracer.withGeneration(
                        "chat demo-model", model: "demo-model", system: "demo",
                        messages: [ChatMessage(role: "user", content: "Where is order A-\(1000 + i)?")]
                    ) { generation in
                        generation.setAttribute(Self.requestIDAttribute, requestID)
                        generation.setOutputMessages([
                            ChatMessage(role: "assistant", content: "Let me look order A-\(1000 + i) up.")
                        ])
                        generation.setUsage(inputTokens: 120, outputTokens: 40, costUSD: 0.0001)
                    }
                } else {
                    tracer.withTool("search_orders", input: ["order": "A-\(1000 + i)"]) { tool in
                        tool.setAttribute(Self.requestIDAttribute, requestID)
                        tool.setOutput(["status": "shipped"])
                    }
                }
            }
            agent.setOutput(["answer": "Your order has shipped."])
        }
    }
}
