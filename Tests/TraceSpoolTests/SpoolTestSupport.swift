import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

/// All tracer tests run one after another: some change process-wide state (global agent context).
@Suite("TraceSpool tracer", .serialized)
enum TracerTests {}

extension TemporarySpool {
    /// `makeTracer(_:)` with the tracer's own log quiet (critical only): these tests provoke drops and I/O errors.
    func makeQuietTracer(_ configure: (inout TracerConfiguration) -> Void = { _ in }) -> SpoolTracer {
        makeTracer {
            $0.logLevel = .critical
            configure(&$0)
        }
    }

    /// A quiet tracer (see `makeQuietTracer(_:)`) created with test seams, adopted by the spool: `contents()`
    /// flushes it and the end of the scope shuts it down.
    func makeQuietTracer(
        hooks: TracerTestHooks, _ configure: (inout TracerConfiguration) -> Void = { _ in }
    ) -> SpoolTracer {
        var configuration = self.configuration
        configuration.logLevel = .critical
        configure(&configuration)
        return adopt(SpoolTracer(configuration: configuration, logger: nil, testHooks: hooks))
    }
}

extension RecordedSpan {
    /// The string value of attribute `key`; nil when it is missing or not a string.
    func string(_ key: String) -> String? {
        guard case .string(let value)? = attributes.get(key) else { return nil }
        return value
    }

    /// The keys of the span's attributes, sorted.
    var attributeKeys: [String] {
        var keys: [String] = []
        attributes.forEach { key, _ in keys.append(key) }
        return keys.sorted()
    }

    /// The integer value of attribute `key`; nil when it is missing or not an integer.
    func int(_ key: String) -> Int64? {
        guard case .int64(let value)? = attributes.get(key) else { return nil }
        return value
    }
}

/// A quiet tracer configuration (no exit hook, critical-only log) for a spool directory outside any temporary
/// spool: on a file system a test mounted.
func testConfiguration(spool: String) -> TracerConfiguration {
    var config = TracerConfiguration(serviceName: "tracer-tests", spoolDirectory: spool)
    config.shutdownAtExit = false
    config.logLevel = .critical
    return config
}

/// The file names of the segments in the spool directory at `path`, oldest first.
func segmentFileNames(_ path: String) throws -> [String] {
    try SpoolDirectory(path: path, create: false).segments().map(\.name.fileName)
}

/// The header of the first segment in the spool directory at `path`.
func firstSegmentHeader(_ path: String) throws -> SegmentHeader? {
    guard let first = try SpoolDirectory(path: path, create: false).segments().first else { return nil }
    return try SegmentReader(path: first.path).header
}

/// The span records of the spool directory at `path` decoded as OTLP spans, with every attribute in record order
/// (repeated keys kept): for checks of what the tracer encoded that `RecordedSpan` folds away.
func rawSpans(_ path: String) throws -> [OTLPSpan] {
    try rawSpanBodies(path).map { try OTLPSpan(decoding: $0) }
}

/// The raw body bytes of every span record in `path`.
func rawSpanBodies(_ path: String) throws -> [[UInt8]] {
    var bodies: [[UInt8]] = []
    for segment in try SpoolDirectory(path: path, create: false).segments() {
        let reader = try SegmentReader(path: segment.path)
        while let frame = reader.nextFrame() {
            for record in frame.records where record.type == .span { bodies.append(Array(record.body)) }
        }
    }
    return bodies
}

/// Whether the writer thread of `tracer` runs: it has started and its thread still exists. Other tracers' writers
/// (other test targets run in parallel in this process) do not count.
func writerThreadRuns(_ tracer: SpoolTracer) -> Bool {
    guard let tid = tracer.core?.writerThreadID.load(ordering: .relaxed), tid != 0 else { return false }
    return FileManager.default.fileExists(atPath: "/proc/self/task/\(tid)")
}

/// Waits (polling, up to 30 s) until `condition` holds; returns whether it did.
func eventually(_ condition: () -> Bool) -> Bool {
    let deadline = ContinuousClock.now + .seconds(30)
    while !condition() {
        if ContinuousClock.now >= deadline { return false }
        usleep(1000)
    }
    return true
}

/// The blocking `flush`, callable from async tests (where the async overload is preferred).
func blockingFlush(_ tracer: SpoolTracer, _ timeoutMillis: Int) -> Bool {
    tracer.flush(timeoutMillis: timeoutMillis)
}

/// The top-level fields of a protobuf message, each as its raw bytes (tag included), in wire order; nil when the
/// bytes are not a well-formed sequence of fields.
func protobufFields(_ bytes: [UInt8]) -> [[UInt8]]? {
    var fields: [[UInt8]] = []
    var i = 0
    func varint() -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count, shift < 64 {
            let b = bytes[i]
            i += 1
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
    while i < bytes.count {
        let start = i
        guard let tag = varint() else { return nil }
        switch tag & 7 {
        case 0: guard varint() != nil else { return nil }
        case 1: i += 8
        case 2:
            guard let length = varint() else { return nil }
            i += Int(length)
        case 5: i += 4
        default: return nil
        }
        guard i <= bytes.count else { return nil }
        fields.append(Array(bytes[start..<i]))
    }
    return fields
}

/// Whether `body` holds exactly the fields of OTLPWire's canonical encoding of the same span, in any order (the
/// tracer writes ids and times last for compression; protobuf readers accept any order).
func isCanonicalUpToFieldOrder(_ body: [UInt8]) throws -> Bool {
    let canonical = try OTLPSpan(decoding: body).serialized()
    guard let a = protobufFields(body), let b = protobufFields(canonical) else { return false }
    let lexicographic: ([UInt8], [UInt8]) -> Bool = { $0.lexicographicallyPrecedes($1) }
    return a.sorted(by: lexicographic) == b.sorted(by: lexicographic)
}

/// Runs `tool` with `arguments`, output discarded; returns its exit status (-1 when it cannot start).
@discardableResult
func runTool(_ tool: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}

/// What a real-fault test does when this machine cannot stage its fault (no root, no FUSE, no loop device): it says
/// so and passes, except under `CI=true`, where the fault must be staged and the test fails instead.
func skipRealFaultTest(_ what: String, needs: String) {
    #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI must be able to run \(what) (needs \(needs))")
    print("note: skipped \(what) (needs \(needs))")
}

/// Writes propagation headers into a dictionary (the tests' carrier).
struct DictionaryInjector: Injector {
    func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }
}

/// Reads propagation headers from a dictionary.
struct HeaderExtractor: Extractor {
    func extract(key: String, from carrier: [String: String]) -> String? { carrier[key] }
}
