import Foundation
import SpoolBase
import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

/// Child entry point for `Tools/phoenix-e2e.sh` trials without `tracespool-demo`: when
/// `TRACESPOOL_TEST_CHILD=demo-spool`, writes a small agent trace with LLM spans into `$SPOOL`. Otherwise does nothing.
@Test func childDemoSpoolEntryPoint() throws {
    let env = ProcessInfo.processInfo.environment
    guard env["TRACESPOOL_TEST_CHILD"] == "demo-spool", let spool = env["SPOOL"] else { return }
    // Created now: Phoenix shows recent traces.
    let now = SystemClock.unixNanos()
    var segment = SegmentBuilder(resource: ["service.name": "phoenix-e2e"], createdNanosecondsSinceEpoch: now)
    let traceID = TraceID.random()
    let rootID = SpanID.random()
    let start = now - 5_000_000_000
    var spans = [
        RecordedSpan(
            operationName: "agent run", traceID: traceID, spanID: rootID, startNanosecondsSinceEpoch: start,
            endNanosecondsSinceEpoch: start + 4_000_000_000, attributes: ["openinference.span.kind": "AGENT"])
    ]
    for i in 0..<19 {
        let begin = start + UInt64(i + 1) * 100_000_000
        var attributes: SpanAttributes = [:]
        if i % 2 == 0 {
            attributes["openinference.span.kind"] = "LLM"
            attributes["llm.model_name"] = "gpt-test"
            attributes["llm.token_count.prompt"] = 10 + i
            attributes["llm.token_count.completion"] = 5 + i
        } else {
            attributes["openinference.span.kind"] = "TOOL"
        }
        spans.append(
            RecordedSpan(
                operationName: i % 2 == 0 ? "generation \(i)" : "tool \(i)", traceID: traceID, spanID: .random(),
                parentSpanID: rootID, startNanosecondsSinceEpoch: begin, endNanosecondsSinceEpoch: begin + 50_000_000,
                attributes: attributes))
    }
    try segment.appendFrame(spans: spans)
    try segment.write(into: spool)
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
