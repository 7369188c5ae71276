import Tracing

/// The mutable part of a recording span, guarded by the span's `Mutex`.
struct SpanState: Sendable {
    var name: String
    var attributes: [SpoolAttribute] = []
    /// The agent span type, written as `tracespool.span.type` and `openinference.span.kind` (kept out of the
    /// attribute list so typed spans need no extra entries).
    var type: SpanType?
    /// Attributes set through the standard `attributes` property (dictionary mode). Once it is set, the list
    /// above is empty and `set` writes here; the count limit is then applied when encoding.
    var dictionary: SpanAttributes?
    var droppedAttributes: UInt32 = 0
    var events: [SpanEvent] = []
    var droppedEvents: UInt32 = 0
    var links: [SpanLink] = []
    var droppedLinks: UInt32 = 0
    /// 0 unset, 1 ok, 2 error.
    var statusCode: Int32 = 0
    var statusMessage: String = ""
    var ended = false
    /// Per-span override of input/output capture (nil: the tracer's setting).
    var captureIO: Bool?

    init(name: String) { self.name = name }

    /// A state starting with `attributes` (adopted as the attribute storage) and the count `limit` applied.
    init(name: String, type: SpanType?, attributes: [SpoolAttribute], limit: Int) {
        self.name = name
        self.type = type
        self.attributes = attributes
        if attributes.count > limit {
            foldDuplicates()
            if self.attributes.count > limit {
                droppedAttributes = UInt32(self.attributes.count - limit)
                self.attributes.removeLast(self.attributes.count - limit)
            }
        }
    }

    /// Sets `entry.key`. Below the count limit this only appends (no search): a later entry of the same key shadows
    /// an earlier one and the encoder writes only the last. At the limit, duplicates are folded first; a new key is
    /// then counted as dropped.
    @inline(__always)
    mutating func set(_ entry: SpoolAttribute, limit: Int) {
        if dictionary != nil {
            dictionary![entry.key] = entry.value
            return
        }
        if attributes.count >= limit {
            foldDuplicates()
            if let i = attributes.firstIndex(where: { $0.key == entry.key }) {
                attributes[i].stored = entry.stored
                return
            }
            if attributes.count >= limit {
                droppedAttributes &+= 1
                return
            }
        }
        if attributes.capacity == 0 { attributes.reserveCapacity(8) }
        attributes.append(entry)
    }

    /// Keeps only the last entry of each key, in first-seen order.
    mutating func foldDuplicates() {
        var folded: [SpoolAttribute] = []
        folded.reserveCapacity(attributes.count)
        for entry in attributes {
            if let i = folded.firstIndex(where: { $0.key == entry.key }) {
                folded[i].stored = entry.stored
            } else {
                folded.append(entry)
            }
        }
        attributes = folded
    }

    /// The attributes as a `SpanAttributes` dictionary (slow path, for the standard `attributes` getter).
    var spanAttributes: SpanAttributes {
        var result = dictionary ?? [:]
        if let type {
            result[AttributeNames.spanType] = type.rawValue
            result[AttributeNames.openInferenceKind] = type.openInferenceKind
        }
        for entry in attributes { result[entry.key] = entry.value }
        return result
    }
}
