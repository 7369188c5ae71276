import Benchmark
import Foundation
import SpoolFormat
import Synchronization
import TraceSpool
import Tracing

// Tracer hot path and durability (issue 3 targets), each against a baseline measured in the same run:
// - withSpan + 5 attributes via swift-distributed-tracing: SpoolTracer vs NoOpTracer (target ≤ 1.5×);
// - start + end with 5 attributes via the typed API (target median ≤ 400 ns, ≤ 2 mallocs);
// - sustained: 2 threads into the spool, compressed and written (target ≥ 1,000,000 spans/s, no drops);
// - flush(timeoutMillis:) with 1,000 pending spans vs one bare fdatasync of the same bytes (target ≤ 1.5×);
// - disk bytes per typical span (printed; target ≤ 40).

func spoolPath(_ label: String) -> String {
    NSTemporaryDirectory() + "tracespool-bench-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}

func makeTracer(_ label: String, queuedBuffers: Int = 4096) -> (SpoolTracer, String) {
    let dir = spoolPath(label)
    var config = TracerConfiguration(serviceName: "bench", spoolDirectory: dir)
    config.shutdownAtExit = false
    config.maxQueuedBuffers = queuedBuffers
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
    if drops > 0 { print("\(label): \(drops) spans dropped — the writer fell behind") }
    _ = tracer.shutdown()
    try? FileManager.default.removeItem(atPath: dir)
}

/// Per-span benchmarks run 1,000 spans per sample; the starred (scaled) metrics are per span.
func perSpan() -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
        scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 100_000)
}

/// One typical span through the typed API: five attributes, no payload.
@inline(__always)
func typicalSpan(_ tracer: SpoolTracer, _ i: Int) {
    tracer.startSpan(
        "chat gpt-4o-mini",
        attributes: [
            .string("gen_ai.request.model", "gpt-4o-mini"), .int("gen_ai.usage.input_tokens", 100 + i % 900),
            .int("gen_ai.usage.output_tokens", 20 + i % 300), .string("session.id", "session-42"),
            .bool("cache.hit", i % 3 == 0),
        ]
    ).end()
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
        maxDuration: .seconds(3), maxIterations: 1_000_000)

    Benchmark("withSpan + 5 attributes: NoOpTracer (baseline)", configuration: perSpan()) { benchmark in
        let tracer = NoOpTracer()
        for _ in benchmark.scaledIterations {
            tracer.withSpan("op") { span in
                span.attributes["a"] = "x"
                span.attributes["b"] = 1
                span.attributes["c"] = 2.5
                span.attributes["d"] = true
                span.attributes["e"] = "y"
            }
        }
    }

    Benchmark(
        "withSpan + 5 attributes: SpoolTracer", configuration: perSpan(),
        closure: { benchmark in
            let tracer = sharedTracer("withspan")
            for _ in benchmark.scaledIterations {
                tracer.withSpan("op") { span in
                    span.attributes["a"] = "x"
                    span.attributes["b"] = 1
                    span.attributes["c"] = 2.5
                    span.attributes["d"] = true
                    span.attributes["e"] = "y"
                }
            }
        }, setup: { setUpTracer("withspan") }, teardown: { tearDownTracer("withspan") })

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

    // One iteration = 2 threads × 100,000 spans, then a flush; throughput × 200,000 = spans/s.
    Benchmark(
        "sustained: 2 threads × 100,000 spans + flush, per iteration",
        configuration: .init(metrics: [.wallClock, .cpuTotal, .throughput], maxDuration: .seconds(10), maxIterations: 30)
    ) { benchmark in
        let (tracer, dir) = makeTracer("sustained", queuedBuffers: 64)
        defer {
            _ = tracer.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
        let perThread = 100_000
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let group = DispatchGroup()
            for _ in 0..<2 {
                group.enter()
                Thread.detachNewThread {
                    for i in 0..<perThread { typicalSpan(tracer, i) }
                    group.leave()
                }
            }
            group.wait()
            // A false flush means spans were dropped (the writer fell behind): reported below, not a crash.
            _ = tracer.flush(timeoutMillis: 60_000)
        }
        benchmark.stopMeasurement()
        let stats = tracer.statistics
        print("sustained: written \(stats.spansWritten) spans, dropped \(stats.drops.total) (\(stats.drops.counts))")
        print("disk bytes per typical span: \(Double(directoryBytes(dir)) / Double(max(1, stats.spansWritten)))")
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
            precondition(tracer.flush(timeoutMillis: 60_000))
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
