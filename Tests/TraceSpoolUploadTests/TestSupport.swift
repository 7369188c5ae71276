import Foundation
import Logging
import MetricsTestKit
import OTLPWire
import ServiceLifecycle
import SpoolFormat
import SpoolTestSupport
import Synchronization
import Testing
import TraceSpool
import TraceSpoolTesting
import TraceSpoolUpload
import Tracing

/// A temporary directory removed by `cleanup()`, with a spool path inside it (for the SQLite sink's tests; the
/// other tests use `withTemporarySpool`).
struct TempDirectory {
    let path: String

    init(_ label: String = "upload") {
        path = NSTemporaryDirectory() + "tracespool-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    var spool: String { path + "/spool" }
}

/// Test spans: span id = index + 1, so deliveries can be counted per span; all in one trace of `traceID`.
enum TestSpans {
    static let traceID = TraceID(high: 0xABAB_ABAB_ABAB_ABAB, low: 0xABAB_ABAB_ABAB_ABAB)

    /// The index of the span with `id`.
    static func index(of id: SpanID) -> Int { Int(id.value) - 1 }

    /// Span `index`: a root every ten spans, the others its children; three sessions; `pad` makes it larger.
    static func span(_ index: Int, padding: Int = 40, randomPadding: Bool = false) -> RecordedSpan {
        let start = 1_700_000_000_000_000_000 + UInt64(index) * 1000
        let pad =
            randomPadding
            ? String((0..<padding).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
            : String(repeating: "x", count: padding)
        var attributes: SpanAttributes = [:]
        attributes["session.id"] = "session-\(index % 3)"
        attributes["user.id"] = "user-1"
        attributes["tracespool.span.type"] = index % 10 == 0 ? "agent" : "tool"
        attributes["gen_ai.usage.input_tokens"] = index
        attributes["pad"] = pad
        return RecordedSpan(
            operationName: "span-\(index)", traceID: traceID, spanID: SpanID(UInt64(index + 1)),
            parentSpanID: index % 10 == 0 ? nil : SpanID(UInt64(index - index % 10 + 1)),
            startNanosecondsSinceEpoch: start, endNanosecondsSinceEpoch: start + 500, attributes: attributes)
    }

    /// Segments made by `builder()` so far: each gets the next id and creation time, so names sort in the order the
    /// segments were made.
    private static let segmentsMade = Atomic<UInt64>(0)

    /// A segment builder with the tests' resource (`service.name` = `upload-test`) and scope (`tests` 1.0).
    static func builder() -> SegmentBuilder {
        let n = segmentsMade.add(1, ordering: .relaxed).newValue
        let created = 1_700_000_000_000_000_000 + n * 1_000_000
        return SegmentBuilder(
            header: SegmentHeader(
                segmentID: n, createdUnixNanos: created,
                writer: WriterIdentity(pid: 4242, host: "upload-test-host", startUnixNanos: created),
                resource: OTLPResource(attributes: [OTLPKeyValue("service.name", .string("upload-test"))]).serialized(),
                scope: OTLPInstrumentationScope(name: "tests", version: "1.0").serialized()))
    }

    /// Writes spans `range` as sealed segments, `perFrame` spans per frame, starting a new segment once one reaches
    /// `maxSegmentBytes`. Each segment appears as a writer makes it (a locked `.open` file renamed to `.seg`), so an
    /// uploader following the spool never sees a partly written file.
    ///
    /// - Returns: the segment files' paths.
    @discardableResult
    static func write(
        _ range: Range<Int>, to spool: String, perFrame: Int = 100, maxSegmentBytes: Int = 64 << 20,
        padding: Int = 40, randomPadding: Bool = false
    ) throws -> [String] {
        var paths: [String] = []
        var segment = builder()
        func seal() throws {
            let live = try segment.writeLive(into: spool)
            try live.seal()
            paths.append(live.path)
        }
        var i = range.lowerBound
        while i < range.upperBound {
            let end = min(range.upperBound, i + perFrame)
            try segment.appendFrame(
                spans: (i..<end).map { span($0, padding: padding, randomPadding: randomPadding) })
            i = end
            if segment.bytes.count >= maxSegmentBytes, i < range.upperBound {
                try seal()
                segment = builder()
            }
        }
        try seal()
        return paths
    }

    /// Writes spans `range` as the `.open` segment of a live writer, `perFrame` spans per frame.
    static func writeLive(_ range: Range<Int>, to spool: String, perFrame: Int = 100) throws -> LiveWriter {
        var segment = builder()
        var i = range.lowerBound
        while i < range.upperBound {
            let end = min(range.upperBound, i + perFrame)
            try segment.appendFrame(spans: (i..<end).map { span($0) })
            i = end
        }
        return LiveWriter(builder: segment, segment: try segment.writeLive(into: spool))
    }

    /// Span indexes in a list of encoded spans.
    static func indexes(_ spans: [[UInt8]]) throws -> [Int] {
        try spans.map { try index(of: RecordedSpan(decoding: $0).spanID) }
    }
}

/// The segment of a live writer made by `TestSpans.writeLive`: appends frames of test spans while holding the lock.
struct LiveWriter {
    var builder: SegmentBuilder
    let segment: LiveSegment

