import SpoolFormat
import Synchronization
import Tracing

/// A span's attribute dictionary lent out for in-place mutation (`span.attributes["k"] = v`).
struct LentAttributes {
    var attributes: SpanAttributes
    /// Whether the lender owns the span's dictionary (false: a temporary, because another thread was mutating it).
    let owned: Bool
}

// The standard API's `span.attributes["k"] = v` is a `_modify` access: the span's dictionary moves out to the
// caller and back, handed over by `AttributeHandOver` (which says why not under a lock). Each method here reports one
// event to it and does what the returned action says with the dictionary and the typed list.
extension SpanStorage {
    /// Takes the span's dictionary for in-place mutation, with typed attributes set since the last access moved
    /// into it first; an empty one with room for 6 entries when the span has none yet. A temporary empty one when
    /// another caller holds the span's.
    @inline(never)  // keeps the caller's coroutine frame small enough for the stack
    func lendDictionary() -> LentAttributes {
        guard case .lendOwned(let mergeTyped) = handOver.lend() else {
            return LentAttributes(attributes: Self.noAttributes, owned: false)
        }
        var lent = dictionary.take() ?? Self.emptyDictionary()
        if mergeTyped {
            // Typed attributes set before this access are older than what the caller writes now.
            state.withLock { s in
                for entry in s.attributes { lent.set(entry.key, value: entry.value) }
                s.attributes.removeAll(keepingCapacity: true)
                handOver.typedMerged()
            }
        }
        return LentAttributes(attributes: lent, owned: true)
    }

    /// Gives back what `lendDictionary` lent: moved back in (no reference counting) or, for a temporary, merged
    /// into the typed list. `lent` is left empty.
    @inline(never)
    func returnDictionary(_ lent: inout LentAttributes) {
        var taken = Self.noAttributes
        swap(&taken, &lent.attributes)
        if lent.owned {
            var slot: SpanAttributes? = consume taken
            swap(&dictionary, &slot)
            handOver.release()
        } else if !taken.isEmpty {
            mergeAsTyped(taken)
        }
    }

    /// Replaces all attributes (the `attributes` setter). On a typed span what the getter reports for the type
    /// (`span.attributes = span.attributes`) is not kept as attributes (`SpanType.removeLeadingAttributes(from:)`).
    func replaceAttributes(_ attributes: consuming SpanAttributes) {
        if let type = state.withLock({ $0.type }) { type.removeLeadingAttributes(from: &attributes) }
        guard handOver.acquireToReplace() else {
            mergeAsTyped(attributes)
            return
        }
        dictionary = attributes
        state.withLock { s in
            s.attributes.removeAll(keepingCapacity: true)
            s.droppedAttributes = 0
            handOver.typedMerged()
        }
        handOver.release()
    }

    /// All attributes as one dictionary (the `attributes` getter). Without the span's dictionary while another
    /// thread mutates it in place.
    func readAttributes() -> SpanAttributes {
        var base: SpanAttributes?
        if handOver.acquireToRead() {
            base = dictionary
            handOver.release()
        }
        return state.withLock { $0.spanAttributes(over: base) }
    }

    private func mergeAsTyped(_ attributes: SpanAttributes) {
        let limit = core.config.attributeCountLimit
        state.withLock { s in
            attributes.forEach { key, value in s.set(SpoolAttribute(key, value), limit: limit) }
            handOver.typedSet()
        }
    }

    /// A new dictionary with room for a typical span's attributes: one allocation instead of several growth steps.
    /// Six entries (8 buckets, about 600 bytes) keep the allocation within malloc's per-thread cache; room for 8
    /// would take 16 buckets and over 1 KiB, served from the shared arena under its lock.
    private static func emptyDictionary() -> SpanAttributes {
        SpanAttributes(Dictionary(minimumCapacity: 6))
    }

    /// An empty dictionary (its storage is the immortal empty singleton: copies cost no atomic operations).
    static let noAttributes = SpanAttributes()
}
