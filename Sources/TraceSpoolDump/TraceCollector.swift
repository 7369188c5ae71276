package import OTLPWire
import SpoolBase

/// Groups spans by trace for `tree` and `trace`, holding at most `maxSpans` spans so that a huge spool cannot
/// exhaust memory; once the cap is reached further spans are counted, not kept (`truncated`).
package struct TraceCollector: Sendable {
    /// The spans of one trace.
    package struct Trace: Sendable, Equatable {
        /// The trace id, lowercase hex.
        package var traceID: String
        /// Its spans, in the order read.
        package var spans: [TreeSpan]
        /// The earliest start, Unix nanoseconds.
        package var start: UInt64
        /// The latest end, Unix nanoseconds.
        package var end: UInt64
    }

    /// The most spans kept.
    package let maxSpans: Int
    private var traces: [String: Trace] = [:]
    /// Spans kept.
    package private(set) var keptSpans = 0
    /// Spans that passed the filter but were not kept because the cap was reached.
    package private(set) var skippedSpans = 0
    /// Whether the cap was reached.
    package var truncated: Bool { skippedSpans > 0 }

    /// Creates a collector keeping at most `maxSpans` spans (at least 1).
    package init(maxSpans: Int = 200_000) { self.maxSpans = max(1, maxSpans) }

    /// Adds one span.
    package mutating func add(_ span: OTLPSpan, facts: SpanFacts) {
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
    package var sortedTraces: [Trace] {
        traces.values.sorted { ($0.start, $0.traceID) < ($1.start, $1.traceID) }
    }

    /// The number of traces held.
    package var traceCount: Int { traces.count }
}
