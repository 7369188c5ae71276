import SpoolFormat
import TraceSpool
import TraceSpoolTesting
import Tracing

/// The span records the format, uploader and spool-making benchmarks write: agent spans with five attributes, random
/// ids, realistic times, in traces of 20 spans, encoded as the tracer encodes them (OTLP `Span` records, through
/// `TraceSpoolTesting.RecordedSpan`).
public struct AgentSpanRecords {
    /// The span names, taken in turn.
    public var names: [String]
    /// The span kind.
    public var kind: SpanKind
    /// Whether the first span of each trace of 20 has no parent (else every span is a child of the trace's root).
    public var firstSpanIsTopLevel: Bool
    /// The `tracespool.span.type` of the span with the given index; nil leaves the attribute out.
    public var spanType: (Int) -> String?
    /// Every how many spans one has status ERROR; nil for none.
    public var errorEvery: Int?
    /// The length of an `output.value` attribute of random printable characters (which LZ4 cannot compress); 0
    /// leaves it out.
    public var payloadCharacters: Int

    private var rng = SystemRandomNumberGenerator()
    private var index = 0
    private var traceID = TraceID(high: 0, low: 1)
    private var root = SpanID(1)
    private var start: UInt64 = 1_763_800_000_000_000_000

    /// Creates a generator of spans named `names` in turn.
    public init(
        names: [String], kind: SpanKind, firstSpanIsTopLevel: Bool, spanType: @escaping (Int) -> String?,
        errorEvery: Int? = nil, payloadCharacters: Int = 0
    ) {
        self.names = names
        self.kind = kind
        self.firstSpanIsTopLevel = firstSpanIsTopLevel
        self.spanType = spanType
        self.errorEvery = errorEvery
        self.payloadCharacters = payloadCharacters
    }

    /// The segment options of a benchmark spool: resource `service.name` = `bench`.
    public static var segmentOptions: SegmentWriterOptions {
        let header = SegmentBuilder(resource: ["service.name": "bench"]).header
        return SegmentWriterOptions(resource: header.resource, scope: header.scope)
    }

    /// The next span's record body (an OTLP `Span`).
    public mutating func next() -> [UInt8] {
        let i = index
        index += 1
        if i % 20 == 0 {
            traceID = TraceID(high: rng.next(), low: rng.next())
            root = SpanID(rng.next())
        }
        start += UInt64.random(in: 100_000...5_000_000, using: &rng)
        var attributes: SpanAttributes = [
            "gen_ai.request.model": "gpt-4o-mini",
            "gen_ai.usage.input_tokens": .int64(Int64.random(in: 10...4000, using: &rng)),
            "gen_ai.usage.output_tokens": .int64(Int64.random(in: 10...1000, using: &rng)),
            "session.id": .string("session-\(i / 100)"),
        ]
        if let type = spanType(i) { attributes["tracespool.span.type"] = type }
        if payloadCharacters > 0 {
            // Eight characters from each random word: a system call per word is what the generator costs.
            var printable: [UInt8] = []
            printable.reserveCapacity(payloadCharacters + 7)
            while printable.count < payloadCharacters {
                var word = rng.next()
                for _ in 0..<8 {
                    printable.append(UInt8(33 + (word & 0xff) % 94))
                    word >>= 8
                }
            }
            printable.removeLast(printable.count - payloadCharacters)
            attributes["output.value"] = String(decoding: printable, as: UTF8.self)
        }
        let span = RecordedSpan(
            operationName: names[i % names.count], traceID: traceID, spanID: SpanID(rng.next()),
            parentSpanID: firstSpanIsTopLevel && i % 20 == 0 ? nil : root, kind: kind,
            status: errorEvery.map { i % $0 == 0 } == true ? SpanStatus(code: .error) : nil,
            startNanosecondsSinceEpoch: start,
            endNanosecondsSinceEpoch: start + UInt64.random(in: 50_000...900_000_000, using: &rng),
            attributes: attributes)
        return span.encoded()
    }
}
