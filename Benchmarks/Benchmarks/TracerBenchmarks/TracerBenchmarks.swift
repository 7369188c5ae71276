import Benchmark
import BenchmarkWorkload
import Foundation
import SpoolFormat
import Synchronization
import TraceSpool
import Tracing

// Tracer hot path and durability, each against a baseline measured in the same run (Benchmarks/README.md has the
// figures and targets):
// - withSpan + 5 attributes via swift-distributed-tracing: SpoolTracer vs NoOpTracer, as separate benchmarks and as
//   one that interleaves them and records the ratio; the separate ones also on a plain thread outside any Swift task
//   (package-benchmark runs benchmarks inside a task, where `withSpan`'s task-local binding costs no malloc; on a
//   plain thread it costs two);
// - withGeneration with two 500-byte messages, three parameters and usage, alone and interleaved with the
//   SpoolTracer withSpan + 5 attributes loop (ratio);
// - start + end with 5 attributes via the typed API, alone and interleaved with the NoOpTracer withSpan loop;
// - sustained: 2 threads into the spool, compressed and written (no drops);
// - flush(timeoutMillis:) with 1,000 pending spans vs a bare append + fdatasync of the same bytes to a file the same
//   way the writer appends to its segment, interleaved in the same samples;
// - disk bytes per span, for spans in traces (a root and 20 children) and for top-level spans.
//
// Malloc counts are package-benchmark's interposer: malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign
// and valloc on every thread of the process (the writer thread included) between the start and the end of a sample.

func directoryBytes(_ path: String) -> Int {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.reduce(0) { total, name in
        let attributes = try? FileManager.default.attributesOfItem(atPath: path + "/" + name)
        return total + ((attributes?[.size] as? Int) ?? 0)
    }
}

/// Per-span benchmarks run 1,000 spans per sample; the starred (scaled) metrics are per span. The malloc count is
/// checked against `Thresholds/` (`swift package benchmark thresholds check`): the p90 of a sample's mallocs (per
/// 1,000 spans) may move by 150 either way, i.e. 0.15 per span (full thread buffers and the writer thread's own
/// allocations move it by up to about 0.1); one more malloc per span is 1,000.
func perSpan() -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
        scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 100_000,
        thresholds: [.mallocCountTotal: .init(absolute: [.p90: 150])])
}

/// A thread outside any Swift task that runs one closure per call of `run`, for benchmarks that measure what a
/// plain application thread pays. package-benchmark runs its benchmark closures inside a task, where task-local
/// bindings (the `InstrumentationContext` that `withSpan` binds for its body) live in the task's allocator; on a thread
/// without a task each binding is a `malloc`.
final class PlainThread: @unchecked Sendable {
    private let start = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)
    // Written by `run` before `start.signal()`, read by the thread after `start.wait()`.
    private var work: (@Sendable () -> Void)?

    init() {
        Thread.detachNewThread { [self] in
            while true {
                start.wait()
                work?()
                done.signal()
            }
        }
    }

    /// Runs `body` on the thread and returns when it has finished.
    func run(_ body: @escaping @Sendable () -> Void) {
        work = body
        start.signal()
        done.wait()
    }
}

/// The plain threads of the benchmarks, by label, created on first use (they live until the process exits).
let plainThreads = Mutex<[String: PlainThread]>([:])

func plainThread(_ label: String) -> PlainThread {
    plainThreads.withLock { threads in
        if let thread = threads[label] { return thread }
        let thread = PlainThread()
        threads[label] = thread
        return thread
    }
}

/// One typical span through the typed API: five attributes, no payload, a child of `parent`.
@inline(__always)
func typicalSpan(_ tracer: SpoolTracer, _ i: Int, parent: InstrumentationContext = .current ?? .topLevel) {
    tracer.startSpan(
        "chat gpt-4o-mini", context: parent,
        attributes: [
            .string("gen_ai.request.model", "gpt-4o-mini"), .int("gen_ai.usage.input_tokens", 100 + i % 900),
            .int("gen_ai.usage.output_tokens", 20 + i % 300), .string("session.id", "session-42"),
            .bool("cache.hit", i % 3 == 0),
        ]
    ).end()
}

