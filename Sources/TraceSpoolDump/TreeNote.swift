/// A note `tree` and `trace` print about spans they leave out. `TreeDump` asks its `describe` function for the
/// text: the `tracespool-dump` executable words it, naming the option that changes it.
package enum TreeNote: Sendable, Equatable {
    /// `spans` spans of one trace are deeper than the style's `maxDepth` and were not drawn (printed after that
    /// trace).
    case deeperThanMaxDepth(spans: Int, maxDepth: Int)
    /// The span cap `maxSpans` was reached and `skippedSpans` more spans were not drawn (printed after the last
    /// trace).
    case spanCapReached(maxSpans: Int, skippedSpans: Int)
}
