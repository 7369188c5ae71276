import Benchmark
import Foundation
import SpoolFormat
import Synchronization
import TraceSpool
import Tracing

// Tracer hot path and durability (issue 3 targets), each against a baseline measured in the same run:
// - withSpan + 5 attributes via swift-distributed-tracing: SpoolTracer vs NoOpTracer (target ≤ 1.5×), as two
//   benchmarks and as one that interleaves them and records the ratio;
// - start + end with 5 attributes via the typed API (target median ≤ 400 ns, ≤ 2 mallocs);
// - sustained: 2 threads into the spool, compressed and written (target ≥ 1,000,000 spans/s, no drops);
// - flush(timeoutMillis:) with 1,000 pending spans vs one bare fdatasync of the same bytes (target ≤ 1.5×);
// - disk bytes per typical span (printed; target ≤ 40).

/// Appends a line to `$TRACESPOOL_BENCH_REPORT` (default `/tmp/tracespool-benchmarks.txt`): the benchmark tool
/// swallows the benchmarks' own stdout and stderr.
func report(_ line: String) {
    let path = ProcessInfo.processInfo.environment["TRACESPOOL_BENCH_REPORT"] ?? "/tmp/tracespool-benchmarks.txt"
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

func spoolPath(_ label: String) -> String {
    NSTemporaryDirectory() + "tracespool-bench-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}

func makeTracer(_ label: String, queuedBuffers: Int = 4096) -> (SpoolTracer, String) {
    let dir = spoolPath(label)
    var config = TracerConfiguration(serviceName: "bench", spoolDirectory: dir)
    config.shutdownAtExit = false
    config.maxQueuedBuffers = queuedBuffers
    // `TRACESPOOL_SEGMENT_BYTES` as the tracer reads it, for experiments with the rotation size (default 16 MiB).
    config.maxSegmentBytes = TracerConfiguration.fromEnvironment().maxSegmentBytes
    return (SpoolTracer(configuration: config), dir)
}

func directoryBytes(_ path: String) -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.reduce(0) { total, name in
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
        return total + ((attributes?[.size] as? Int) ?? 0)
    }
}

/// Tracers created in a benchmark's `setup` and shared by its samples, so that samples measure the hot path (warm
/// thread buffer) rather than creating a tracer, its writer thread and its first buffer.
let sharedTracers = Mutex<[String: (SpoolTracer, String)]>([:])

func setUpTracer(_ label: String) {
    let made = makeTracer(label)
    sharedTracers.withLock { $0[label] = made }
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

/// Per-span benchmarks run 1,000 spans per sample; the starred (scaled) metrics are per span.
func perSpan() -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
        scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 100_000)
}

/// One typical span through the typed API: five attributes, no payload, a child of `parent`.
@inline(__always)
func typicalSpan(_ tracer: SpoolTracer, _ i: Int, parent: InstrumentationContext? = nil) {
    tracer.startSpan(
        "chat gpt-4o-mini", context: parent,
        attributes: [
            .string("gen_ai.request.model", "gpt-4o-mini"), .int("gen_ai.usage.input_tokens", 100 + i % 900),
            .int("gen_ai.usage.output_tokens", 20 + i % 300), .string("session.id", "session-42"),
            .bool("cache.hit", i % 3 == 0),
        ]
    ).end()
}

/// One `withSpan` with 5 attributes set through the standard `span.attributes` dictionary: the loop body of the
/// `withSpan` comparisons, the same for every tracer (specialized per tracer type, so each measures its own code).
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

/// Nanoseconds that `body` takes.
func timed(_ body: () -> Void) -> UInt64 {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return DispatchTime.now().uptimeNanoseconds - start
}

