import Benchmark
import Foundation
import Synchronization
import TraceSpool
@_spi(Internal) import TraceSpoolLLM
import Tracing

// The LLM edge instrumentation's own CPU (Benchmarks/README.md has the figures and targets): one exchange driven as
// an adapter drives it (request → span, response head, body chunks, completed → response attributes, span ended and
// encoded into the spool) with no HTTP client, so the time is what the instrumentation adds to a call; against
// `withSpan` + 5 attributes on the same kind of tracer, measured in the same run.
// - exchange, non-streaming chat call with tools: a Chat Completions request with a system and a user message, two
//   tools and three parameters, answered by one JSON body with a tool call and usage, in 2 chunks;
// - exchange, streamed chat call: the same request streamed, answered by 40 chunks of server-sent events (text
//   deltas, then usage); its metrics are per chunk (the whole exchange ÷ 40);
// - the ratio of the non-streamed exchange to `withSpan` + 5 attributes, interleaved in the same samples.

/// Appends a line to `$TRACESPOOL_BENCH_REPORT` (default `/tmp/tracespool-benchmarks.txt`).
func report(_ line: String) {
    let path = ProcessInfo.processInfo.environment["TRACESPOOL_BENCH_REPORT"] ?? "/tmp/tracespool-benchmarks.txt"
    guard
        let handle = FileHandle(forWritingAtPath: path)
            ?? {
                FileManager.default.createFile(atPath: path, contents: nil)
                return FileHandle(forWritingAtPath: path)
            }()
    else { return }
    handle.seekToEndOfFile()
    handle.write(Data((line + "\n").utf8))
    try? handle.close()
}

/// Tracers created in a benchmark's `setup` on a temporary spool and shared by its samples (warm thread buffer).
let sharedTracers = Mutex<[String: (SpoolTracer, String)]>([:])

func setUpTracer(_ label: String) {
    let dir =
        NSTemporaryDirectory() + "tracespool-bench-llm-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    var config = TracerConfiguration(serviceName: "bench", spoolDirectory: dir)
    config.shutdownAtExit = false
    config.maxQueuedBuffers = 4096
    sharedTracers.withLock { $0[label] = (SpoolTracer(configuration: config), dir) }
}

func sharedTracer(_ label: String) -> SpoolTracer {
    sharedTracers.withLock { $0[label]!.0 }
}

func tearDownTracer(_ label: String) {
    guard let (tracer, dir) = sharedTracers.withLock({ $0.removeValue(forKey: label) }) else { return }
    let drops = tracer.statistics.drops.total
    if drops > 0 { report("\(label): \(drops) spans dropped — the writer fell behind") }
    _ = tracer.shutdown()
    try? FileManager.default.removeItem(atPath: dir)
}

/// The baseline: `withSpan` with 5 attributes through the standard dictionary (as in `TracerBenchmarks`).
@inline(__always)
func withSpanFiveAttributes(_ tracer: some Tracer) {
    tracer.withSpan("op") { span in
        span.attributes["a"] = "x"
        span.attributes["b"] = 1
        span.attributes["c"] = 2.5
        span.attributes["d"] = true
        span.attributes["e"] = "y"
    }
}

enum Wire {
    static let url = "https://api.openai.com/v1/chat/completions"
    static let headers = [("Authorization", "Bearer sk-bench-0123456789"), ("Content-Type", "application/json")]

    static func request(stream: Bool) -> [UInt8] {
        let streamFields = stream ? #","stream":true,"stream_options":{"include_usage":true}"# : ""
        return Array(
            """
            {"model":"gpt-4o-mini","messages":[\
            {"role":"system","content":"You are a helpful assistant that answers questions about the weather. \
            Use the tools when the question needs current data, and answer in one short sentence."},\
            {"role":"user","content":"What is the weather in Paris right now, and should I take an umbrella?"}],\
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",\
            "parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"},\
            "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}},\
            {"type":"function","function":{"name":"get_forecast","description":"Forecast for the next days",\
            "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},\
            "required":["city","days"]}}}],\
            "tool_choice":"auto","temperature":0.2,"max_tokens":256\(streamFields)}
            """.utf8)
    }

    static let response = Array(
        """
        {"id":"chatcmpl-AbC123","object":"chat.completion","created":1733200000,"model":"gpt-4o-mini-2024-07-18",\
        "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_x1",\
        "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"unit\\":\\"celsius\\"}"}}],\
        "refusal":null},"logprobs":null,"finish_reason":"tool_calls"}],\
        "usage":{"prompt_tokens":152,"completion_tokens":21,"total_tokens":173,\
        "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},\
        "system_fingerprint":"fp_0123"}
        """.utf8)

