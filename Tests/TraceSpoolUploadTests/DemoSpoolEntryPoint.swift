import Foundation
import OTLPWire
import SpoolBase
import SpoolFormat
import Testing

/// Child entry point for `Tools/phoenix-e2e.sh` trials without `tracespool-demo`: when
/// `TRACESPOOL_TEST_CHILD=demo-spool`, writes a small agent trace with LLM spans into `$SPOOL`. Otherwise does nothing.
@Test func childDemoSpoolEntryPoint() throws {
    let env = ProcessInfo.processInfo.environment
    guard env["TRACESPOOL_TEST_CHILD"] == "demo-spool", let spool = env["SPOOL"] else { return }
    let resource = OTLPResource(attributes: [OTLPKeyValue("service.name", .string("phoenix-e2e"))])
    let writer = try SegmentWriter(
        directory: SpoolDirectory(path: spool),
        options: SegmentWriterOptions(
            resource: resource.serialized(), scope: OTLPInstrumentationScope(name: "e2e").serialized()))
    let traceID = (0..<16).map { _ in UInt8.random(in: 0...255) }
    let rootID = (0..<8).map { _ in UInt8.random(in: 0...255) }
    let start = SystemClock.unixNanos() - 5_000_000_000
    var spans: [OTLPSpan] = []
    var root = OTLPSpan()
    root.traceID = traceID
    root.spanID = rootID
    root.name = "agent run"
    root.startTimeUnixNano = start
    root.endTimeUnixNano = start + 4_000_000_000
    root.attributes = [OTLPKeyValue("openinference.span.kind", .string("AGENT"))]
    spans.append(root)
    for i in 0..<19 {
        var s = OTLPSpan()
        s.traceID = traceID
        s.spanID = (0..<8).map { _ in UInt8.random(in: 0...255) }
        s.parentSpanID = rootID
        s.startTimeUnixNano = start + UInt64(i + 1) * 100_000_000
        s.endTimeUnixNano = s.startTimeUnixNano + 50_000_000
        if i % 2 == 0 {
            s.name = "generation \(i)"
            s.attributes = [
                OTLPKeyValue("openinference.span.kind", .string("LLM")),
                OTLPKeyValue("llm.model_name", .string("gpt-test")),
                OTLPKeyValue("llm.token_count.prompt", .int(Int64(10 + i))),
                OTLPKeyValue("llm.token_count.completion", .int(Int64(5 + i))),
            ]
        } else {
            s.name = "tool \(i)"
            s.attributes = [OTLPKeyValue("openinference.span.kind", .string("TOOL"))]
        }
        spans.append(s)
    }
    var payload: [UInt8] = []
    for s in spans { RecordEncoding.append(type: .span, body: s.serialized(), to: &payload) }
    try writer.append(payload: payload, recordCount: spans.count)
    try writer.sync()
    try writer.seal()
}

/// Child entry point for throughput measurements: when `TRACESPOOL_TEST_CHILD=bench-spool`, writes
/// `$TRACESPOOL_TEST_SPANS` spans (about 350 bytes each, 256 per frame, 64 MiB segments) into `$SPOOL`.
@Test func childBenchSpoolEntryPoint() throws {
    let env = ProcessInfo.processInfo.environment
    guard env["TRACESPOOL_TEST_CHILD"] == "bench-spool", let spool = env["SPOOL"],
        let count = env["TRACESPOOL_TEST_SPANS"].flatMap(Int.init)
    else { return }
    try TestSpans.write(
        0..<count, to: spool, perFrame: 256, padding: 200,
        randomPadding: env["TRACESPOOL_TEST_RANDOM_PADDING"] == "1")
}
