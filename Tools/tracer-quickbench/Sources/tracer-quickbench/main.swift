import Dispatch
import Foundation
// Quick timing and malloc check of the tracer's hot path (not a test, not the package-benchmark suite).
// Run: Tools/tracer-quickbench/run.sh   (builds in release, counts mallocs with an LD_PRELOAD shim)
// Environment: QB_PAIR=1 interleaves NoOpTracer and SpoolTracer bursts and prints paired ratios; QB_COMPRESS=0
// turns LZ4 off (to see how much the writer thread's compression slows the caller's core); QB_CASE/QB_N run one
// case for callgrind (cg.sh, atomics.sh) or the malloc count (mallocs.sh); QB_TASK=1 runs that case inside a Swift
// task; QB_RATE paces QB_CASE=typical.
import TraceSpool
import Tracing

typealias CountFn = @convention(c) () -> UInt64
let countFn: CountFn? = dlsym(dlopen(nil, RTLD_NOW), "tsb_malloc_count").map { unsafeBitCast($0, to: CountFn.self) }
func mallocs() -> UInt64 { countFn?() ?? 0 }

func measure(_ label: String, iterations: Int = 200_000, _ body: () -> Void) -> Double {
    for _ in 0..<2000 { body() }
    var samples: [Double] = []
    let rounds = 11
    var mallocTotal: UInt64 = 0
    for _ in 0..<rounds {
        let m0 = mallocs()
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<(iterations / rounds) { body() }
        let t1 = DispatchTime.now().uptimeNanoseconds
        mallocTotal += mallocs() - m0
        samples.append(Double(t1 - t0) / Double(iterations / rounds))
    }
    samples.sort()
    let median = samples[rounds / 2]
    print(
        String(
            format: "%-48@ median %8.1f ns/op  min %8.1f ns/op  mallocs/op %.2f", label as NSString, median, samples[0],
            Double(mallocTotal) / Double(rounds * (iterations / rounds))))
    return median
}

let dir = NSTemporaryDirectory() + "tsbench-\(getpid())"
var config = TracerConfiguration(serviceName: "bench", spoolDirectory: dir)
config.maxQueuedBuffers = 100_000
config.shutdownAtExit = false
if ProcessInfo.processInfo.environment["QB_COMPRESS"] == "0" { config.compress = false }
let tracer = SpoolTracer(configuration: config)
let noop = NoOpTracer()

/// The package benchmark's `typicalSpan`: five attributes with realistic keys and varying values.
@inline(never)
func typicalSpan(_ i: Int) {
    tracer.startSpan(
        "chat gpt-4o-mini",
        attributes: [
            .string("gen_ai.request.model", "gpt-4o-mini"), .int("gen_ai.usage.input_tokens", 100 + i % 900),
            .int("gen_ai.usage.output_tokens", 20 + i % 300), .string("session.id", "session-42"),
            .bool("cache.hit", i % 3 == 0),
        ]
    ).end()
}

/// The typical span with a bearer token in one of its values: redacted (`[REDACTED:bearer-token]`) on the general
/// encoding path.
@inline(never)
func redactingSpan(_ i: Int) {
    tracer.startSpan(
        "chat gpt-4o-mini",
        attributes: [
            .string("gen_ai.request.model", "gpt-4o-mini"), .int("gen_ai.usage.input_tokens", 100 + i % 900),
            .int("gen_ai.usage.output_tokens", 20 + i % 300),
            .string("http.request.header.authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI3In0.Qm9va3M"),
            .bool("cache.hit", i % 3 == 0),
        ]
    ).end()
}

var typicalCounter = 0

/// Two 500-byte message texts (a system prompt and a user question), shared by every generation.
let systemPrompt = String(
    String(repeating: "You are a support agent for an online shop; answer briefly and cite the order. ", count: 7)
        .prefix(500))
let userQuestion = String(
    String(
        repeating: "Where is my order A-1042? It was due on Monday and the tracking page says \"label created\". ",
        count: 6
    )
    .prefix(500))