/// A benchmark whose every iteration times 1,000 `NoOpTracer` `withSpan` loops and then 1,000 calls of `measured`
/// (with a `SpoolTracer` and the call's index) back to back, and records measured ÷ baseline × `scale`.
func interleavedWithNoOp(
    _ name: String, scale: UInt64, _ label: String, _ measured: @escaping @Sendable (SpoolTracer, Int) -> Void
) {
    let metric = BenchmarkMetric.custom("ratio × \(scale)", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark(
        "\(name) (ratio × \(scale))",
        configuration: .init(metrics: [metric], maxDuration: .seconds(5), maxIterations: 2_000),
        closure: { benchmark in
            let tracer = sharedTracer(label)
            let noop = NoOpTracer()
            for _ in benchmark.scaledIterations {
                let base = timed {
                    for _ in 0..<1_000 { withSpanFiveAttributes(noop) }
                }
                let value = timed {
                    for i in 0..<1_000 { measured(tracer, i) }
                }
                benchmark.measurement(metric, Int(value * scale / max(1, base)))
            }
        }, setup: { setUpTracer(label) }, teardown: { tearDownTracer(label) })
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
        maxDuration: .seconds(3), maxIterations: 1_000_000)

    Benchmark("withSpan + 5 attributes: NoOpTracer (baseline)", configuration: perSpan()) { benchmark in
        let tracer = NoOpTracer()
        for _ in benchmark.scaledIterations {
            withSpanFiveAttributes(tracer)
        }
    }

    Benchmark(
        "withSpan + 5 attributes: SpoolTracer", configuration: perSpan(),
        closure: { benchmark in
            let tracer = sharedTracer("withspan")
            for _ in benchmark.scaledIterations {
                withSpanFiveAttributes(tracer)
            }
        }, setup: { setUpTracer("withspan") }, teardown: { tearDownTracer("withspan") })

    // The same comparison, interleaved: each iteration times 1,000 NoOpTracer spans and then 1,000 SpoolTracer
    // spans back to back and records the ratio × 100, so that both sides see the same machine state (on a shared
    // machine the speed of the cores changes between benchmarks run seconds apart).
    interleavedWithNoOp(
        "withSpan + 5 attributes: SpoolTracer ÷ NoOpTracer, interleaved", scale: 100, "withspan-paired"
    ) { tracer, _ in withSpanFiveAttributes(tracer) }

    // The typed span against the same `NoOpTracer` loop, interleaved the same way (ratio × 1000). The typed target
    // (median ≤ 400 ns) was set when that loop took about 1.2 µs here, so ≤ 333 is the same target against a
    // baseline that moves with the machine (which the absolute median does not).
    interleavedWithNoOp(
        "typed start + end, 5 attributes ÷ NoOpTracer withSpan, interleaved", scale: 1_000, "typed-paired"
    ) { tracer, i in typicalSpan(tracer, i) }

    Benchmark(
        "typed start + end, 5 attributes: SpoolTracer", configuration: perSpan(),
        closure: { benchmark in
            let tracer = sharedTracer("typed")
            for i in benchmark.scaledIterations { typicalSpan(tracer, i) }
        }, setup: { setUpTracer("typed") }, teardown: { tearDownTracer("typed") })

    Benchmark(
        "typed start + 5 setAttribute + end: SpoolTracer", configuration: perSpan(),
        closure: { benchmark in
            let tracer = sharedTracer("typed-set")
            for i in benchmark.scaledIterations {
                let span = tracer.startSpan("chat gpt-4o-mini")
                span.setAttribute("gen_ai.request.model", .string("gpt-4o-mini"))
                span.setAttribute("gen_ai.usage.input_tokens", .int64(Int64(100 + i % 900)))
                span.setAttribute("gen_ai.usage.output_tokens", .int64(Int64(20 + i % 300)))
                span.setAttribute("session.id", .string("session-42"))
                span.setAttribute("cache.hit", .bool(i % 3 == 0))
                span.end()
            }
        }, setup: { setUpTracer("typed-set") }, teardown: { tearDownTracer("typed-set") })

    // Unpaced: one iteration = 2 threads × 100,000 spans as fast as they can (traces of 20 spans), then a flush;
    // spans/s = 200,000 × throughput. Producers faster than the writer can compress make it drop (reported).
    Benchmark(
        "sustained, unpaced: 2 threads × 100,000 spans + flush, per iteration",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .throughput], maxDuration: .seconds(10), maxIterations: 30)
    ) { benchmark in
        let (tracer, dir) = makeTracer("sustained", queuedBuffers: 64)
        defer {
            _ = tracer.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            produce(tracer, threads: 2, spansPerThread: 100_000, spansPerSecondPerThread: nil)
            _ = tracer.flush(timeoutMillis: 60_000)  // false when spans were dropped: reported below
        }
        benchmark.stopMeasurement()
        let stats = tracer.statistics
        let bytesPerSpan = Double(directoryBytes(dir)) / Double(max(1, stats.spansWritten))
        report(
            "sustained unpaced: written \(stats.spansWritten) spans, dropped \(stats.drops.total); "
                + "disk bytes per typical span: \(bytesPerSpan)")
    }

    // Paced: an offered load of 1,000,000 spans/s (2 threads × 500,000 spans/s) for 0.5 s, then a flush; the target
    // is that all of it is written with no drops. Throughput × 500,000 = spans/s achieved end to end.
    Benchmark(
        "sustained, paced at 1,000,000 spans/s: 2 threads × 250,000 spans + flush, per iteration",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .throughput], maxDuration: .seconds(15), maxIterations: 20)
    ) { benchmark in
        let (tracer, dir) = makeTracer("paced", queuedBuffers: 64)
        defer {
            _ = tracer.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            produce(tracer, threads: 2, spansPerThread: 250_000, spansPerSecondPerThread: 500_000)
            _ = tracer.flush(timeoutMillis: 60_000)
        }
        benchmark.stopMeasurement()
        let stats = tracer.statistics
        report("sustained paced 1M/s: written \(stats.spansWritten) spans, dropped \(stats.drops.total)")
    }

    // flush with 1,000 pending spans, vs the same number of bytes written and fdatasync'ed bare.
    Benchmark("flush(timeoutMillis:) with 1,000 pending spans", configuration: .init(maxIterations: 2000)) {
        benchmark in
        let (tracer, dir) = makeTracer("flush")
        defer {
            _ = tracer.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
        for i in 0..<1000 { typicalSpan(tracer, i) }
        _ = tracer.flush(timeoutMillis: 60_000)
        for _ in benchmark.scaledIterations {
            benchmark.stopMeasurement()
            for i in 0..<1000 { typicalSpan(tracer, i) }
            benchmark.startMeasurement()
            if !tracer.flush(timeoutMillis: 60_000) { report("flush: returned false") }
        }
    }

    Benchmark("bare fdatasync of one 1,000-span frame (baseline)", configuration: .init(maxIterations: 2000)) {
        benchmark in
        // Measure how many bytes 1,000 typical spans take on disk, then write and fdatasync that many bytes.
        let (tracer, dir) = makeTracer("bytes")
        for i in 0..<1000 { typicalSpan(tracer, i) }
        _ = tracer.flush(timeoutMillis: 60_000)
        _ = tracer.shutdown()
        let frameBytes = max(1, directoryBytes(dir))
        try? FileManager.default.removeItem(atPath: dir)
        let file = spoolPath("fdatasync")
        let fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer {
            close(fd)
            unlink(file)
        }
        let bytes = [UInt8](repeating: 0x5A, count: frameBytes)
        for _ in benchmark.scaledIterations {
            benchmark.stopMeasurement()
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            benchmark.startMeasurement()
            precondition(written == frameBytes)
            precondition(fdatasync(fd) == 0)
        }
    }
}

/// Records spans from `threads` threads, in traces of 20 (a root and 19 children), optionally paced to
/// `spansPerSecondPerThread` (in batches of 500 spans), and returns when all threads are done.
func produce(_ tracer: SpoolTracer, threads: Int, spansPerThread: Int, spansPerSecondPerThread: Int?) {
    let group = DispatchGroup()
    for _ in 0..<threads {
        group.enter()
        Thread.detachNewThread {
            let start = DispatchTime.now().uptimeNanoseconds
            var root = tracer.startSpan("agent run")
            for i in 0..<spansPerThread {
                if i % 20 == 0 {
                    root.end()
                    root = tracer.startSpan("agent run")
                }
                typicalSpan(tracer, i, parent: root.context)
                if let rate = spansPerSecondPerThread, i % 500 == 499 {
                    let due = start + UInt64(i + 1) * 1_000_000_000 / UInt64(rate)
                    let now = DispatchTime.now().uptimeNanoseconds
                    if due > now { usleep(UInt32((due - now) / 1000)) }
                }
            }
            root.end()
            group.leave()
        }
    }
    group.wait()
}
