import AsyncHTTPClient
import Benchmark
import BenchmarkWorkload
import Foundation
import NIOCore
import NIOHTTP1
import TraceSpool
import TraceSpoolLLM
import TraceSpoolLLMHTTPClient

// Replay of a recorded 10-call agent run through `LLMTracedHTTPClient` (target: under 1 ms per call, no socket).
//
// The run is `Examples/Recordings/agent-10-calls.json`: five `tracespool-llm-demo` runs (two model calls each,
// Paris/London/Tokyo/New York/Rome, streamed and not) recorded against `fake-llm-provider`. Each sample replays the
// ten requests in strict mode (a fresh `RecordReplay`, so the recording's FIFO cursor starts over) with a tracer
// writing the ten generation spans into a spool, and reads every response body to its end. The base URL is a
// closed port: a request that was not served from the recording fails the benchmark.

/// The recorded requests, in order.
struct RecordedRequest {
    var method: String
    var url: String
    var body: [UInt8]
}

let recordingPath: String = {
    var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(4)  // Benchmarks/Benchmarks/LLMReplayBenchmarks/LLMReplayBenchmarks.swift
    return parts.joined(separator: "/") + "/Examples/Recordings/agent-10-calls.json"
}()

/// The requests of the recording (read with Foundation: outside the measured loop).
func recordedRequests() -> [RecordedRequest] {
    guard let data = FileManager.default.contents(atPath: recordingPath),
        let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let exchanges = document["exchanges"] as? [[String: Any]]
    else { fatalError("cannot read \(recordingPath)") }
    return exchanges.compactMap { exchange in
        guard let request = exchange["request"] as? [String: Any], let method = request["method"] as? String,
            let url = request["url"] as? String
        else { return nil }
        var body: [UInt8] = []
        if let json = request["body"], let bytes = try? JSONSerialization.data(withJSONObject: json) {
            body = Array(bytes)
        } else if let text = request["body_text"] as? String {
            body = Array(text.utf8)
        }
        return RecordedRequest(method: method, url: url, body: body)
    }
}

/// One replayed agent run: the ten calls, each response read to its end.
func replayRun(_ requests: [RecordedRequest], tracer: SpoolTracer) async throws {
    let replay = RecordReplay(mode: .replay, path: recordingPath, level: .strict)
    let client = LLMTracedHTTPClient(
        client: .shared, instrumentation: LLMInstrumentation(tracer: tracer, recordReplay: replay))
    for recorded in requests {
        // The recorded URL's host and port are the recording fake's; replay matches method and path only, so a
        // closed port makes any request the recording does not serve fail.
        var request = HTTPClientRequest(url: recorded.url)
        request.method = HTTPMethod(rawValue: recorded.method)
        request.headers.add(name: "Content-Type", value: "application/json")
        if !recorded.body.isEmpty { request.body = .bytes(recorded.body) }
        let response = try await client.execute(request, timeout: .seconds(10))
        for try await _ in response.body {}
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal], warmupIterations: 20, scalingFactor: .one,
        maxDuration: .seconds(10), maxIterations: 2_000)

    let requests = recordedRequests()
    let spool = NSTemporaryDirectory() + "tracespool-bench-llm-replay-\(getpid())"
    var configuration = TracerConfiguration(serviceName: "bench", spoolDirectory: spool)
    configuration.shutdownAtExit = false
    let tracer = SpoolTracer(configuration: configuration)

    Benchmark("LLM replay: 10-call agent run (per run)") { benchmark in
        precondition(requests.count == 10, "the recording holds \(requests.count) exchanges, not 10")
        let clock = ContinuousClock()
        var total = Duration.zero
        for _ in benchmark.scaledIterations {
            let start = clock.now
            try await replayRun(requests, tracer: tracer)
            total += clock.now - start
        }
        let perCall = total / (benchmark.scaledIterations.count * requests.count)
        report("LLM replay per call: \(perCall) (\(benchmark.scaledIterations.count) runs of \(requests.count) calls)")
    } teardown: {
        _ = tracer.shutdown()
        try? FileManager.default.removeItem(atPath: spool)
    }
}
