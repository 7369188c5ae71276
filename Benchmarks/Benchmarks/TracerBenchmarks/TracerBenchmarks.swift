import Benchmark
import Foundation
import SpoolFormat
import TraceSpool
import Tracing

// Tracer hot path and durability (issue 3 targets), each against a baseline measured in the same run:
// - withSpan + 5 attributes via swift-distributed-tracing: SpoolTracer vs NoOpTracer (target ≤ 1.5×);
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
    return (SpoolTracer(configuration: config), dir)
}

func directoryBytes(_ path: String) -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.reduce(0) { total, name in
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
        return total + ((attributes?[.size] as? Int) ?? 0)
    }
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

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
        maxDuration: .seconds(3), maxIterations: 1_000_000)

    Benchmark("withSpan + 5 attributes: NoOpTracer (baseline)") { benchmark in
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

    Benchmark("withSpan + 5 attributes: SpoolTracer") { benchmark in
        let (tracer, dir) = makeTracer("withspan")
        defer {
            _ = tracer.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            tracer.withSpan("op") { span in
                span.attributes["a"] = "x"
                span.attributes["b"] = 1
                span.attributes["c"] = 2.5
                span.attributes["d"] = true
                span.attributes["e"] = "y"
            }
        }
        benchmark.stopMeasurement()
    }

    Benchmark("typed start + end, 5 attributes: SpoolTracer") { benchmark in
        let (tracer, dir) = makeTracer("typed")
        defer {
            _ = tracer.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations { typicalSpan(tracer, i) }
        benchmark.stopMeasurement()
        let drops = tracer.statistics.drops.total
        if drops > 0 { report("typed: \(drops) spans dropped (queue full) — the writer fell behind") }
    }

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
                    // Traces of 20 spans: a root and 19 children, as an agent invocation records them.
                    var root = tracer.startSpan("agent run")
                    for i in 0..<perThread {
                        if i % 20 == 0 {
                            root.end()
                            root = tracer.startSpan("agent run")
                        }
                        typicalSpan(tracer, i, parent: root.context)
                    }
                    root.end()
                    group.leave()
                }
            }
            group.wait()
            if !tracer.flush(timeoutMillis: 60_000) { report("sustained: flush returned false (spans were dropped)") }
        }
        benchmark.stopMeasurement()
        let stats = tracer.statistics
        report("sustained: written \(stats.spansWritten) spans, dropped \(stats.drops.total) (\(stats.drops.counts))")
        report("disk bytes per typical span: \(Double(directoryBytes(dir)) / Double(max(1, stats.spansWritten)))")
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
