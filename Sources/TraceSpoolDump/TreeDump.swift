import OTLPWire

/// The `tree` and `trace ID` commands: collect the spans that pass a filter, group them by trace (bounded by
/// `maxSpans`) and draw each trace with `TraceTreeRenderer`.
public struct TreeDump {
    /// Which spans to include (`trace ID` sets `tracePrefix`).
    public var filter: SpanFilter
    /// How to draw.
    public var style: TreeStyle
    /// The most spans held in memory; beyond it, spans are skipped and a note says so.
    public var maxSpans: Int

    /// Creates the command.
    public init(filter: SpanFilter = .all, style: TreeStyle = .plain, maxSpans: Int = 200_000) {
        self.filter = filter
        self.style = style
        self.maxSpans = maxSpans
    }

    /// What was drawn.
    public struct Result: Sendable, Equatable {
        /// Traces drawn.
        public var traces = 0
        /// Spans drawn (before `--max-depth`).
        public var spans = 0
        /// Spans skipped because `maxSpans` was reached.
        public var skippedSpans = 0
        /// Damage and other problems, for standard error.
        public var diagnostics = DumpDiagnostics()
    }

    /// Draws the traces of `segments` to `out`, separated by blank lines; ends with a note when the span cap was hit.
    @discardableResult
    public func run(segments: [SpoolSegment], to out: inout some TextOutputStream) -> Result {
        var result = Result()
        var collector = TraceCollector(maxSpans: maxSpans)
        SpoolScanner(segments: segments).scan { event in
            result.diagnostics.note(event)
            if case .span(let span, _) = event { collect(span, into: &collector) }
            return .proceed
        }
        render(collector, into: &result, to: &out)
        return result
    }

    /// Draws the traces of the uploader's SQLite store to `out`, exactly as `run(segments:to:)` draws a spool's,
    /// holding at most `maxSpans` spans.
    ///
    /// - Throws: `DumpError.sqlite` when the store cannot be read; nothing is drawn then.
    @discardableResult
    public func run(store: SQLiteSpanSource, to out: inout some TextOutputStream) throws(DumpError) -> Result {
        var result = Result()
        var collector = TraceCollector(maxSpans: maxSpans)
        let scan = try store.forEachSpan { span in
            collect(span, into: &collector)
            return .proceed
        }
        result.diagnostics = scan.diagnostics
        render(collector, into: &result, to: &out)
        return result
    }

    private func collect(_ span: OTLPSpan, into collector: inout TraceCollector) {
        let facts = SpanFacts(span)
        if filter.matches(span, facts) { collector.add(span, facts: facts) }
    }

    private func render(_ collector: TraceCollector, into result: inout Result, to out: inout some TextOutputStream) {
        let renderer = TraceTreeRenderer(style: style)
        for (n, trace) in collector.sortedTraces.enumerated() {
            if n > 0 { out.write("\n") }
            out.write(renderer.render(trace))
            result.traces += 1
            result.spans += trace.spans.count
        }
        result.skippedSpans = collector.skippedSpans
        if collector.truncated {
            out.write(
                "\n(span cap of \(maxSpans) reached: \(collector.skippedSpans) more spans not shown; narrow with "
                    + "--trace/--since/--until or raise --max-spans)\n")
        }
    }
}