/// Two 500-byte message texts (a system prompt and a user question), shared by every generation.
let systemPrompt = String(
    String(repeating: "You are a support agent for an online shop; answer briefly and cite the order. ", count: 7)
        .prefix(500))
let userQuestion = String(
    String(
        repeating: "Where is my order A-1042? It was due on Monday and the tracking page says \"label created\". ",
        count: 6
    ).prefix(500))

/// One generation as a user writes it: `withGeneration` with two 500-byte messages, three parameters (a
/// `[String: Double]`, as the literal infers it) and usage set in the body.
@inline(__always)
func generationWithTwoMessages(_ tracer: SpoolTracer, _ i: Int) {
    tracer.withGeneration(
        "chat", model: "gpt-4o-mini", system: "openai",
        parameters: ["temperature": 0.2, "max_tokens": 256, "top_p": 0.9],
        messages: [
            ChatMessage(role: "system", content: systemPrompt), ChatMessage(role: "user", content: userQuestion),
        ]
    ) { generation in
        generation.setUsage(inputTokens: 100 + i % 900, outputTokens: 20 + i % 300)
    }
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

    Benchmark(
        "withGeneration, two 500-byte messages, three parameters, usage: SpoolTracer",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
            scalingFactor: .kilo, maxDuration: .seconds(3), maxIterations: 100_000),
        closure: { benchmark in
            let tracer = sharedTracer("generation")
            for i in benchmark.scaledIterations { generationWithTwoMessages(tracer, i) }
        }, setup: { setUpTracer("generation") }, teardown: { tearDownTracer("generation") })

    // The generation against the `withSpan + 5 attributes` loop of the same tracer, interleaved as the NoOpTracer
    // comparisons are: each iteration times 1,000 of each back to back and records generation ÷ withSpan × 100
    // (target: ≤ 300).
    let generationRatio = BenchmarkMetric.custom("ratio × 100", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark(
        "withGeneration ÷ withSpan + 5 attributes: SpoolTracer, interleaved (ratio × 100)",
        configuration: .init(metrics: [generationRatio], maxDuration: .seconds(5), maxIterations: 2_000),
        closure: { benchmark in
            let tracer = sharedTracer("generation-paired")
            for _ in benchmark.scaledIterations {
                let base = timed {
                    for _ in 0..<1_000 { withSpanFiveAttributes(tracer) }
                }
                let value = timed {
                    for i in 0..<1_000 { generationWithTwoMessages(tracer, i) }
                }
                benchmark.measurement(generationRatio, Int(value * 100 / max(1, base)))
            }
        }, setup: { setUpTracer("generation-paired") }, teardown: { tearDownTracer("generation-paired") })

    // The same two loops on a plain thread outside any Swift task, as an application thread runs them (the malloc
    // counts differ: see `PlainThread`). Each sample hands the thread 1,000 spans and waits for it (two semaphore
    // hand-offs, a few microseconds per sample).
    Benchmark("withSpan + 5 attributes: NoOpTracer on a plain thread (baseline)", configuration: perSpan()) {
        benchmark in
        let spans = benchmark.scaledIterations.count
        plainThread("noop").run {
            let tracer = NoOpTracer()
            for _ in 0..<spans { withSpanFiveAttributes(tracer) }
        }
    }

    Benchmark(
        "withSpan + 5 attributes: SpoolTracer on a plain thread", configuration: perSpan(),
        closure: { benchmark in
            let tracer = sharedTracer("withspan-plain")
            let spans = benchmark.scaledIterations.count
            plainThread("spool").run {
                for _ in 0..<spans { withSpanFiveAttributes(tracer) }
            }
        }, setup: { setUpTracer("withspan-plain") }, teardown: { tearDownTracer("withspan-plain") })

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
                + "disk bytes per span (roots included): \(bytesPerSpan)")
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

    // flush(timeoutMillis:) with 1,000 pending spans against its baseline in the same samples: appending the same
    // number of bytes to a file of its own and fdatasync'ing it, as the writer appends frames to its segment and
    // syncs it (see `BareSegment`). The two alternate which goes first.
    Benchmark(
        "flush(timeoutMillis:) with 1,000 pending spans vs bare append + fdatasync of the same bytes, interleaved",
        configuration: .init(
            metrics: [FlushComparison.flushMetric, FlushComparison.bareMetric, FlushComparison.ratioMetric],
            maxDuration: .seconds(10), maxIterations: 2_000),
        closure: { benchmark in
            let comparison = flushComparison.withLock { $0! }
            for _ in benchmark.scaledIterations {
                let (flush, bare) = comparison.sample()
                benchmark.measurement(FlushComparison.flushMetric, Int(flush / 1_000))
                benchmark.measurement(FlushComparison.bareMetric, Int(bare / 1_000))
                benchmark.measurement(FlushComparison.ratioMetric, Int(flush * 100 / max(1, bare)))
            }
        }, setup: { flushComparison.withLock { $0 = FlushComparison() } },
        teardown: {
            let comparison = flushComparison.withLock { c in
                defer { c = nil }
                return c
            }
            comparison?.close()
        })

    // Disk bytes per span: 100,000 typical spans from one thread into a new tracer, flushed; the spool directory's
    // bytes (segment header, frame headers, LZ4-compressed records) ÷ spans written, × 100. Spans in a trace share
    // its trace id, which LZ4 then stores once per match; a top-level span carries a random trace id of its own.
    bytesPerSpan("disk bytes per span: typical spans in traces (a root and 20 children)", inTraces: true)
    bytesPerSpan("disk bytes per span: typical top-level spans", inTraces: false)
}

