import Foundation
import SpoolBase
public import SpoolFormat
import Synchronization
public import TraceSpool

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A spool directory of one test, with tracers that write into it and a way to read back what they wrote. Made by
/// `withTemporarySpool(serviceName:_:)`, which removes it afterwards.
///
/// ```swift
/// try await withTemporarySpool { spool in
///     let tracer = spool.makeTracer()
///     tracer.withSpan(.tool, "lookup") { _ in }
///     let contents = try await spool.contents()  // flushes `tracer` first
///     #expect(contents.isIntact)
///     #expect(contents.spans.map(\.operationName) == ["lookup"])
/// }
/// ```
///
/// `contents()` and `spans()` first flush every tracer made by `makeTracer(_:)`, so they see every span those
/// tracers ended before the call. A tracer made any other way (for example `SpoolTracer(configuration:
/// spool.configuration)`) is the caller's to flush before reading, and to shut down before the scope ends.
public final class TemporarySpool: Sendable {
    /// The spool directory: `$TMPDIR/tracespool-test-XXXXXX` (`/tmp` when `TMPDIR` is unset), created with mode
    /// 0700 under a name no other directory had.
    public let path: String
    /// The tracer configuration for this spool: `spoolDirectory` is `path`, `serviceName` the one given to
    /// `withTemporarySpool(serviceName:_:)`, `shutdownAtExit` false (the scope shuts its tracers down); every other
    /// setting is `TracerConfiguration`'s default, not read from the environment.
    public let configuration: TracerConfiguration
    private let tracers = Mutex<[SpoolTracer]>([])

    /// Creates the directory.
    ///
    /// - Throws: `SpoolError.io` when the directory cannot be created.
    init(serviceName: String) throws(SpoolError) {
        var template = Array("\(FileSystem.temporaryDirectory)/tracespool-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) } != nil
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        guard made else { throw .io(operation: "mkdtemp", path: path, errno: errno) }
        self.path = path
        var configuration = TracerConfiguration(serviceName: serviceName, spoolDirectory: path)
        configuration.shutdownAtExit = false
        self.configuration = configuration
    }

    /// Makes a tracer writing into this spool, with `configuration` changed by `configure` (for example a sampler or
    /// an attribute limit). `contents()` and `spans()` flush it, and the end of the scope shuts it down.
    ///
    /// Pass it to the code under test, or as the `tracer` of swift-distributed-tracing calls; bootstrapping it
    /// (`InstrumentationSystem.bootstrap`) works once per process only, so tests pass tracers explicitly.
    public func makeTracer(_ configure: (inout TracerConfiguration) -> Void = { _ in }) -> SpoolTracer {
        var configuration = configuration
        configure(&configuration)
        let tracer = SpoolTracer(configuration: configuration)
        tracers.withLock { $0.append(tracer) }
        return tracer
    }

    /// Registers `tracer` as if `makeTracer(_:)` had made it: `contents()` and `spans()` flush it, and the end of the
    /// scope shuts it down. For the package's own tests, whose tracers carry test seams `makeTracer(_:)` cannot set.
    ///
    /// - Returns: `tracer`.
    @discardableResult
    package func adopt(_ tracer: SpoolTracer) -> SpoolTracer {
        tracers.withLock { $0.append(tracer) }
        return tracer
    }

    /// Flushes every tracer made by `makeTracer(_:)` (each up to its `flushTimeoutMillis`), then reads the spool
    /// (see `SpoolContents`).
    ///
    /// A flush that times out or fails does not stop the reading: what did not reach the disk is missing, and the
    /// tracer's drops are in `drops` once it writes them.
    /// - Throws: `SpoolError` when the directory cannot be listed (it was removed or replaced).
    public func contents() throws(SpoolError) -> SpoolContents {
        for tracer in tracers.withLock({ $0 }) { tracer.flush(timeoutMillis: tracer.configuration.flushTimeoutMillis) }
        return try SpoolContents(reading: path)
    }

    /// Async variant of `contents()`: the flushes suspend instead of blocking a thread.
    public func contents() async throws(SpoolError) -> SpoolContents {
        for tracer in tracers.withLock({ $0 }) {
            await tracer.flush(timeoutMillis: tracer.configuration.flushTimeoutMillis)
        }
        return try SpoolContents(reading: path)
    }

    /// The spans of `contents()`, in spool order.
    ///
    /// - Throws: `SpoolError` when the directory cannot be listed.
    public func spans() throws(SpoolError) -> [RecordedSpan] {
        try contents().spans
    }

    /// Async variant of `spans()`.
    public func spans() async throws(SpoolError) -> [RecordedSpan] {
        try await contents().spans
    }

    /// Shuts down every tracer made by `makeTracer(_:)` (so that no writer re-creates the directory) and removes the
    /// directory with everything in it. Failures are ignored: the directory is temporary.
    func remove() {
        for tracer in tracers.withLock({ $0 }) { tracer.shutdown() }
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Runs `body` with a new temporary spool directory, and removes it afterwards, whether `body` returns or throws.
///
/// The directory is made under `$TMPDIR` (`/tmp` when unset) with mode 0700 and a unique name. Before it is removed,
/// every tracer made by `TemporarySpool.makeTracer(_:)` is shut down (sealing its segments).
/// - Parameters:
///   - serviceName: the `service.name` of the tracers' resource (default `tests`).
///   - body: the test; its result is returned.
/// - Throws: `SpoolError.io` when the directory cannot be created, or what `body` throws.
public func withTemporarySpool<T>(serviceName: String = "tests", _ body: (TemporarySpool) throws -> T) throws -> T {
    let spool = try TemporarySpool(serviceName: serviceName)
    defer { spool.remove() }
    return try body(spool)
}

/// Async variant of `withTemporarySpool(serviceName:_:)`.
public func withTemporarySpool<T>(
    serviceName: String = "tests", isolation: isolated (any Actor)? = #isolation,
    _ body: (TemporarySpool) async throws -> T
) async throws -> T {
    let spool = try TemporarySpool(serviceName: serviceName)
    defer { spool.remove() }
    return try await body(spool)
}
