import OTLPWire

/// The `tree` and `trace ID` commands: collect the spans that pass a filter, group them by trace (bounded by
/// `maxSpans`) and draw each trace with `TraceTreeRenderer`.
package struct TreeDump {
    /// Which spans to include (`trace ID` sets `tracePrefix`).
    package var filter: SpanFilter
    /// How to draw.
    package var style: TreeStyle
    /// The most spans held in memory; beyond it, spans are skipped and a note says so.
    package var maxSpans: Int
    /// The text of a note about spans left out (one line, without its newline).
    package var describe: @Sendable (TreeNote) -> String

    /// Creates the command; `describe` words the notes about spans left out.
    package init(
        filter: SpanFilter = .all, style: TreeStyle = .plain, maxSpans: Int = 200_000,
        describe: @escaping @Sendable (TreeNote) -> String
    ) {
        self.filter = filter
        self.style = style
        self.maxSpans = maxSpans
        self.describe = describe
    }

    /// What was drawn.
    package struct Summary: Sendable, Equatable {
        /// Traces drawn.
        package var traces = 0
        /// Spans of the traces drawn, including those deeper than the style's `maxDepth`.
        package var spans = 0
        /// Spans not drawn because they are deeper than the style's `maxDepth`.
        package var hiddenSpans = 0
        /// Spans skipped because `maxSpans` was reached.
        package var skippedSpans = 0
        /// Damage and other problems, for standard error.
        package var diagnostics = DumpDiagnostics()
    }

    /// Draws the traces of `segments` to `out`, separated by blank lines; ends with a note when the span cap was hit.
    @discardableResult
    package func run(segments: [SpoolSegment], to out: inout some TextOutputStream) -> Summary {
        var result = Summary()
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
    /// - Throws: `DumpError.store` when the store cannot be read; nothing is drawn then.
    @discardableResult
    package func run(store: SQLiteSpanSource, to out: inout some TextOutputStream) throws(DumpError) -> Summary {
        var result = Summary()
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

    private func render(_ collector: TraceCollector, into result: inout Summary, to out: inout some TextOutputStream) {
        let renderer = TraceTreeRenderer(style: style)
        for (n, trace) in collector.sortedTraces.enumerated() {
            if n > 0 { out.write("\n") }
            let drawing = renderer.render(trace)
            out.write(drawing.text)
            if drawing.hiddenSpans > 0, let maxDepth = style.maxDepth {
                out.write(describe(.deeperThanMaxDepth(spans: drawing.hiddenSpans, maxDepth: maxDepth)) + "\n")
            }
            result.traces += 1
            result.spans += trace.spans.count
            result.hiddenSpans += drawing.hiddenSpans
        }
        result.skippedSpans = collector.skippedSpans
        if collector.truncated {
            out.write("\n" + describe(.spanCapReached(maxSpans: maxSpans, skippedSpans: collector.skippedSpans)) + "\n")
        }
    }
}