    /// The segment's path (`.open` until sealed).
    var path: String { segment.path }

    /// Appends one frame of spans `range`.
    mutating func append(_ range: Range<Int>) throws {
        let frame = try builder.appendFrame(spans: range.map { TestSpans.span($0) })
        try segment.append(builder.bytes[frame.offset...])
    }

    /// Appends bytes as they are (a torn frame).
    func appendRaw(_ bytes: [UInt8]) throws { try segment.append(bytes) }

    /// Renames the segment to `.seg` and releases its lock, as a writer that finished.
    func seal() throws { try segment.seal() }
}

/// Walks an `ExportTraceServiceRequest` envelope (resource_spans → scope_spans → spans) to get the span bytes; the
/// spans themselves are decoded with `RecordedSpan(decoding:)`.
enum OTLPRequestWalker {
    struct Malformed: Error {}

    static func spans(in body: [UInt8]) throws -> [[UInt8]] {
        var out: [[UInt8]] = []
        for rs in try fields(body[...]) where rs.field == 1 {
            for ss in try fields(rs.bytes) where ss.field == 2 {
                for sp in try fields(ss.bytes) where sp.field == 2 { out.append(Array(sp.bytes)) }
            }
        }
        return out
    }

    static func resources(in body: [UInt8]) throws -> [[UInt8]] {
        try fields(body[...]).filter { $0.field == 1 }.flatMap { rs in
            try fields(rs.bytes).filter { $0.field == 1 }.map { Array($0.bytes) }
        }
    }

    /// Length-delimited fields of a message (other wire types skipped).
    static func fields(_ bytes: ArraySlice<UInt8>) throws -> [(field: Int, bytes: ArraySlice<UInt8>)] {
        var result: [(Int, ArraySlice<UInt8>)] = []
        var i = bytes.startIndex
        func varint() throws -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < bytes.endIndex, shift < 64 else { throw Malformed() }
                let b = bytes[i]
                i += 1
                v |= UInt64(b & 0x7F) << shift
                if b & 0x80 == 0 { return v }
                shift += 7
            }
        }
        while i < bytes.endIndex {
            let tag = try varint()
            switch tag & 7 {
            case 0: _ = try varint()
            case 1: i += 8
            case 5: i += 4
            case 2:
                let n = Int(try varint())
                guard n <= bytes.endIndex - i else { throw Malformed() }
                result.append((Int(tag >> 3), bytes[i..<i + n]))
                i += n
            default: throw Malformed()
            }
        }
        return result
    }
}

