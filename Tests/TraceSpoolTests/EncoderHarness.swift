import Logging
import OTLPWire
import SpoolFormat
import Tracing

@testable import TraceSpool

/// Encodes spans on the test's thread, without a writer thread: a tracer core that is never started, and spans with
/// fixed ids and times, so that tests can compare exact bytes.
struct EncoderHarness {
    let core: TracerCore

    init(_ change: (inout TracerConfiguration) -> Void = { _ in }) {
        var config = TracerConfiguration(serviceName: "encoder-tests", spoolDirectory: "/nonexistent/encoder-tests")
        config.shutdownAtExit = false
        config.logLevel = .critical
        change(&config)
        core = TracerCore(
            config: config.clamped, logger: Logger(label: "encoder-tests"), options: SegmentWriterOptions())
    }

    var encoder: SpanRecordEncoder { core.encoder }

    /// A recording span with fixed ids and start time.
    func span(
        _ name: String, type: SpanType? = nil, attributes: [SpoolAttribute] = [], parent: Bool = true,
        kind: SpanKind = .client
    ) -> SpanStorage {
        let parentContext =
            parent ? SpoolSpanContext(traceID: TraceID(high: 0x0102, low: 0x0304), spanID: SpanID(0x0506)) : nil
        return SpanStorage(
            core: core, name: name, traceID: TraceID(high: 0x0102, low: 0x0304), spanID: SpanID(0x0708),
            parent: parentContext, kind: kind, startNanos: 1_700_000_000_000_000_000, parentContext: .topLevel,
            type: type, attributes: attributes)
    }

    /// The end time every record is encoded with.
    static let endNanos: UInt64 = 1_700_000_000_123_456_789

    /// The record (header and body) `appendSpanRecord` writes: the fast path when it applies, else the general one.
    func record(_ storage: SpanStorage, dictionary: SpanAttributes? = nil) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 0)
        _ = storage.state.withLock { s in
            encoder.appendSpanRecord(storage, s, dictionary: dictionary, endNanos: Self.endNanos, into: &writer)
        }
        return writer.bytes
    }

    /// The record the stack-assembled fast path writes, or nil when the span needs the general path.
    func fastRecord(_ storage: SpanStorage, dictionary: SpanAttributes? = nil) -> [UInt8]? {
        pathRecord("fast", storage) { s, writer in
            encoder.appendSpanRecordFast(storage, s, dictionary: dictionary, endNanos: Self.endNanos, into: &writer)
        }
    }

    /// The record the sized path writes, or nil when the span needs the general path.
    func sizedRecord(_ storage: SpanStorage, dictionary: SpanAttributes? = nil) -> [UInt8]? {
        pathRecord("sized", storage) { s, writer in
            encoder.appendSpanRecordSized(storage, s, dictionary: dictionary, endNanos: Self.endNanos, into: &writer)
        }
    }

    /// The record one of the encoder's paths (`append`) writes for `storage`, or nil when it leaves the span to the
    /// general path; traps when it wrote something and then gave up, or wrote fewer bytes than the length it returned.
    private func pathRecord(
        _ path: String, _ storage: SpanStorage, _ append: (borrowing SpanState, inout ProtobufWriter) -> Int?
    ) -> [UInt8]? {
        var writer = ProtobufWriter(capacity: 0)
        let length = storage.state.withLock { s in append(s, &writer) }
        guard let length else {
            precondition(writer.count == 0, "the \(path) path wrote \(writer.count) bytes and then gave up")
            return nil
        }
        precondition(writer.count >= length, "the \(path) path's length \(length) exceeds its \(writer.count) bytes")
        return writer.bytes
    }

    /// The span body the general path writes (no record header).
    func generalBody(_ storage: SpanStorage, dictionary: SpanAttributes? = nil) -> [UInt8] {
        var writer = ProtobufWriter(capacity: 0)
        storage.state.withLock { s in
            encoder.encodeSpan(storage, s, dictionary: dictionary, endNanos: Self.endNanos, into: &writer)
        }
        return writer.bytes
    }

    /// The spans ended on this thread since the last call, taken from its buffer (the core has no writer).
    func takeRecordedSpans() throws -> [OTLPSpan] {
        guard let batch = core.withThreadBuffer({ $0.take() }) else { return [] }
        guard let records = RecordEncoding.split(batch.bytes, expectedCount: batch.records) else {
            throw SpoolTestError.malformedRecords
        }
        return try records.map { record in
            guard record.type == .span else { throw SpoolTestError.malformedRecords }
            return try OTLPSpan(decoding: record.body)
        }
    }

    /// The body of a span record (its header removed); nil when `record` is not one well-formed span record.
    static func body(ofRecord record: [UInt8]) -> [UInt8]? {
        guard let records = RecordEncoding.split(record, expectedCount: 1), records[0].type == .span else {
            return nil
        }
        return Array(records[0].body)
    }
}

/// Bytes that are not the records a test expects.
enum SpoolTestError: Error {
    case malformedRecords
}

extension Array where Element == UInt8 {
    /// Lower-case hex, two digits a byte.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(count * 2)
        for b in self {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
