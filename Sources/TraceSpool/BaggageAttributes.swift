import SpoolBase
import Tracing

/// Which W3C baggage entries (`Baggage`) are copied onto spans as attributes when they start
/// (`TracerConfiguration.baggageAttributes`). None by default: baggage comes from other processes, and what it holds
/// is recorded only when chosen here.
///
/// Each selected entry of the baggage in the span's parent context becomes a string attribute named `prefix` +
/// the baggage key (with the default empty prefix, the key itself: an entry `user.id` becomes the attribute
/// `user.id`). Copied at span start, so an attribute the span sets later wins, and so do the `AgentContext` values
/// (`user.id`, `session.id`, ...) of the process; redaction applies as to any attribute. An entry counts against
/// the span's attribute count limit.
///
/// Environment: `TRACESPOOL_BAGGAGE_ATTRIBUTES` — `*` for every entry, else comma-separated keys (blanks around each
/// trimmed, empty ones skipped); `TRACESPOOL_BAGGAGE_ATTRIBUTE_PREFIX` — the prefix (default empty).
public struct BaggageAttributes: Sendable, Equatable {
    /// The baggage keys copied (exact, case-sensitive); ignored when `copiesAll` is set.
    public var keys: [String] { didSet { isEnabled = copiesAll || !keys.isEmpty } }
    /// Whether every entry is copied.
    public var copiesAll: Bool { didSet { isEnabled = copiesAll || !keys.isEmpty } }
    /// Whether any entry can be copied: one stored flag, the only thing span start reads when nothing is selected.
    private(set) var isEnabled: Bool
    /// Prepended to a baggage key to make its attribute key (default empty: the key itself).
    public var prefix: String

    /// A selection of `keys` (default none), or of every entry with `copiesAll`, under `prefix`.
    public init(keys: [String] = [], copiesAll: Bool = false, prefix: String = "") {
        self.keys = keys
        self.copiesAll = copiesAll
        self.prefix = prefix
        self.isEnabled = copiesAll || !keys.isEmpty
    }

    /// Nothing is copied (the default).
    public static var none: BaggageAttributes { BaggageAttributes() }

    /// Every entry is copied, its attribute named `prefix` + its key.
    public static func all(prefix: String = "") -> BaggageAttributes {
        BaggageAttributes(copiesAll: true, prefix: prefix)
    }

    /// Reads `TRACESPOOL_BAGGAGE_ATTRIBUTES` and `TRACESPOOL_BAGGAGE_ATTRIBUTE_PREFIX` from `env` into `self`.
    mutating func read(_ env: [String: String]) {
        if let v = env["TRACESPOOL_BAGGAGE_ATTRIBUTES"] {
            let list = v.split(separator: ",").map(\.trimmingSpaces).filter { !$0.isEmpty }
            copiesAll = list == ["*"]
            keys = copiesAll ? [] : list
        }
        if let v = env["TRACESPOOL_BAGGAGE_ATTRIBUTE_PREFIX"] { prefix = v.trimmingSpaces }
    }

    // MARK: Stamping

    /// Copies the selected entries of the baggage in `context` onto `span`. With nothing selected (the default) it
    /// returns after one load of a constant flag of the tracer (`TracerCore.copiesBaggage`).
    @inline(__always)
    static func stamp(_ span: SpoolSpan, from context: InstrumentationContext, core: TracerCore) {
        guard core.copiesBaggage else { return }
        stampSelected(span, context, core.config.baggageAttributes)
    }

    @inline(never)
    private static func stampSelected(_ span: SpoolSpan, _ context: InstrumentationContext, _ selection: Self) {
        guard let baggage = context.baggage else { return }
        for entry in baggage.entries where selection.copiesAll || selection.keys.contains(entry.key) {
            span.setAttribute(selection.prefix + entry.key, .string(entry.value))
        }
    }
}