/// Registers a benchmark that records the disk bytes per span (× 100) of 100,000 typical spans, in traces of a root
/// and 20 children or all top-level; checked against `Thresholds/` (±0.3 bytes).
func bytesPerSpan(_ name: String, inTraces: Bool) {
    let metric = BenchmarkMetric.custom("bytes per span × 100", polarity: .prefersSmaller, useScalingFactor: false)
    Benchmark(
        name,
        configuration: .init(
            metrics: [metric], maxDuration: .seconds(30), maxIterations: 5,
            thresholds: [metric: .init(absolute: [.p90: 30])])
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let (tracer, dir) = makeTracer("bytes")
            if inTraces {
                produce(tracer, threads: 1, spansPerThread: 100_000, spansPerSecondPerThread: nil)
            } else {
                for i in 0..<100_000 { typicalSpan(tracer, i) }
            }
            if !tracer.flush(timeoutMillis: 60_000) { report("\(name): flush returned false") }
            let stats = tracer.statistics
            if stats.drops.total > 0 { report("\(name): \(stats.drops.total) spans dropped") }
            benchmark.measurement(metric, directoryBytes(dir) * 100 / max(1, stats.spansWritten))
            _ = tracer.shutdown()
            try? FileManager.default.removeItem(atPath: dir)
        }
    }
}

/// A file appended to and synced exactly as the tracer's writer appends frames to its segment and syncs it on flush:
/// one `pwrite` at the end of an existing file (not preallocated, so the file grows and ext4 commits its journal),
/// then `fdatasync`. Like a segment it starts with a header-sized write and is replaced by a new file (created,
/// synced, its directory fsync'ed) when an append would take it past the tracer's segment size.
final class BareSegment {
    private let directory: String
    private let limit: Int
    private var fd: Int32 = -1
    private var size = 0
    private var files = 0
    private var bytes: [UInt8] = []

