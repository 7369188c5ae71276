import Foundation
import Synchronization
public import TraceSpool
public import Tracing

// What the benchmark targets share: the report file, tracers on temporary spools, the `withSpan` baseline and a
// timer.

/// Appends a line to `$TRACESPOOL_BENCH_REPORT` (default `/tmp/tracespool-benchmarks.txt`): the benchmark tool
/// swallows the benchmarks' own stdout and stderr.
public func report(_ line: String) {
    let path = ProcessInfo.processInfo.environment["TRACESPOOL_BENCH_REPORT"] ?? "/tmp/tracespool-benchmarks.txt"
    let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    guard fd >= 0 else { return }
    defer { close(fd) }
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
}

/// A fresh path for a benchmark's temporary spool.
public func spoolPath(_ label: String) -> String {
    NSTemporaryDirectory() + "tracespool-bench-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}

/// A tracer on a temporary spool (not shut down at exit) and the spool's path.
public func makeTracer(_ label: String, queuedBuffers: Int = 4096) -> (SpoolTracer, String) {
    let dir = spoolPath(label)
    var config = TracerConfiguration(serviceName: "bench", spoolDirectory: dir)
    config.shutdownAtExit = false
    config.maxQueuedBuffers = queuedBuffers
    // `TRACESPOOL_SEGMENT_BYTES` as the tracer reads it, for experiments with the rotation size (default 16 MiB).
    config.maxSegmentBytes = TracerConfiguration.fromEnvironment().maxSegmentBytes
    return (SpoolTracer(configuration: config), dir)
}

/// Tracers created in a benchmark's `setup` and shared by its samples, so that samples measure the hot path (warm
/// thread buffer) rather than creating a tracer, its writer thread and its first buffer.
let sharedTracers = Mutex<[String: (SpoolTracer, String)]>([:])

/// Creates the shared tracer `label` (a benchmark's `setup`).
public func setUpTracer(_ label: String) {
    let made = makeTracer(label)
    sharedTracers.withLock { $0[label] = made }
}

/// The shared tracer `label`, created by `setUpTracer`.
public func sharedTracer(_ label: String) -> SpoolTracer {
    sharedTracers.withLock { $0[label]!.0 }
}

/// Shuts the shared tracer `label` down and removes its spool, reporting spans it dropped (a benchmark's
/// `teardown`).
public func tearDownTracer(_ label: String) {
    guard let (tracer, dir) = sharedTracers.withLock({ $0.removeValue(forKey: label) }) else { return }
    let drops = tracer.statistics.drops.total
    if drops > 0 { report("\(label): \(drops) spans dropped — the writer fell behind") }
    _ = tracer.shutdown()
    try? FileManager.default.removeItem(atPath: dir)
}

/// One `withSpan` with 5 attributes set through the standard `span.attributes` dictionary: the loop body of the
/// `withSpan` comparisons, the same for every tracer (inlined and specialized per tracer type, so each measures its
/// own code).
@inlinable @inline(__always)
public func withSpanFiveAttributes(_ tracer: some Tracer) {
    tracer.withSpan("op") { span in
        span.attributes["a"] = "x"
        span.attributes["b"] = 1
        span.attributes["c"] = 2.5
        span.attributes["d"] = true
        span.attributes["e"] = "y"
    }
}

/// Nanoseconds that `body` takes.
@inlinable
public func timed(_ body: () -> Void) -> UInt64 {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return DispatchTime.now().uptimeNanoseconds - start
}