enum PartialSuccessEncoding {
    static func encode(rejected: Int64, message: String) -> [UInt8] {
        ExportTraceServiceResponse(rejectedSpans: rejected, errorMessage: message).serialized()
    }
}

/// Files in a directory matching a suffix.
func files(in directory: String, suffix: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(suffix) }.sorted()
}

func quietLogger() -> Logger {
    var logger = Logger(label: "tests")
    logger.logLevel = .critical
    return logger
}

/// A retry configuration in milliseconds: first ceiling, largest ceiling, budget per batch.
func retry(baseMillis: Int, capMillis: Int, maxElapsedMillis: Int) -> SpoolUploader.Configuration.Retry {
    var retry = SpoolUploader.Configuration.Retry()
    retry.initialBackoff = .milliseconds(baseMillis)
    retry.maxBackoff = .milliseconds(capMillis)
    retry.maxElapsed = .milliseconds(maxElapsedMillis)
    return retry
}

/// An uploader sending `spool` to the OTLP/HTTP server at `url`, with a fast retry policy.
func makeHTTPUploader(
    spool: String, url: String, maxBatchSpans: Int = 8192, maxBatchBytes: Int = 4 << 20,
    retry: SpoolUploader.Configuration.Retry = retry(baseMillis: 20, capMillis: 200, maxElapsedMillis: 5_000),
    timeout: Duration = .seconds(10), compression: SpoolUploader.Configuration.OTLPHTTPExporter.Compression = .none,
    certificateFile: String? = nil, metrics: TestMetrics = TestMetrics(), logger: Logger = quietLogger(),
    clock: some Clock<Duration> = ContinuousClock(),
    retryJitter: @escaping @Sendable (ClosedRange<Int>) -> Int = { Int.random(in: $0) }
) throws -> SpoolUploader {
    var configuration = SpoolUploader.Configuration(
        spoolDirectories: [spool],
        destination: .otlpHTTP(
            .init(
                tracesEndpoint: url + "/v1/traces", compression: compression, timeout: timeout,
                certificateFilePath: certificateFile)))
    configuration.batching.maxSpans = maxBatchSpans
    configuration.batching.maxBytes = maxBatchBytes
    configuration.retry = retry
    return try SpoolUploader(
        configuration: configuration, logger: logger, metricsFactory: metrics, clock: clock, io: .shared,
        retryJitter: retryJitter)
}

/// Waits until `server` holds `spans` delivered spans and the uploader logged a removed segment, then shuts `group`
/// down gracefully and waits for `running` (its `run()`) to end.
///
/// - Returns: the metadata of the uploader's `upload summary` line.
func shutDownAfterDelivery(
    of spans: Int, server: TestHTTPServer, logs: CapturedLogs, group: ServiceGroup, running: Task<Void, any Error>
) async throws -> [String: String] {
    await server.waitForDeliveredSpans(spans)
    await logs.waitFor("segment delivered and removed")
    await group.triggerGracefulShutdown()
    try await running.valueUnlessCancelled
    return try #require(logs.entries.first { $0.message == "upload summary" }).metadata
}

extension Task where Failure == Never {
    /// The task's value; when the awaiting task is cancelled (at a test's time limit), this task is cancelled too, so
    /// a test waiting on a task that never ends fails at its limit instead of hanging.
    var valueUnlessCancelled: Success {
        get async {
            await withTaskCancellationHandler {
                await value
            } onCancel: {
                cancel()
            }
        }
    }
}

extension Task where Failure == any Error {
    /// The task's value; see `Task<Success, Never>.valueUnlessCancelled`.
    var valueUnlessCancelled: Success {
        get async throws {
            try await withTaskCancellationHandler {
                try await value
            } onCancel: {
                cancel()
            }
        }
    }
}

extension TestMetrics {
    /// The total of the uploader's counter `definition`.
    func total(_ definition: UploadMetrics.Definition) -> Int64 {
        counterTotal(label: definition.name)
    }
}