    init(directory: String, limit: Int) {
        self.directory = directory
        self.limit = limit
        mkdir(directory, 0o700)
        openNext()
    }

    private var path: String { directory + "/bare-\(files).seg" }

    /// Closes and removes the current file, creates the next one with a 256-byte header, syncs it and its directory.
    private func openNext() {
        if fd >= 0 {
            Glibc.close(fd)
            unlink(path)
            files += 1
        }
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot create \(path): errno \(errno)")
        size = 0
        append(256)
        precondition(fdatasync(fd) == 0)
        syncDirectory()
    }

    private func syncDirectory() {
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        precondition(dirFD >= 0 && fsync(dirFD) == 0)
        Glibc.close(dirFD)
    }

    private func append(_ count: Int) {
        if bytes.count < count { bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) } }
        let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, count, off_t(size)) }
        precondition(written == count, "pwrite: errno \(errno)")
        size += count
    }

    /// Appends `count` bytes and `fdatasync`s them; returns the nanoseconds both took. An append that would take the
    /// file past the segment size starts a new file first, inside the timed region (as a flush that rotates waits for
    /// the seal and syncs the new segment's directory entry).
    func appendAndSync(_ count: Int) -> UInt64 {
        timed {
            if size + count > limit { openNext() }
            append(count)
            precondition(fdatasync(fd) == 0, "fdatasync: errno \(errno)")
        }
    }

    /// Closes and removes the file and its directory.
    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        unlink(path)
        rmdir(directory)
    }
}

/// The flush benchmark's state across its samples: a tracer whose segment already exists, and its bare baseline.
final class FlushComparison: @unchecked Sendable {
    static let flushMetric = BenchmarkMetric.custom("flush (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    static let bareMetric = BenchmarkMetric.custom(
        "bare append + fdatasync (µs)", polarity: .prefersSmaller, useScalingFactor: false)
    static let ratioMetric = BenchmarkMetric.custom(
        "flush ÷ bare sync (%)", polarity: .prefersSmaller, useScalingFactor: false)

    private let tracer: SpoolTracer
    private let directory: String
    private let bare: BareSegment
    /// The bytes the last flush appended (the bare baseline appends as many).
    private var lastBytes = 0
    private var samples = 0

    init() {
        (tracer, directory) = makeTracer("flush")
        bare = BareSegment(directory: spoolPath("flush-bare"), limit: tracer.configuration.maxSegmentBytes)
        // The first flush creates the segment (and fsyncs the directory): not part of any sample.
        for i in 0..<1000 { typicalSpan(tracer, i) }
        _ = tracer.flush(timeoutMillis: 60_000)
        lastBytes = tracer.statistics.bytesWritten
    }

    /// Records 1,000 typical top-level spans (untimed), then times a flush of them and a bare append + fdatasync of
    /// the bytes the flush appended, in alternating order; returns both in nanoseconds.
    func sample() -> (flush: UInt64, bare: UInt64) {
        let before = tracer.statistics.bytesWritten
        for i in 0..<1000 { typicalSpan(tracer, i) }
        var flush: UInt64 = 0
        var bareNanos: UInt64 = 0
        let timeFlush = {
            flush = timed {
                if !self.tracer.flush(timeoutMillis: 60_000) { report("flush: returned false") }
            }
        }
        samples += 1
        if samples.isMultiple(of: 2) {
            timeFlush()
            lastBytes = tracer.statistics.bytesWritten - before
            bareNanos = bare.appendAndSync(lastBytes)
        } else {
            bareNanos = bare.appendAndSync(lastBytes)
            timeFlush()
            lastBytes = tracer.statistics.bytesWritten - before
        }
        return (flush, bareNanos)
    }

    func close() {
        _ = tracer.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
        bare.close()
    }
}

let flushComparison = Mutex<FlushComparison?>(nil)

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