    /// The non-streamed response in 2 chunks.
    static let responseChunks = [Array(response.prefix(300)), Array(response.dropFirst(300))]

    /// 40 chunks: one event each — the role, 37 text deltas, the finish reason, the usage — then `[DONE]` with
    /// the last.
    static let streamChunks: [[UInt8]] = {
        func event(_ delta: String, finish: String = "null", usage: String = "null") -> String {
            #"data: {"id":"chatcmpl-AbC123","object":"chat.completion.chunk","created":1733200000,"#
                + #""model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0123","choices":[{"index":0,"#
                + #""delta":\#(delta),"logprobs":null,"finish_reason":\#(finish)}],"usage":\#(usage)}"# + "\n\n"
        }
        var chunks = [event(#"{"role":"assistant","content":""}"#)]
        for i in 0..<37 { chunks.append(event(#"{"content":"word\#(i) "}"#)) }
        chunks.append(event("{}", finish: #""stop""#))
        chunks.append(
            #"data: {"id":"chatcmpl-AbC123","object":"chat.completion.chunk","created":1733200000,"#
                + #""model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":152,"#
                + #""completion_tokens":38,"total_tokens":190}}"# + "\n\ndata: [DONE]\n\n")
        return chunks.map { Array($0.utf8) }
    }()

    static func nonStreaming(_ tracer: SpoolTracer) -> LLMExchangeDriver {
        LLMExchangeDriver(
            instrumentation: LLMInstrumentation(tracer: tracer), method: "POST", url: url, headers: headers,
            body: request(stream: false), status: 200, responseHeaders: [("Content-Type", "application/json")],
            chunks: responseChunks)
    }

    static func streamed(_ tracer: SpoolTracer) -> LLMExchangeDriver {
        LLMExchangeDriver(
            instrumentation: LLMInstrumentation(tracer: tracer), method: "POST", url: url, headers: headers,
            body: request(stream: true), status: 200, responseHeaders: [("Content-Type", "text/event-stream")],
            chunks: streamChunks)
    }
}

/// Nanoseconds that `body` takes.
func timed(_ body: () -> Void) -> UInt64 {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return DispatchTime.now().uptimeNanoseconds - start
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .microseconds,
        maxDuration: .seconds(3), maxIterations: 100_000)

    Benchmark(
        "withSpan + 5 attributes: SpoolTracer (baseline)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .nanoseconds, scalingFactor: .kilo),
        closure: { benchmark in
            let tracer = sharedTracer("baseline")
            for _ in benchmark.scaledIterations { withSpanFiveAttributes(tracer) }
        }, setup: { setUpTracer("baseline") }, teardown: { tearDownTracer("baseline") })

    Benchmark(
        "exchange, non-streaming chat call with tools",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .nanoseconds, scalingFactor: .kilo),
        closure: { benchmark in
            let driver = Wire.nonStreaming(sharedTracer("exchange"))
            for _ in benchmark.scaledIterations { blackHole(driver.run()) }
        }, setup: { setUpTracer("exchange") }, teardown: { tearDownTracer("exchange") })

    Benchmark(
        "exchange, streamed chat call, per chunk (40 chunks)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal], timeUnits: .nanoseconds, scalingFactor: .kilo),
        closure: { benchmark in
            let driver = Wire.streamed(sharedTracer("stream"))
            // A sample is 1,000 chunks: 25 whole exchanges of 40 chunks each; the scaled metrics are per chunk.
            for _ in 0..<(benchmark.scaledIterations.count / Wire.streamChunks.count) { blackHole(driver.run()) }
        }, setup: { setUpTracer("stream") }, teardown: { tearDownTracer("stream") })

    let ratio = BenchmarkMetric.custom("ratio × 10", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark(
        "exchange, non-streaming ÷ withSpan + 5 attributes, interleaved (ratio × 10)",
        configuration: .init(metrics: [ratio], maxDuration: .seconds(5), maxIterations: 2_000),
        closure: { benchmark in
            let tracer = sharedTracer("paired")
            let driver = Wire.nonStreaming(tracer)
            for _ in benchmark.scaledIterations {
                let base = timed {
                    for _ in 0..<100 { withSpanFiveAttributes(tracer) }
                }
                let value = timed {
                    for _ in 0..<100 { blackHole(driver.run()) }
                }
                benchmark.measurement(ratio, Int(value * 10 / max(1, base)))
            }
        }, setup: { setUpTracer("paired") }, teardown: { tearDownTracer("paired") })
}
