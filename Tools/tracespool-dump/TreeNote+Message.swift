import TraceSpoolDump

extension TreeNote {
    /// The note's line (without its newline), naming the option that changes it.
    var message: String {
        switch self {
        case .deeperThanMaxDepth(let spans, let maxDepth):
            "(\(spans) span\(spans == 1 ? "" : "s") deeper than --max-depth \(maxDepth) not shown)"
        case .spanCapReached(let maxSpans, let skippedSpans):
            "(span cap of \(maxSpans) reached: \(skippedSpans) more spans not shown; narrow with "
                + "--trace/--since/--until or raise --max-spans)"
        }
    }
}
