import OTLPWire

/// Draws a trace as an indented tree with a duration waterfall: one line per span with its name, model and token
/// usage (generations), tool name (tools), error text, duration and a bar placed and scaled within the trace's
/// overall time span.
///
/// Children are ordered by start time. Spans whose parent is not in the trace are drawn as extra roots marked
/// `(parent <id> missing)`; spans in a parent cycle (hostile data) are drawn once, as roots. Traversal is iterative,
/// so arbitrarily deep traces cannot overflow the stack.
package struct TraceTreeRenderer: Sendable {
    /// How to draw.
    package var style: TreeStyle

    /// Creates a renderer.
    package init(style: TreeStyle = .plain) { self.style = style }

    private struct Line {
        var prefix: String
        var label: String
        var span: TreeSpan
    }

    /// A drawn trace.
    package struct Drawing: Sendable, Equatable {
        /// A header line, then one line per span drawn, each ending in a newline.
        package var text: String
        /// How many spans are deeper than the style's `maxDepth` and not drawn.
        package var hiddenSpans: Int
    }

    /// Draws `trace`.
    package func render(_ trace: TraceCollector.Trace) -> Drawing {
        let spans = trace.spans
        var firstIndexOfID: [UInt64: Int] = [:]
        for (i, s) in spans.enumerated() where firstIndexOfID[s.spanID] == nil { firstIndexOfID[s.spanID] = i }
        var children: [UInt64: [Int]] = [:]
        var roots: [Int] = []
        for (i, s) in spans.enumerated() {
            if let parent = s.parentID, parent != s.spanID, firstIndexOfID[parent] != nil {
                children[parent, default: []].append(i)
            } else {
                roots.append(i)
            }
        }
        let order: (Int, Int) -> Bool = {
            (spans[$0].start, spans[$0].spanID, $0) < (spans[$1].start, spans[$1].spanID, $1)
        }
        roots.sort(by: order)
        for key in children.keys { children[key]?.sort(by: order) }

        var lines: [Line] = []
        var visited = [Bool](repeating: false, count: spans.count)
        var expanded: Set<UInt64> = []
        var hidden = 0
        // Stack entries: index, depth, prefix for the node's own line, prefix for its children.
        var stack: [(Int, Int, String, String)] = []
        func walk(from root: Int) {
            stack.append((root, 0, "", ""))
            while let (i, depth, own, childPrefix) = stack.popLast() {
                guard !visited[i] else { continue }
                visited[i] = true
                let s = spans[i]
                if let maxDepth = style.maxDepth, depth > maxDepth {
                    hidden += 1
                } else {
                    lines.append(Line(prefix: own, label: label(s, isRoot: depth == 0), span: s))
                }
                guard !expanded.contains(s.spanID), let kids = children[s.spanID] else { continue }
                expanded.insert(s.spanID)
                let pending = kids.filter { !visited[$0] }
                for (n, k) in pending.enumerated().reversed() {
                    let last = n == pending.count - 1
                    stack.append(
                        (
                            k, depth + 1, childPrefix + (last ? style.lastBranch : style.branch),
                            childPrefix + (last ? "   " : style.pipe)
                        ))
                }
            }
        }
        for r in roots { walk(from: r) }
        for i in spans.indices where !visited[i] { walk(from: i) }

        let errors = spans.filter { $0.facts.isError }.count
        var out =
            "trace \(trace.traceID)  \(spans.count) span\(spans.count == 1 ? "" : "s")  "
            + SizeFormat.duration(nanos: trace.end - trace.start) + "  " + TimeFormat.rfc3339(unixNanos: trace.start)
        if errors > 0 { out += "  " + paint("\(errors) error\(errors == 1 ? "" : "s")", code: 31) }
        out += "\n"
        let width = min(style.maxLabelWidth, lines.map { $0.prefix.count + $0.label.count }.max() ?? 0)
        for line in lines {
            var text = line.prefix + line.label
            if text.count > width { text = String(text.prefix(max(0, width - 3))) + "..." }
            let color: Int? = line.span.facts.isError ? 31 : (line.span.status == .ok ? 32 : nil)
            let shown = SizeFormat.padRight(text, width)
            out += (line.span.facts.isError ? paint(shown, code: 31) : shown) + " "
            out += SizeFormat.padLeft(SizeFormat.duration(nanos: line.span.end - line.span.start), 8) + " "
            out += bar(line.span, trace: trace, color: color) + "\n"
        }
        return Drawing(text: out, hiddenSpans: hidden)
    }

    /// Name plus what matters for the span's kind.
    func label(_ s: TreeSpan, isRoot: Bool) -> String {
        var text = s.name.isEmpty ? "(unnamed)" : s.name
        var details: [String] = []
        if s.facts.isGeneration {
            if let m = s.facts.model { details.append(TerminalText.safe(m, maxCharacters: 40)) }
            if let t = s.facts.tokenSummary { details.append(t) }
            if let c = s.facts.costUSD { details.append("$" + SizeFormat.fixed(c, 4)) }
        }
        if s.facts.isTool, let tool = s.facts.toolName {
            details.append("tool: " + TerminalText.safe(tool, maxCharacters: 40))
        }
        if !details.isEmpty { text += " (" + details.joined(separator: ", ") + ")" }
        if isRoot, let parent = s.parentID { text += " (parent \(TreeSpan.hex(parent)) missing)" }
        if s.facts.isError {
            text += " ERROR"
            if let m = s.facts.errorMessage { text += ": " + TerminalText.safe(m, maxCharacters: 60) }
        }
        return text
    }

    /// The waterfall bar of `span` within the trace's time span.
    func bar(_ span: TreeSpan, trace: TraceCollector.Trace, color: Int?) -> String {
        let w = style.barWidth
        let total = Double(max(trace.end - trace.start, 1))
        var from = Int((Double(span.start - trace.start) / total * Double(w)).rounded(.down))
        var to = Int((Double(span.end - trace.start) / total * Double(w)).rounded(.up))
        from = min(max(from, 0), w - 1)
        to = min(max(to, from + 1), w)
        let before = String(repeating: style.empty, count: from)
        let body = String(repeating: style.filled, count: to - from)
        let after = String(repeating: style.empty, count: w - to)
        let painted = color.map { paint(body, code: $0) } ?? body
        return style.barEdge + before + painted + after + style.barEdge
    }

    private func paint(_ text: String, code: Int) -> String {
        style.colors ? "\u{1B}[\(code)m" + text + "\u{1B}[0m" : text
    }
}
