import Benchmark
import Foundation
import TraceSpoolTraced
import Tracing

// `@Traced` against the `with…` helper it expands to (Benchmarks/README.md, "`@Traced` vs the helper"): the same
// body, the same tracer, the same span name and type. Each sample records 1,000 spans; the ratio benchmarks time
// 1,000 of each back to back per iteration, so both sides see the same load.

/// The tracer of this suite, made on first use and shut down (its spool removed) by the benchmarks' teardown.
let benchTracer: (tracer: SpoolTracer, directory: String) = {
    let directory =
        NSTemporaryDirectory() + "tracespool-bench-traced-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    var configuration = TracerConfiguration(serviceName: "bench", spoolDirectory: directory)
    configuration.shutdownAtExit = false
    configuration.maxQueuedBuffers = 4096
    return (SpoolTracer(configuration: configuration), directory)
}()

@inline(never)
@Traced(tracer: benchTracer.tracer)
func tracedWork(_ i: Int) -> Int {
    i &* 3 &+ 1
}

/// What `@Traced(tracer: benchTracer.tracer)` expands `tracedWork` to, written by hand.
@inline(never)
func helperWork(_ i: Int) -> Int {
    benchTracer.tracer.withSpan(.chain, "tracedWork(_:)") { _ in
        i &* 3 &+ 1
    }
}

/// `@Traced` without `tracer:`: `TracedTracer.current` finds the tracer at each call.
@inline(never)
@Traced
func tracedWorkDefaultTracer(_ i: Int) -> Int {
    i &* 3 &+ 1
}

func timed(_ body: () -> Void) -> UInt64 {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return DispatchTime.now().uptimeNanoseconds - start
}

func tearDown() {
    _ = benchTracer.tracer.shutdown()
    try? FileManager.default.removeItem(atPath: benchTracer.directory)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.teardown = { tearDown() }
    let perSpan = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
        scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 100_000)
    let ratio = BenchmarkMetric.custom("ratio × 1000", polarity: .prefersSmaller, useScalingFactor: false)
    let interleaved = Benchmark.Configuration(metrics: [ratio], maxDuration: .seconds(5), maxIterations: 2_000)

    Benchmark("Traced: withSpan helper (baseline)", configuration: perSpan) { benchmark in
        for i in benchmark.scaledIterations { blackHole(helperWork(i)) }
    }

    Benchmark("Traced: @Traced(tracer:) function", configuration: perSpan) { benchmark in
        for i in benchmark.scaledIterations { blackHole(tracedWork(i)) }
    }

    Benchmark("Traced: @Traced(tracer:) ÷ withSpan helper, interleaved", configuration: interleaved) { benchmark in
        for _ in benchmark.scaledIterations {
            let base = timed { for i in 0..<1_000 { blackHole(helperWork(i)) } }
            let value = timed { for i in 0..<1_000 { blackHole(tracedWork(i)) } }
            benchmark.measurement(ratio, Int(value * 1_000 / max(1, base)))
        }
    }

    Benchmark("Traced: @Traced default tracer ÷ withSpan helper, interleaved", configuration: interleaved) {
        benchmark in
        withTracer(benchTracer.tracer) {
            for _ in benchmark.scaledIterations {
                let base = timed { for i in 0..<1_000 { blackHole(helperWork(i)) } }
                let value = timed { for i in 0..<1_000 { blackHole(tracedWorkDefaultTracer(i)) } }
                benchmark.measurement(ratio, Int(value * 1_000 / max(1, base)))
            }
        }
    }
}
