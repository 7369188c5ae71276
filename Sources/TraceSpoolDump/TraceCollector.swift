public import OTLPWire
import SpoolBase

/// Groups spans by trace for `tree` and `trace`, holding at most `maxSpans` spans so that a huge spool cannot
/// exhaust memory; once the cap is reached further spans are counted, not kept (`truncated`).
public struct TraceCollector: Sendable {
    /// The spans of one trace.
    public struct Trace: Sendable, Equatable {
        /// The trace id, lowercase hex.
        public var traceID: String
        /// Its spans, in the order read.
        public var spans: [TreeSpan]
        /// The earliest start, Unix nanoseconds.
        public var start: UInt64
        /// The latest end, Unix nanoseconds.
        public var end: UInt64
    }

    /// The most spans kept.
    public let maxSpans: Int
    private var traces: [String: Trace] = [:]
    /// Spans kept.
    public private(set) var keptSpans = 0
    /// Spans that passed the filter but were not kept because the cap was reached.
    public private(set) var skippedSpans = 0
    /// Whether the cap was reached.
    public var truncated: Bool { skippedSpans > 0 }

    /// Creates a collector keeping at most `maxSpans` spans (at least 1).
    public init(maxSpans: Int = 200_000) { self.maxSpans = max(1, maxSpans) }

    /// Adds one span.
    public mutating func add(_ span: OTLPSpan, facts: SpanFacts) {
        guard keptSpans < maxSpans else {
            skippedSpans += 1
            return
        }
        keptSpans += 1
        let tree = TreeSpan(span, facts: facts)
        let id = Hex.string(of: span.traceID.prefix(16))
        if var trace = traces.removeValue(forKey: id) {
            trace.spans.append(tree)
            trace.start = min(trace.start, tree.start)
            trace.end = max(trace.end, tree.end)
            traces[id] = trace
        } else {
            traces[id] = Trace(traceID: id, spans: [tree], start: tree.start, end: tree.end)
        }
    }

    /// The traces, ordered by earliest start, then id.
    public var sortedTraces: [Trace] {
        traces.values.sorted { ($0.start, $0.traceID) < ($1.start, $1.traceID) }
    }

    /// The number of traces held.
    public var traceCount: Int { traces.count }
}
