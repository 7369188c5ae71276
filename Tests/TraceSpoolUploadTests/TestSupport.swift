import Foundation
import Logging
import OTLPWire
import SpoolFormat
import TraceSpoolUpload

/// A temporary directory removed by `cleanup()`.
struct TempDirectory {
    let path: String

    init(_ label: String = "upload") {
        path = NSTemporaryDirectory() + "tracespool-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: path) }

    var spool: String { path + "/spool" }
}

/// Test spans: span id = 8-byte big-endian index, so deliveries can be counted per span.
enum TestSpans {
    static let traceID: [UInt8] = Array(repeating: 0xAB, count: 16)

    static func spanID(_ index: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt64(index + 1).bigEndian) { Array($0) }
    }

    static func index(ofSpanID id: [UInt8]) -> Int {
        Int(id.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }) - 1
    }

    static func span(_ index: Int, padding: Int = 40, randomPadding: Bool = false) -> OTLPSpan {
        var span = OTLPSpan()
        span.traceID = traceID
        span.spanID = spanID(index)
        if index % 10 != 0 { span.parentSpanID = spanID(index - index % 10) }
        span.name = "span-\(index)"
        span.kind = .internal
        span.startTimeUnixNano = 1_700_000_000_000_000_000 + UInt64(index) * 1000
        span.endTimeUnixNano = span.startTimeUnixNano + 500
        span.attributes = [
            OTLPKeyValue("session.id", .string("session-\(index % 3)")),
            OTLPKeyValue("user.id", .string("user-1")),
            OTLPKeyValue("tracespool.span.type", .string(index % 10 == 0 ? "agent" : "tool")),
            OTLPKeyValue("gen_ai.usage.input_tokens", .int(Int64(index))),
            OTLPKeyValue(
                "pad",
                .string(
                    randomPadding
                        ? String((0..<padding).map { _ in "abcdefghijklmnopqrstuvwxyz0123456789".randomElement()! })
                        : String(repeating: "x", count: padding))),
        ]
        return span
    }

    static let resource = OTLPResource(attributes: [OTLPKeyValue("service.name", .string("upload-test"))])
    static let scope = OTLPInstrumentationScope(name: "tests", version: "1.0")

    /// Writes spans `range` into the spool, `perFrame` spans per frame, sealing at the end when `seal`.
    @discardableResult
    static func write(
        _ range: Range<Int>, to spool: String, perFrame: Int = 100, maxSegmentBytes: Int = 64 << 20,
        seal: Bool = true, padding: Int = 40, randomPadding: Bool = false
    ) throws -> SegmentWriter {
        let directory = try SpoolDirectory(path: spool)
        let writer = try SegmentWriter(
            directory: directory,
            options: SegmentWriterOptions(
                maxSegmentBytes: maxSegmentBytes, resource: resource.serialized(), scope: scope.serialized()))
        var i = range.lowerBound
        while i < range.upperBound {
            let end = min(range.upperBound, i + perFrame)
            var payload: [UInt8] = []
            for j in i..<end {
                RecordEncoding.append(
                    type: .span, body: span(j, padding: padding, randomPadding: randomPadding).serialized(),
                    to: &payload)
            }
            try writer.append(payload: payload, recordCount: end - i)
            i = end
        }
        try writer.sync()
        if seal { try writer.close() }
        return writer
    }

    /// Span indexes in a list of encoded spans.
    static func indexes(_ spans: [[UInt8]]) throws -> [Int] {
        try spans.map { try index(ofSpanID: OTLPSpan(decoding: $0).spanID) }
    }
}

/// Walks an `ExportTraceServiceRequest` envelope (resource_spans → scope_spans → spans) to get the span bytes; the
/// spans themselves are decoded with `OTLPSpan(decoding:)`.
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

/// An uploader with a fast retry policy against `url`.
func makeHTTPUploader(
    spool: String, url: String, maxBatchSpans: Int = 8192, maxBatchBytes: Int = 4 << 20,
    retry: RetryPolicy = RetryPolicy(baseMillis: 20, capMillis: 200, maxElapsedMillis: 5_000),
    timeoutMillis: Int = 10_000, compression: OTLPHTTPConfiguration.Compression = .none,
    metrics: UploadMetrics = UploadMetrics(), logger: Logger = quietLogger()
) -> Uploader {
    let sink = OTLPHTTPSink(
        configuration: OTLPHTTPConfiguration(
            tracesURL: url + "/v1/traces", compression: compression, timeoutMillis: timeoutMillis),
        retryPolicy: retry, metrics: metrics, logger: logger)
    return Uploader(
        configuration: UploaderConfiguration(
            spoolPaths: [spool], maxBatchSpans: maxBatchSpans, maxBatchBytes: maxBatchBytes),
        sink: sink, metrics: metrics, logger: logger)
}
