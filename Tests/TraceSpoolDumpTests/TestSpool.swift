import Foundation
import OTLPWire
import SpoolFormat

@testable import TraceSpoolDump

/// A temporary spool directory (mode 0700) removed when the value is released.
final class TempSpool {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "dump-test-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    var directory: SpoolDirectory { try! SpoolDirectory(path: path, create: false) }

    func file(_ name: String) -> String { path + "/" + name }

    func segments() throws -> [SpoolSegment] { try SpoolInput(path: path).segments() }

    func fileNames() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: path).sorted()) ?? [] }
}

/// Deterministic spans with the shared attribute conventions, and helpers to write them into segments.
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

    /// A frame payload holding `spans` (and a drops record first when given).
    static func payload(_ spans: [OTLPSpan], drops: DropCounts? = nil) -> (bytes: [UInt8], count: Int) {
        var bytes: [UInt8] = []
        var count = 0
        if let drops {
            RecordEncoding.append(type: .drops, body: drops.encoded(), to: &bytes)
            count += 1
        }
        for s in spans {
            RecordEncoding.append(type: .span, body: s.serialized(), to: &bytes)
            count += 1
        }
        return (bytes, count)
    }

    static func writer(_ spool: TempSpool) throws -> SegmentWriter {
        try SegmentWriter(
            directory: spool.directory,
            options: SegmentWriterOptions(resource: resource, scope: scope, identity: identity))
    }

    static func append(_ writer: SegmentWriter, _ spans: [OTLPSpan], drops: DropCounts? = nil) throws {
        let p = payload(spans, drops: drops)
        try writer.append(payload: p.bytes, recordCount: p.count)
    }

    static let standardName = "00000000000000000001-testhost-42-00000001.seg"

    /// The standard spool: one sealed segment (renamed to `standardName`) with the agent trace in frame 0 and
    /// drops (queue_full 3, disk_cap 1) plus the short trace in frame 1.
    @discardableResult
    static func writeStandard(_ spool: TempSpool, name: String = standardName) throws -> String {
        let w = try writer(spool)
        try append(w, agentTrace())
        try append(w, shortTrace(), drops: DropCounts([.queueFull: 3, .diskCap: 1]))
        let open = w.currentSegmentPath!
        try w.close()
        let sealed = spool.file(
            SegmentName(fileName: String(open.split(separator: "/").last!))!.with(state: .sealed).fileName)
        let target = spool.file(name)
        try FileManager.default.moveItem(atPath: sealed, toPath: target)
        return target
    }

    /// Runs a renderer over a fresh `String`.
    static func render(_ body: (inout String) throws -> Void) rethrows -> String {
        var s = ""
        try body(&s)
        return s
    }
}

extension Data {
    /// Flips bit `bit` of the byte at `offset`.
    mutating func flipBit(at offset: Int, bit: Int = 3) { self[offset] ^= UInt8(1 << bit) }
}

/// File surgery for damage tests.
enum Corrupt {
    static func flipBit(_ path: String, at offset: Int) throws {
        var d = try Data(contentsOf: URL(fileURLWithPath: path))
        d.flipBit(at: offset)
        try d.write(to: URL(fileURLWithPath: path))
    }

    static func truncate(_ path: String, by bytes: Int) throws {
        let d = try Data(contentsOf: URL(fileURLWithPath: path))
        try d.prefix(d.count - bytes).write(to: URL(fileURLWithPath: path))
    }

    static func append(_ path: String, _ bytes: [UInt8]) throws {
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try h.seekToEnd()
        try h.write(contentsOf: Data(bytes))
        try h.close()
    }

    static func size(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.intValue ?? -1
    }
}
