import Foundation
import OTLPWire
import SpoolFormat
import Testing

@testable import TraceSpool

/// All tracer tests run one after another: some change process-wide state (global agent context).
@Suite("TraceSpool tracer", .serialized)
enum TracerTests {}

/// A fresh temporary directory, removed by `cleanup()`.
struct TempDir {
    let path: String

    init(_ name: String = "tracer") {
        path = NSTemporaryDirectory() + "tracespool-test-\(name)-\(UUID().uuidString)"
    }

    var spool: String { path + "/spool" }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Everything read back from a spool directory.
struct SpoolContents {
    var spans: [OTLPSpan] = []
    var drops = DropCounts()
    var headers: [SegmentHeader] = []
    var segmentNames: [String] = []

    func spans(named name: String) -> [OTLPSpan] { spans.filter { $0.name == name } }
}

/// Reads every segment of `path`, decoding span records and summing drop records.
func readSpool(_ path: String) throws -> SpoolContents {
    var result = SpoolContents()
    guard FileManager.default.fileExists(atPath: path) else { return result }
    let directory = try SpoolDirectory(path: path, create: false)
    for segment in try directory.segments() {
        result.segmentNames.append(segment.name.fileName)
        let reader = try SegmentReader(path: segment.path)
        result.headers.append(reader.header)
        while let frame = reader.nextFrame() {
            for record in frame.records {
                if record.type == .span {
                    result.spans.append(try OTLPSpan(decoding: record.body))
                } else if record.type == .drops, let counts = DropCounts(decoding: record.body) {
                    result.drops.add(counts)
                }
            }
        }
    }
    return result
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

extension OTLPSpan {
    func attribute(_ key: String) -> OTLPValue? {
        attributes.last { $0.key == key }?.value
    }

    func string(_ key: String) -> String? {
        if case .string(let s)? = attribute(key) { return s }
        return nil
    }

    func int(_ key: String) -> Int64? {
        if case .int(let i)? = attribute(key) { return i }
        return nil
    }

    func double(_ key: String) -> Double? {
        if case .double(let d)? = attribute(key) { return d }
        return nil
    }

    var traceIDHex: String { traceID.map { String(format: "%02x", $0) }.joined() }
    var spanIDHex: String { spanID.map { String(format: "%02x", $0) }.joined() }
    var parentIDHex: String { parentSpanID.map { String(format: "%02x", $0) }.joined() }
}

/// A configuration for tests: its own spool, no exit hook, quiet.
func testConfiguration(_ dir: TempDir, _ change: (inout TracerConfiguration) -> Void = { _ in }) -> TracerConfiguration
{
    testConfiguration(spool: dir.spool, change)
}

/// `testConfiguration` for a spool directory elsewhere (on a mounted test file system).
func testConfiguration(
    spool: String, _ change: (inout TracerConfiguration) -> Void = { _ in }
) -> TracerConfiguration {
    var config = TracerConfiguration(serviceName: "tracer-tests", spoolDirectory: spool)
    config.shutdownAtExit = false
    config.logLevel = .critical
    change(&config)
    return config
}

/// Number of TraceSpool writer threads of this process (Linux).
func writerThreadCount() -> Int {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.filter { task in
        let comm = (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)) ?? ""
        return comm.trimmingCharacters(in: .whitespacesAndNewlines) == SpoolWriterThread.threadName
    }.count
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

/// Number of threads of this process (Linux).
func threadCount() -> Int {
    (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? -1
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
