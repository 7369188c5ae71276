import SpoolFormat
import Tracing

/// The mutable part of a recording span, guarded by the span's `Mutex`. Kept small: a typical span's state is
/// its name and attribute list; rarely used parts live in `extras`, created on first use.
struct SpanState {
    var name: String
    var attributes: [SpoolAttribute]
    /// Events, links and the status message (nil until one is recorded).
    var extras: SpanExtras?
    var droppedAttributes: UInt32 = 0
    /// The agent span type, written as `tracespool.span.type` and `openinference.span.kind` (kept out of the
    /// attribute list so typed spans need no extra entries).
    var type: SpanType?
    /// 0 unset, 1 ok, 2 error.
    var statusCode: UInt8 = 0
    var ended = false
    /// Per-span override of input/output capture (nil: the tracer's setting).
    var captureIO: Bool?

    /// The extras, created on first use.
    var extrasForUpdate: SpanExtras {
        mutating get {
            if let extras { return extras }
            let created = SpanExtras()
            extras = created
            return created
        }
    }

    /// The status message recorded with an error status ("" when none).
    var statusMessage: String { extras?.statusMessage ?? "" }

    /// A state starting with `attributes` (adopted as the attribute storage) and the count `limit` applied.
    init(name: consuming String, type: SpanType?, attributes: consuming [SpoolAttribute], limit: Int) {
        self.name = name
        self.type = type
        self.attributes = attributes
        if self.attributes.count > limit {
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

    /// The attributes as a `SpanAttributes` dictionary (slow path, for the standard `attributes` getter): `base`
    /// (the span's dictionary) overridden by the typed list, with the type's keys as the encoder writes them.
    func spanAttributes(over base: SpanAttributes?) -> SpanAttributes {
        var result = base ?? [:]
        for entry in attributes { result[entry.key] = entry.value }
        // As the encoder writes them: the type key from the type, the kind from the type unless set explicitly.
        if let type {
            result[AttributeNames.spanType] = type.rawValue
            if result.get(AttributeNames.openInferenceKind) == nil {
                result[AttributeNames.openInferenceKind] = type.openInferenceKind
            }
        }
        return result
    }
}
