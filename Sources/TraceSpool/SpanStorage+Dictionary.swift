import Synchronization
import Tracing

/// A span's attribute dictionary lent out for in-place mutation (`span.attributes["k"] = v`).
struct LentAttributes {
    var attributes: SpanAttributes
    /// Whether the lender owns the span's dictionary (false: a temporary, because another thread was mutating it).
    let owned: Bool
}

// The standard API's `span.attributes["k"] = v` is a `_modify` access: the span's dictionary moves out to the
// caller and back. A `Mutex` around each move would cost two lock/unlock pairs (four atomic read-modify-writes,
// the most expensive instructions on this path) per attribute; ownership costs one exchange to take the
// dictionary and one plain release store to give it back. Nobody ever waits for it: a thread that finds it
// taken (two threads mutating one span's attributes at the same moment) works on a temporary dictionary that is
// merged into the typed list under the `Mutex` afterwards, so no update is lost.
extension SpanStorage {
    /// Takes the span's dictionary for in-place mutation, with typed attributes set since the last access moved
    /// into it first; an empty one with room for 8 entries when the span has none yet.
    @inline(never)  // keeps the caller's coroutine frame small enough for the stack
    func lendDictionary() -> LentAttributes {
        guard !dictionaryOwned.exchange(true, ordering: .acquiring) else {
            return LentAttributes(attributes: Self.noAttributes, owned: false)
        }
        if !dictionaryUsed.load(ordering: .relaxed) { dictionaryUsed.store(true, ordering: .relaxed) }
        var lent = dictionary.take() ?? Self.emptyDictionary()
        if typedAttributesPending.load(ordering: .relaxed) {
            // Typed attributes set before this access are older than what the caller writes now.
            state.withLock { s in
                for entry in s.attributes { lent.set(entry.key, value: entry.value) }
                s.attributes.removeAll(keepingCapacity: true)
                typedAttributesPending.store(false, ordering: .relaxed)
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
            dictionaryOwned.store(false, ordering: .releasing)
        } else if !taken.isEmpty {
            mergeAsTyped(taken)
        }
    }

    /// Replaces all attributes (the `attributes` setter). On a typed span what the getter reports for the type
    /// (`span.attributes = span.attributes`) is not kept as attributes (`SpanType.removeLeadingAttributes(from:)`).
    func replaceAttributes(_ attributes: consuming SpanAttributes) {
        if let type = state.withLock({ $0.type }) { type.removeLeadingAttributes(from: &attributes) }
        guard !dictionaryOwned.exchange(true, ordering: .acquiring) else {
            mergeAsTyped(attributes)
            return
        }
        if !dictionaryUsed.load(ordering: .relaxed) { dictionaryUsed.store(true, ordering: .relaxed) }
        dictionary = attributes
        state.withLock { s in
            s.attributes.removeAll(keepingCapacity: true)
            s.droppedAttributes = 0
            typedAttributesPending.store(false, ordering: .relaxed)
        }
        dictionaryOwned.store(false, ordering: .releasing)
    }

    /// All attributes as one dictionary (the `attributes` getter). Without the span's dictionary while another
    /// thread mutates it in place.
    func readAttributes() -> SpanAttributes {
        var base: SpanAttributes?
        if !dictionaryOwned.exchange(true, ordering: .acquiring) {
            base = dictionary
            dictionaryOwned.store(false, ordering: .releasing)
        }
        return state.withLock { $0.spanAttributes(over: base) }
    }

    private func mergeAsTyped(_ attributes: SpanAttributes) {
        let limit = core.config.attributeCountLimit
        state.withLock { s in
            attributes.forEach { key, value in s.set(SpoolAttribute(key, value), limit: limit) }
            typedAttributesPending.store(true, ordering: .relaxed)
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