/// The package benchmark's generation: `withGeneration` with two 500-byte messages, three parameters (a
/// `[String: Double]`, as a literal infers it) and usage.
@inline(never)
func generationSpan(_ i: Int) {
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

/// Runs quickbench case `only` `n` times (see `QB_CASE`).
func runCase(_ only: String, _ n: Int) {
    switch only {
    case "noop":
        for _ in 0..<n {
            noop.withSpan("op") { span in
                span.attributes["a"] = "x"; span.attributes["b"] = 1; span.attributes["c"] = 2.5
                span.attributes["d"] = true; span.attributes["e"] = "y"
            }
        }
    case "std", "span5":
        // withSpan + 5 attributes through the standard dictionary: the package benchmark's baseline.
        for _ in 0..<n {
            tracer.withSpan("op") { span in
                span.attributes["a"] = "x"; span.attributes["b"] = 1; span.attributes["c"] = 2.5
                span.attributes["d"] = true; span.attributes["e"] = "y"
            }
        }
    case "typed":
        for _ in 0..<n {
            let span = tracer.startSpan("op")
            span.setAttribute("a", .string("x")); span.setAttribute("b", .int64(1));
            span.setAttribute("c", .double(2.5))
            span.setAttribute("d", .bool(true)); span.setAttribute("e", .string("y"))
            span.end()
        }
    case "typedarray":
        for _ in 0..<n {
            tracer.startSpan(
                "op",
                attributes: [.string("a", "x"), .int("b", 1), .double("c", 2.5), .bool("d", true), .string("e", "y")]
            ).end()
        }
    case "typical":
        // The package benchmark's typical span: realistic keys, values that vary (so the array is allocated).
        // QB_RATE=<spans/s> paces the loop (in steps of 1,000 spans), e.g. to count the writer's wake-ups at a
        // moderate rate with `strace -f -c -e trace=futex`.
        let rate = Int(ProcessInfo.processInfo.environment["QB_RATE"] ?? "") ?? 0
        let start = DispatchTime.now().uptimeNanoseconds
        for i in 0..<n {
            typicalSpan(i)
            if rate > 0, i % 1000 == 999 {
                let due = start + UInt64(i + 1) * 1_000_000_000 / UInt64(rate)
                let now = DispatchTime.now().uptimeNanoseconds
                if due > now { usleep(useconds_t((due - now) / 1000)) }
            }
        }
    case "generation":
        // See `generationSpan`; compare with `span5`.
        for i in 0..<n { generationSpan(i) }
    case "redacting":
        // The typical span with a credential in one attribute value (see `redactingSpan`).
        for i in 0..<n { redactingSpan(i) }
    case "child":
        let root = tracer.startSpan("root")
        let rootContext = root.context
        for i in 0..<n {
            let span = tracer.startSpan("op", context: rootContext)
            span.setAttribute("a", .string("x")); span.setAttribute("b", .int64(Int64(i)));
            span.setAttribute("c", .double(2.5))
            span.setAttribute("d", .bool(true)); span.setAttribute("e", .string("y"))
            span.end()
        }
    case "flush":
        // N flushes of 1,000 pending typical top-level spans each, each paired with a bare append + fdatasync of the
        // bytes the flush appended to a file of its own (the flush benchmark's sample; as there, the two alternate
        // which goes first: a sync that comes right after the other's finds the journal just committed), for
        // `strace -f -tt -T` or `perf trace` of what a flush does. QB_FLUSH_DELAY_US=<µs> waits that long between
        // the last span and the flush, so that the writer's nap round has compressed and written the full buffers
        // before the flush asks. QB_BARE=after (or before) puts the bare sync after (before) every flush instead.
        let delay = UInt32(ProcessInfo.processInfo.environment["QB_FLUSH_DELAY_US"] ?? "") ?? 0
        let barePath = dir + "-bare"
        let bareOrder = ProcessInfo.processInfo.environment["QB_BARE"] ?? "alternate"
        let bareFD = open(barePath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        var bareSize = 0
        let bytes = [UInt8](repeating: 0x5A, count: 1 << 20)
        var flushes: [Double] = []
        var bares: [Double] = []
        var ratios: [Double] = []
        // The bytes the last flush appended (the bare append writes as many); the first sample's bare goes second.
        var lastCount = 0
        for sample in 0..<n {
            let before = tracer.statistics.bytesWritten
            for i in 0..<1000 { typicalSpan(i) }
            if delay > 0 { usleep(delay) }
            var bareNanos: UInt64 = 0
            func bare() {
                let count = min(bytes.count, lastCount)
                let b0 = DispatchTime.now().uptimeNanoseconds
                _ = bytes.withUnsafeBytes { pwrite(bareFD, $0.baseAddress, count, off_t(bareSize)) }
                fdatasync(bareFD)
                bareNanos = DispatchTime.now().uptimeNanoseconds - b0
                bareSize += count
            }
            let bareFirst = sample > 0 && (bareOrder == "before" || (bareOrder != "after" && sample.isMultiple(of: 2)))
            if bareFirst { bare() }
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = tracer.flush(timeoutMillis: 60_000)
            let t1 = DispatchTime.now().uptimeNanoseconds
            lastCount = tracer.statistics.bytesWritten - before
            if !bareFirst { bare() }
            flushes.append(Double(t1 - t0) / 1e3)
            bares.append(Double(bareNanos) / 1e3)
            ratios.append(Double(t1 - t0) / Double(max(1, bareNanos)))
        }
        close(bareFD)
        unlink(barePath)
        for (label, values) in [("flush (µs)", flushes), ("bare append + fdatasync (µs)", bares)] {
            let v = values.sorted()
            print(String(format: "%@: p25 %.0f, p50 %.0f, p75 %.0f", label, v[n / 4], v[n / 2], v[n * 3 / 4]))
        }
        let r = ratios.sorted()
        print(String(format: "flush ÷ bare: p25 %.2f, p50 %.2f, p75 %.2f", r[n / 4], r[n / 2], r[n * 3 / 4]))
    default:
        print("unknown QB_CASE \(only)")
    }
}

// Instruction-count mode for callgrind: QB_CASE=<name> QB_N=<iterations> runs one case N times and exits
// (compare two N under `valgrind --tool=callgrind`, or with mallocs.sh, to get counts per span without the setup).
if let only = ProcessInfo.processInfo.environment["QB_CASE"] {
    let n = Int(ProcessInfo.processInfo.environment["QB_N"] ?? "1000") ?? 1000
    if ProcessInfo.processInfo.environment["QB_TASK"] == "1" {
        // Inside a Swift task, as package-benchmark runs its benchmarks: task-local values (the
        // `InstrumentationContext` that `withSpan` binds) then live in the task's allocator instead of being malloc'ed.
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            runCase(only, n)
            done.signal()
        }
        done.wait()
    } else {
        runCase(only, n)
    }
    _ = tracer.flush(timeoutMillis: 60_000)
    print("mallocs \(mallocs()) drops \(tracer.statistics.drops.total) written \(tracer.statistics.spansWritten)")
    tracer.shutdown()
    try? FileManager.default.removeItem(atPath: dir)
    exit(0)
}

// Paired mode: QB_PAIR=1 alternates short bursts of the NoOp baseline and each case, so that both see the same
// machine state, and prints the median of the per-round ratios (robust on a noisy shared machine).
if ProcessInfo.processInfo.environment["QB_PAIR"] == "1" {
    func burst(_ n: Int, _ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<n { body() }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / Double(n)
    }
    let noopBody = {
        noop.withSpan("op") { span in
            span.attributes["a"] = "x"; span.attributes["b"] = 1; span.attributes["c"] = 2.5
            span.attributes["d"] = true; span.attributes["e"] = "y"
        }
    }
    let cases: [(String, () -> Void)] = [
        (
            "std withSpan",
            {
                tracer.withSpan("op") { span in
                    span.attributes["a"] = "x"; span.attributes["b"] = 1; span.attributes["c"] = 2.5
                    span.attributes["d"] = true; span.attributes["e"] = "y"
                }
            }
        ),
        (
            "typical typed span",
            {
                typicalCounter &+= 1
                typicalSpan(typicalCounter)
            }
        ),
        (
            "typed(attributes: 5)",
            {
                tracer.startSpan(
                    "op",
                    attributes: [
                        .string("a", "x"), .int("b", 1), .double("c", 2.5), .bool("d", true), .string("e", "y"),
                    ]
                ).end()
            }
        ),
    ]
    for (label, body) in cases {
        for _ in 0..<3000 { body(); noopBody() }
        var ratios: [Double] = [], times: [Double] = [], bases: [Double] = []
        for _ in 0..<41 {
            let b = burst(2000, noopBody)
            let t = burst(2000, body)
            ratios.append(t / b); times.append(t); bases.append(b)
        }
        ratios.sort(); times.sort(); bases.sort()
        print(
            String(
                format:
                    "%-22@ median %7.1f ns (min %7.1f)  noop median %7.1f ns  paired ratio median %.2f (p25 %.2f, p75 %.2f)",
                label as NSString, times[20], times[0], bases[20], ratios[20], ratios[10], ratios[30]))
    }
    _ = tracer.flush(timeoutMillis: 60_000)
    tracer.shutdown()
    try? FileManager.default.removeItem(atPath: dir)
    exit(0)
}

let noopT = measure("NoOpTracer withSpan + 5 attributes") {
    noop.withSpan("op") { span in
        span.attributes["a"] = "x"; span.attributes["b"] = 1; span.attributes["c"] = 2.5
        span.attributes["d"] = true; span.attributes["e"] = "y"
    }
}
let stdT = measure("SpoolTracer withSpan + 5 attributes (std API)") {
    tracer.withSpan("op") { span in
        span.attributes["a"] = "x"; span.attributes["b"] = 1; span.attributes["c"] = 2.5
        span.attributes["d"] = true; span.attributes["e"] = "y"
    }
}
let stdSet = measure("SpoolTracer withSpan + 5 setAttribute") {
    tracer.withSpan("op") { span in
        span.setAttribute("a", .string("x")); span.setAttribute("b", .int64(1)); span.setAttribute("c", .double(2.5))
        span.setAttribute("d", .bool(true)); span.setAttribute("e", .string("y"))
    }
}
let typed = measure("typed startSpan + 5 setAttribute + end") {
    let span = tracer.startSpan("op")
    span.setAttribute("a", .string("x")); span.setAttribute("b", .int64(1)); span.setAttribute("c", .double(2.5))
    span.setAttribute("d", .bool(true)); span.setAttribute("e", .string("y"))
    span.end()
}
_ = measure("typed startSpan(attributes: 5) + end") {
    tracer.startSpan(
        "op", attributes: [.string("a", "x"), .int("b", 1), .double("c", 2.5), .bool("d", true), .string("e", "y")]
    ).end()
}
_ = measure("typical typed span (package benchmark's)") {
    typicalCounter &+= 1
    typicalSpan(typicalCounter)
}
_ = measure("typed startSpan + end (no attributes)") {
    let span = tracer.startSpan("op")
    span.end()
}
let longSpan = tracer.startSpan("long")
_ = measure("5 setAttribute on a live span") {
    longSpan.setAttribute("a", .string("x")); longSpan.setAttribute("b", .int64(1));
    longSpan.setAttribute("c", .double(2.5))
    longSpan.setAttribute("d", .bool(true)); longSpan.setAttribute("e", .string("y"))
}
_ = measure("clock_gettime via SystemClock.unixNanos") { _ = DispatchTime.now() }
print(String(format: "ratio std/noop %.2f  setAttribute/noop %.2f", stdT / noopT, stdSet / noopT))
_ = tracer.flush(timeoutMillis: 60_000)
let before = tracer.statistics

// Throughput: 2 threads.
let perThread = 1_000_000
let group = DispatchGroup()
let rootSpan = tracer.startSpan("root")
let rootContext = rootSpan.context
let t0 = DispatchTime.now().uptimeNanoseconds
for _ in 0..<2 {
    group.enter()
    Thread {
        for i in 0..<perThread {
            let span = tracer.startSpan("op", context: rootContext)
            span.setAttribute("a", .string("x")); span.setAttribute("b", .int64(Int64(i)));
            span.setAttribute("c", .double(2.5))
            span.setAttribute("d", .bool(true)); span.setAttribute("e", .string("y"))
            span.end()
        }
        group.leave()
    }.start()
}
group.wait()
let ok = tracer.flush(timeoutMillis: 120_000)
let t1 = DispatchTime.now().uptimeNanoseconds
let after = tracer.statistics
let spans = after.spansWritten - before.spansWritten
print(
    String(
        format: "2 threads: %.0f spans/s end-to-end (written+flushed=%@), drops %llu, disk bytes/span %.1f",
        Double(2 * perThread) / (Double(t1 - t0) / 1e9), ok ? "true" : "false", after.drops.total,
        Double(after.bytesWritten - before.bytesWritten) / Double(spans)))

// Flush of 1000 pending spans.
var flushTimes: [Double] = []
for _ in 0..<21 {
    for i in 0..<1000 {
        let span = tracer.startSpan("op")
        span.setAttribute("a", .string("x")); span.setAttribute("b", .int64(Int64(i)))
        span.end()
    }
    let f0 = DispatchTime.now().uptimeNanoseconds
    _ = tracer.flush(timeoutMillis: 60_000)
    flushTimes.append(Double(DispatchTime.now().uptimeNanoseconds - f0) / 1e6)
}
flushTimes.sort()
print(String(format: "flush of 1000 pending spans: median %.3f ms", flushTimes[10]))
// Bare fdatasync of similar bytes.
var syncTimes: [Double] = []
let fd = open(dir + "/bare-sync-test", O_WRONLY | O_CREAT, 0o600)
let chunk = [UInt8](repeating: 7, count: 20_000)
for _ in 0..<21 {
    _ = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    let s0 = DispatchTime.now().uptimeNanoseconds
    fdatasync(fd)
    syncTimes.append(Double(DispatchTime.now().uptimeNanoseconds - s0) / 1e6)
}
syncTimes.sort()
print(String(format: "bare write+fdatasync of 20 KB: median %.3f ms", syncTimes[10]))
close(fd)
unlink(dir + "/bare-sync-test")
tracer.shutdown()
try? FileManager.default.removeItem(atPath: dir)
