import Benchmark
import BenchmarkWorkload
import Foundation
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
