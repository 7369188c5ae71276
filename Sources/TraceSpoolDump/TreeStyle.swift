/// How `tree` and `trace` draw: ANSI colours and Unicode box drawing on a terminal, plain ASCII otherwise.
package struct TreeStyle: Sendable, Equatable {
    /// Colour status (green OK, red ERROR) with ANSI escapes.
    package var colors: Bool
    /// Draw with Unicode (`├─`, `└─`, `█`, `·`) instead of ASCII (`|-`, `` `- ``, `#`, `.`).
    package var unicode: Bool
    /// The waterfall's width in characters (clamped to 8...200).
    package var barWidth: Int
    /// The widest name column in characters (clamped to 20...200); longer labels are cut.
    package var maxLabelWidth: Int
    /// Show spans at most this deep (a root is depth 0); nil: all.
    package var maxDepth: Int?

    /// Creates a style.
    package init(
        colors: Bool = false, unicode: Bool = false, barWidth: Int = 40, maxLabelWidth: Int = 80, maxDepth: Int? = nil
    ) {
        self.colors = colors
        self.unicode = unicode
        self.barWidth = min(max(barWidth, 8), 200)
        self.maxLabelWidth = min(max(maxLabelWidth, 20), 200)
        self.maxDepth = maxDepth
    }

    /// Plain ASCII, no colours: what `tree` prints when standard output is not a terminal.
    package static let plain = TreeStyle()

    /// Colours and Unicode: what `tree` prints on a terminal.
    package static let terminal = TreeStyle(colors: true, unicode: true)

    var branch: String { unicode ? "├─ " : "|- " }
    var lastBranch: String { unicode ? "└─ " : "`- " }
    var pipe: String { unicode ? "│  " : "|  " }
    var filled: Character { unicode ? "█" : "#" }
    var empty: Character { unicode ? "·" : "." }
    var barEdge: String { "|" }
}
