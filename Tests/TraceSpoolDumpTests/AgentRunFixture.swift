import OTLPWire
import SpoolFormat
import TraceSpoolTesting

/// One agent invocation as TraceSpool's agent layer records it — the names, kinds, attributes, status, error event
/// and flags its spans carry — built as OTLP spans, so the dump tests read the tracer's conventions without a tracer.
///
/// Trace `support-request` (session `sess-7`, user `u-42`) holds the agent `planner`, which holds a generation
/// `chat` (gpt-4o-mini, 120+30 tokens), the tool `lookup_order` and the failing tool `refund`; the trace
/// `follow-up` (session `sess-8`) holds the tool `notify`.
enum AgentRunFixture {
    /// 10 s after `Fixture.t0`, in Unix nanoseconds: the invocation's start.
    static let t0 = Fixture.t0 + 10_000 * Fixture.ms

    /// The OTLP flags the tracer writes for a sampled span with a local parent or none.
    static let flags: UInt32 = 0x101

    private static func span(
        trace: UInt8, _ n: UInt8, parent: UInt8?, name: String, kind: OTLPSpanKind = .internal, from: UInt64,
        to: UInt64, attributes: [(String, OTLPValue)], status: OTLPStatus = OTLPStatus(), events: [OTLPEvent] = []
    ) -> OTLPSpan {
        OTLPSpan(
            traceID: Fixture.traceID(trace), spanID: Fixture.spanID(trace, n),
            parentSpanID: parent.map { Fixture.spanID(trace, $0) } ?? [], flags: flags, name: name, kind: kind,
            startTimeUnixNano: t0 + from * Fixture.ms, endTimeUnixNano: t0 + to * Fixture.ms,
            attributes: attributes.map { OTLPKeyValue($0.0, $0.1) }, events: events, status: status)
    }

    /// The spans of `support-request`, in the order the tracer ends (and writes) them.
    static func supportRequest() -> [OTLPSpan] {
        let who: [(String, OTLPValue)] = [("session.id", .string("sess-7")), ("user.id", .string("u-42"))]
        return [
            span(
                trace: 0x71, 3, parent: 2, name: "chat", kind: .client, from: 20, to: 300,
                attributes: [
                    ("tracespool.span.type", .string("generation")), ("openinference.span.kind", .string("LLM")),
                    ("gen_ai.operation.name", .string("chat")), ("gen_ai.system", .string("openai")),
                    ("gen_ai.request.model", .string("gpt-4o-mini")), ("llm.model_name", .string("gpt-4o-mini")),
                    ("gen_ai.usage.input_tokens", .int(120)), ("gen_ai.usage.output_tokens", .int(30)),
                    ("llm.token_count.prompt", .int(120)), ("llm.token_count.completion", .int(30)),
                    ("llm.token_count.total", .int(150)),
                ] + who),
            span(
                trace: 0x71, 4, parent: 2, name: "lookup_order", from: 310, to: 600,
                attributes: [
                    ("tracespool.span.type", .string("tool")), ("openinference.span.kind", .string("TOOL")),
                    ("gen_ai.operation.name", .string("execute_tool")), ("gen_ai.tool.name", .string("lookup_order")),
                    ("tool.name", .string("lookup_order")), ("input.value", .string(#"{"id":"A-1"}"#)),
                    ("input.mime_type", .string("application/json")),
                    ("output.value", .string(#"{"status":"shipped"}"#)),
                    ("output.mime_type", .string("application/json")),
                ] + who),
            span(
                trace: 0x71, 5, parent: 2, name: "refund", from: 610, to: 1400,
                attributes: [
                    ("tracespool.span.type", .string("tool")), ("openinference.span.kind", .string("TOOL")),
                    ("gen_ai.operation.name", .string("execute_tool")), ("gen_ai.tool.name", .string("refund")),
                    ("tool.name", .string("refund")), ("tracespool.level", .string("ERROR")),
                ] + who, status: OTLPStatus(code: .error, message: "RefundFailed()"),
                events: [
                    OTLPEvent(
                        timeUnixNano: t0 + 1390 * Fixture.ms, name: "exception",
                        attributes: [
                            OTLPKeyValue("exception.type", .string("TraceSpoolDumpTests.RefundFailed")),
                            OTLPKeyValue("exception.message", .string("RefundFailed()")),
                        ])
                ]),
            span(
                trace: 0x71, 2, parent: 1, name: "planner", from: 10, to: 1430,
                attributes: [
                    ("tracespool.span.type", .string("agent")), ("openinference.span.kind", .string("AGENT")),
                    ("gen_ai.operation.name", .string("invoke_agent")), ("gen_ai.agent.name", .string("planner")),
                ] + who),
            span(
                trace: 0x71, 1, parent: nil, name: "support-request", from: 0, to: 1450,
                attributes: [("tracespool.span.type", .string("trace")), ("openinference.span.kind", .string("CHAIN"))]
                    + who),
        ]
    }

    /// The spans of `follow-up`, in the order the tracer ends them.
    static func followUp() -> [OTLPSpan] {
        let who: [(String, OTLPValue)] = [("session.id", .string("sess-8")), ("user.id", .string("u-42"))]
        return [
            span(
                trace: 0x72, 2, parent: 1, name: "notify", from: 1510, to: 1520,
                attributes: [
                    ("tracespool.span.type", .string("tool")), ("openinference.span.kind", .string("TOOL")),
                    ("gen_ai.operation.name", .string("execute_tool")), ("gen_ai.tool.name", .string("notify")),
                    ("tool.name", .string("notify")),
                ] + who),
            span(
                trace: 0x72, 1, parent: nil, name: "follow-up", from: 1500, to: 1530,
                attributes: [("tracespool.span.type", .string("trace")), ("openinference.span.kind", .string("CHAIN"))]
                    + who),
        ]
    }

    /// Writes the invocation into `spool` as a tracer that shut down leaves it: one sealed segment (resource
    /// `service.name` = `dump-tests`, created after the fixture's standard segment), a frame per trace, with
    /// `followUp()` after `supportRequest()` when `withFollowUp`.
    static func write(into spool: TemporarySpool, withFollowUp: Bool = false) throws {
        var segment = SegmentBuilder(
            header: SegmentHeader(
                segmentID: 2, createdUnixNanos: t0,
                writer: WriterIdentity(pid: 4242, host: "testhost", startUnixNanos: t0),
                resource: OTLPResource(attributes: [
                    OTLPKeyValue("service.name", .string("dump-tests")),
                    OTLPKeyValue("telemetry.sdk.name", .string("tracespool")),
                    OTLPKeyValue("telemetry.sdk.language", .string("swift")),
                ]).serialized(),
                scope: OTLPInstrumentationScope(name: "tracespool").serialized()))
        try segment.append(supportRequest())
        if withFollowUp { try segment.append(followUp()) }
        try segment.write(into: spool.path)
    }
}
