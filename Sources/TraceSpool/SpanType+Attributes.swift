import SpoolFormat
import Tracing

// How a span's type appears among its attributes, for the span record encoder (`SpanRecordEncoder`) and the standard
// `attributes` property (`SpanState.spanAttributes(over:)`, `SpanStorage.replaceAttributes(_:)`). They know only the
// mechanism: a typed span writes the attributes its type leads with, ahead of its own, and leaves out the keys its
// type reserves. What those are — `tracespool.span.type` and OpenInference's `openinference.span.kind` — is decided
// here.
extension SpanType {
    /// Calls `body` with each attribute a span of this type leads with, in order, until `body` returns false; returns
    /// false when it did. The attributes: `tracespool.span.type` (the type's name); then `openinference.span.kind`,
    /// unless the typed list `list` sets it (the list writes it in its place): the value in `dictionary` when set
    /// there (a score's `EVALUATOR`, an `EMBEDDING` or `RERANKER` span), else the kind the type implies. Written
    /// ahead of the span's own attributes, so the attribute count limit never drops them and each key appears once.
    @inline(__always)
    func forEachLeadingAttribute(
        list: UnsafeBufferPointer<SpoolAttribute>, dictionary: SpanAttributes?, _ body: (String, SpanAttribute) -> Bool
    ) -> Bool {
        guard body(AttributeNames.spanType, .string(rawValue)) else { return false }
        if list.containsKey(AttributeNames.openInferenceKind) { return true }
        let kind = dictionary?.get(AttributeNames.openInferenceKind) ?? .string(openInferenceKind)
        return body(AttributeNames.openInferenceKind, kind)
    }

    /// The type's position in `allCases`, for tables of per-type values.
    var ordinal: Int {
        switch self {
        case .trace: 0
        case .agent: 1
        case .generation: 2
        case .embedding: 3
        case .tool: 4
        case .retrieval: 5
        case .chain: 6
        case .handoff: 7
        case .guardrail: 8
        case .event: 9
        case .custom: 10
        case .thought: 11
        case .observation: 12
        case .error: 13
        }
    }

    /// Whether an entry of a typed span's attribute list with `key` is left out: the type key, always written from
    /// the type (the record would otherwise hold the key twice). A kind in the list is written in its place.
    @inline(__always)
    func reservesListKey(_ key: String) -> Bool {
        // The length first: comparing two different strings' bytes costs a call into the standard library.
        key.utf8.count == AttributeNames.spanType.utf8.count && key == AttributeNames.spanType
    }

    /// Whether an entry of a typed span's attribute dictionary with `key` is left out: both type keys, which the
    /// leading attributes write (`forEachLeadingAttribute`).
    @inline(__always)
    func reservesDictionaryKey(_ key: String) -> Bool {
        key == AttributeNames.spanType || key == AttributeNames.openInferenceKind
    }

    /// Removes from `attributes` what the `attributes` getter reports for this type, so that
    /// `span.attributes = span.attributes` keeps no type key as an attribute: the type key (it always comes from the
    /// type) and a kind equal to the type's own (no override).
    func removeLeadingAttributes(from attributes: inout SpanAttributes) {
        attributes[AttributeNames.spanType] = nil
        if attributes.get(AttributeNames.openInferenceKind) == .string(openInferenceKind) {
            attributes[AttributeNames.openInferenceKind] = nil
        }
    }
}
