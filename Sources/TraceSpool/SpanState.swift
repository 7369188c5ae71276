import Tracing

/// One attribute of a recording span.
struct SpanAttributeEntry: Sendable {
    var key: String
    var value: SpanAttribute
}

/// The mutable part of a recording span, guarded by the span's `Mutex`.
struct SpanState: Sendable {
    var name: String
    var attributes: [SpanAttributeEntry] = []
    /// Attributes set through the standard `attributes` property (dictionary mode). Once it is non-empty, the list
    /// above is empty and `set` writes here; the count limit is then applied when encoding.
    var dictionary: SpanAttributes = [:]
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

    /// Sets `key` (replacing an existing value); beyond `limit` distinct keys the attribute is counted as dropped.
    @inline(__always)
    mutating func set(_ key: String, _ value: SpanAttribute, limit: Int) {
        if !dictionary.isEmpty {
            dictionary[key] = value
            return
        }
        for i in attributes.indices where attributes[i].key == key {
            attributes[i].value = value
            return
        }
        guard attributes.count < limit else {
            droppedAttributes &+= 1
            return
        }
        if attributes.capacity == 0 { attributes.reserveCapacity(8) }
        attributes.append(SpanAttributeEntry(key: key, value: value))
    }

    /// The attributes as a `SpanAttributes` dictionary (slow path, for the standard `attributes` getter).
    var spanAttributes: SpanAttributes {
        var result = dictionary
        for entry in attributes { result[entry.key] = entry.value }
        return result
    }
}
