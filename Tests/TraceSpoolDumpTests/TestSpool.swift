import Foundation
import OTLPWire
import SpoolFormat
import TraceSpoolTesting

@testable import TraceSpoolDump
@testable import tracespool_dump

extension TemporarySpool {
    /// The path of `name` in the spool directory.
    func file(_ name: String) -> String { path + "/" + name }

    /// The spool's segments as the dump tool lists them.
    func segments() throws -> [SpoolSegment] { try SpoolInput(path: path).segments() }

    /// The names of the files in the spool directory, sorted.
    func fileNames() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path).sorted()) ?? [] }
}

/// Deterministic spans with the shared attribute conventions, and segments of them built with `SegmentBuilder`.
enum Fixture {
    /// 2025-11-22T00:00:00Z in Unix nanoseconds.
    static let t0: UInt64 = 1_763_769_600_000_000_000
    static let ms: UInt64 = 1_000_000
    static let identity = WriterIdentity(pid: 42, host: "testhost", startUnixNanos: 7)
    static let resource = OTLPResource(attributes: [OTLPKeyValue("service.name", .string("dump-test"))]).serialized()
    static let scope = OTLPInstrumentationScope(name: "tracespool", version: "1.0").serialized()

    static func traceID(_ k: UInt8) -> [UInt8] { [UInt8](repeating: k, count: 16) }
    static func spanID(_ k: UInt8, _ n: UInt8) -> [UInt8] { [k, 0, 0, 0, 0, 0, 0, n] }

    static func span(
        _ k: UInt8, _ n: UInt8, parent: UInt8? = nil, name: String, from: UInt64, to: UInt64, base: UInt64 = t0,
        attributes: [OTLPKeyValue] = [], status: OTLPStatus = OTLPStatus(), events: [OTLPEvent] = []
    ) -> OTLPSpan {
        OTLPSpan(
            traceID: traceID(k), spanID: spanID(k, n), parentSpanID: parent.map { spanID(k, $0) } ?? [], name: name,
            kind: parent == nil ? .server : .internal, startTimeUnixNano: base + from * ms,
            endTimeUnixNano: base + to * ms,
            attributes: attributes, events: events, status: status)
    }

    /// Trace 0x0a: an agent run with a generation, a tool (with a child), and a failed LLM call (OpenInference names).
    static func agentTrace() -> [OTLPSpan] {
        [
            span(
                0x0a, 2, parent: 1, name: "chat", from: 100, to: 600,
                attributes: [
                    OTLPKeyValue("tracespool.span.type", .string("generation")),
                    OTLPKeyValue("gen_ai.request.model", .string("gpt-4o")),
                    OTLPKeyValue("gen_ai.usage.input_tokens", .int(120)),
                    OTLPKeyValue("gen_ai.usage.output_tokens", .int(45)),
                    OTLPKeyValue("gen_ai.usage.cost", .double(0.0012)),
                    OTLPKeyValue("session.id", .string("s-1")),
                ]),
            span(0x0a, 4, parent: 3, name: "fetch", from: 750, to: 850),
            span(
                0x0a, 3, parent: 1, name: "search", from: 700, to: 900,
                attributes: [
                    OTLPKeyValue("tracespool.span.type", .string("tool")),
                    OTLPKeyValue("gen_ai.tool.name", .string("web_search")),
                ]),
            span(
                0x0a, 5, parent: 1, name: "chat", from: 1000, to: 1400,
                attributes: [
                    OTLPKeyValue("openinference.span.kind", .string("LLM")),
                    OTLPKeyValue("llm.model_name", .string("claude")),
                    OTLPKeyValue("llm.token_count.prompt", .int(300)),
                    OTLPKeyValue("llm.token_count.completion", .int(20)),
                ], status: OTLPStatus(code: .error, message: "rate limited")),
            span(
                0x0a, 1, name: "run_agent", from: 0, to: 1500,
                attributes: [
                    OTLPKeyValue("tracespool.span.type", .string("agent")),
                    OTLPKeyValue("session.id", .string("s-1")),
                    OTLPKeyValue("user.id", .string("u-1")),
                ], status: OTLPStatus(code: .ok)),
        ]
    }

