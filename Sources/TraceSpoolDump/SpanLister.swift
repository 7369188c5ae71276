import OTLPWire

/// The `spans` command: every span that passes a filter, one line (or one OTLP/JSON object) each, in file order.
/// Streams with bounded memory whatever the spool's size.
package struct SpanLister {
    /// Which spans to print.
    package var filter: SpanFilter
    /// Print OTLP/JSON lines instead of text lines.
    package var json: Bool
    /// Stop after this many printed spans (nil: no limit).
    package var limit: Int?

    /// Creates a lister.
    package init(filter: SpanFilter = .all, json: Bool = false, limit: Int? = nil) {
        self.filter = filter
        self.json = json
        self.limit = limit
    }

    /// What a listing found.
    package struct Summary: Sendable, Equatable {
        /// Spans printed.
        package var printed = 0
        /// Span records read (decoded or not).
        package var spansRead = 0
        /// Damage and other problems, for standard error.
        package var diagnostics = DumpDiagnostics()
    }

    /// Prints the spans of `segments` to `out`.
    @discardableResult
    package func run(segments: [SpoolSegment], to out: inout some TextOutputStream) -> Summary {
        var result = Summary()
        if let limit, limit <= 0 { return result }
        SpoolScanner(segments: segments).scan { event in
            result.diagnostics.note(event)
            switch event {
            case .undecodableSpan: result.spansRead += 1
            case .span(let span, _): return print(span, into: &result, to: &out)
            default: break
            }
            return .proceed
        }
        return result
    }

    /// Prints the spans of the uploader's SQLite store to `out`, in insertion order, exactly as spool spans are
    /// printed.
    ///
    /// - Throws: `DumpError.store` when the store cannot be read (spans printed before the failure stay printed).
    @discardableResult
    package func run(store: SQLiteSpanSource, to out: inout some TextOutputStream) throws(DumpError) -> Summary {
        var result = Summary()
        if let limit, limit <= 0 { return result }
        let scan = try store.forEachSpan { span in print(span, into: &result, to: &out) }
        result.spansRead = scan.rowsRead
        result.diagnostics = scan.diagnostics
        return result
    }

    /// Counts and, when it passes the filter, prints one span; `.stop` once the limit is reached.
    private func print(_ span: OTLPSpan, into result: inout Summary, to out: inout some TextOutputStream) -> ScanControl
    {
        result.spansRead += 1
        let facts = SpanFacts(span)
        guard filter.matches(span, facts) else { return .proceed }
        let renderer = SpanLineRenderer()
        out.write((json ? renderer.json(span) : renderer.line(span, facts: facts)) + "\n")
        result.printed += 1
        if let limit, result.printed >= limit { return .stop }
        return .proceed
    }
}