    /// Trace 0x0b, two seconds later: a short run whose generation failed with an exception event.
    static func shortTrace() -> [OTLPSpan] {
        [
            span(
                0x0b, 2, parent: 1, name: "chat", from: 2100, to: 2300,
                attributes: [
                    OTLPKeyValue("tracespool.span.type", .string("generation")),
                    OTLPKeyValue("gen_ai.request.model", .string("gpt-4o-mini")),
                    OTLPKeyValue("gen_ai.usage.input_tokens", .int(10)),
                    OTLPKeyValue("gen_ai.usage.output_tokens", .int(5)),
                    OTLPKeyValue("tracespool.level", .string("ERROR")),
                ], status: OTLPStatus(code: .error),
                events: [
                    OTLPEvent(
                        timeUnixNano: t0 + 2300 * ms, name: "exception",
                        attributes: [
                            OTLPKeyValue("exception.type", .string("TimeoutError")),
                            OTLPKeyValue("exception.message", .string("model timed out")),
                        ])
                ]),
            span(
                0x0b, 1, name: "run_agent", from: 2000, to: 2500,
                attributes: [
                    OTLPKeyValue("tracespool.span.type", .string("agent")),
                    OTLPKeyValue("session.id", .string("s-2")),
                    OTLPKeyValue("user.id", .string("u-2")),
                ]),
        ]
    }

    /// A segment with the fixture's header (resource `service.name` = `dump-test`, scope `tracespool` 1.0, writer
    /// `testhost` pid 42), created at `created` (segments of a spool list in the order of their creation times).
    static func segment(created: UInt64 = t0) -> SegmentBuilder {
        SegmentBuilder(
            header: SegmentHeader(
                segmentID: 1, createdUnixNanos: created, writer: identity, resource: resource, scope: scope))
    }

    static let standardBase = "00000000000000000001-testhost-42-00000001"
    static let standardName = standardBase + ".seg"

    /// The standard segment: the agent trace in frame 0, drops (queue_full 3, disk_cap 1) plus the short trace in
    /// frame 1.
    static func standardSegment() throws -> SegmentBuilder {
        var segment = Self.segment()
        try segment.append(agentTrace())
        try segment.append(shortTrace(), drops: DropCounts([.queueFull: 3, .diskCap: 1]))
        return segment
    }

    /// The standard spool: `standardSegment()` sealed as `standardName`.
    @discardableResult
    static func writeStandard(_ spool: TemporarySpool) throws -> String {
        try standardSegment().write(into: spool.path, baseName: standardBase)
    }

    /// Runs a renderer over a fresh `String`.
    static func render(_ body: (inout String) throws -> Void) rethrows -> String {
        var s = ""
        try body(&s)
        return s
    }
}

extension SegmentBuilder {
    /// Appends one frame holding a drop record when `drops` is given, then `spans` (their OTLP encoding).
    @discardableResult
    mutating func append(_ spans: [OTLPSpan], drops: DropCounts? = nil) throws -> Frame {
        var records: [(RecordType, [UInt8])] = drops.map { [(.drops, $0.encoded())] } ?? []
        for span in spans { records.append((.span, span.serialized())) }
        return try appendFrame(records: records)
    }

    /// Appends the frame a live writer appends next: one frame of `spans`, written to `live` at once.
    mutating func append(_ spans: [OTLPSpan], to live: LiveSegment) throws {
        let frame = try append(spans)
        try live.append(bytes[frame.offset...])
    }
}

extension TreeDump {
    /// The command with the notes worded as `tracespool-dump` words them.
    init(filter: SpanFilter = .all, style: TreeStyle = .plain, maxSpans: Int = 200_000) {
        self.init(filter: filter, style: style, maxSpans: maxSpans, describe: { $0.message })
    }
}
