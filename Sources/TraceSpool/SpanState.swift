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
    /// The agent span type: the attributes it leads with are written from it (`SpanType+Attributes.swift`), so typed
    /// spans need no extra entries in the list.
    var type: SpanType?
    /// 0 unset, 1 ok, 2 error.
    var statusCode: UInt8 = 0
    var ended = false
    /// Per-span override of input/output capture (nil: the tracer's setting).
    var captureIO: Bool?
    /// Whether a value set in bulk (`SpanStorage.set(contentsOf:)`: messages, tools, parameters) is too long for the
    /// encoder's stack-assembled fast path, which then is not tried.
    var holdsLongValues = false
    /// The groups set in bulk so far: the entries of a group's first set are marked `distinctKey`.
    var groups: AttributeGroup = []

    /// Records a bulk set of `group` and returns whether it is the first set of each of its groups on this span:
    /// then, and only then, are its entries marked `distinctKey` (none for an empty group).
    @inline(__always)
    mutating func isFirstSet(of group: AttributeGroup) -> Bool {
        let first = !group.isEmpty && groups.isDisjoint(with: group)
        groups.formUnion(group)
        return first
    }

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
                attributes[i].replaceValue(with: entry)
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
                folded[i].replaceValue(with: entry)
            } else {
                folded.append(entry)
            }
        }
        attributes = folded
    }

    /// The attributes as a `SpanAttributes` dictionary (slow path, for the standard `attributes` getter): `base`
    /// (the span's dictionary) overridden by the typed list, with the attributes a typed span leads with as the
    /// encoder writes them.
    func spanAttributes(over base: SpanAttributes?) -> SpanAttributes {
        var result = base ?? [:]
        for entry in attributes { result[entry.key] = entry.value }
        if let type {
            _ = attributes.withUnsafeBufferPointer { list in
                type.forEachLeadingAttribute(list: list, dictionary: base) { key, value in
                    result[key] = value
                    return true
                }
            }
        }
        return result
    }
}

/// A span's typed attribute list (`SpanState.attributes`) as the encoder reads it: entries are appended without a
/// search, so a key may occur more than once, and its last entry wins.
extension UnsafeBufferPointer where Element == SpoolAttribute {
    /// Whether entry `i` is shadowed by a later entry of the same key (only the last one is written).
    @inline(__always)
    func isShadowed(_ i: Int) -> Bool {
        UnsafeBufferPointer(rebasing: self[(i + 1)...]).containsKey(self[i].key)
    }

    /// Calls `body` with the index of each entry that no later entry of the same key shadows, in order: what
    /// `isShadowed` tells. Two entries marked `SpoolAttribute.Marks.distinctKey` never share a key, so only pairs
    /// with an unmarked ("loose") entry are compared: none when every entry is marked (a generation's attributes, set
    /// in groups). With few loose entries, or up to `pairwiseLimit` entries, each key is compared with the later ones
    /// of the same UTF-8 length that may share it; beyond, each key's fingerprint (`SpoolAttribute.keyFingerprint`)
    /// goes into an open-addressing table on the stack, filled from the last entry back, so that a key is compared
    /// only with an entry of the same fingerprint: linear in the count, where the pairwise search is quadratic.
    @inline(__always)
    func forEachUnshadowed(_ body: (Int) -> Void) {
        var loose = 0
        for entry in self where !entry.marks.contains(.distinctKey) { loose += 1 }
        if loose == 0 {
            for i in indices { body(i) }
            return
        }
        guard count <= Self.pairwiseLimit || loose <= Self.looseLimit else {
            forEachUnshadowedHashed(body)
            return
        }
        // The key lengths, then the indices of the loose entries.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: count + loose) { scratch in
            let lengths = scratch.baseAddress!
            let looseIndices = lengths + count
            var k = 0
            for i in indices {
                lengths[i] = self[i].key.utf8.count
                if !self[i].marks.contains(.distinctKey) {
                    looseIndices[k] = i
                    k += 1
                }
            }
            // A loose entry is compared with every later entry, a marked one with the later loose ones.
            var nextLoose = 0
            for i in indices {
                var shadowed = false
                if nextLoose < loose, looseIndices[nextLoose] == i {
                    nextLoose += 1
                    for j in (i + 1)..<count where lengths[j] == lengths[i] && self[j].key == self[i].key {
                        shadowed = true
                        break
                    }
                } else {
                    for m in nextLoose..<loose {
                        let j = looseIndices[m]
                        if lengths[j] == lengths[i], self[j].key == self[i].key {
                            shadowed = true
                            break
                        }
                    }
                }
                if !shadowed { body(i) }
            }
        }
    }

    /// The most loose (unmarked) entries for which `forEachUnshadowed` searches a longer list pairwise.
    static var looseLimit: Int { 8 }

    /// The longest list `forEachUnshadowed` searches pairwise.
    static var pairwiseLimit: Int { 12 }

    /// `forEachUnshadowed` for a list longer than `pairwiseLimit`: see there. A table slot holds an entry's
    /// fingerprint with its index in the low 16 bits, plus one (0: empty); a bit per entry marks the shadowed ones.
    @inline(never)
    func forEachUnshadowedHashed(_ body: (Int) -> Void) {
        // The index takes 16 bits; a longer list (beyond any count limit in use) is searched pairwise.
        guard count < 1 << 16 else {
            for i in indices where !isShadowed(i) { body(i) }
            return
        }
        // A power of two at least twice the count: probe sequences stay short.
        let slots = 1 << (Int.bitWidth - (2 * count - 1).leadingZeroBitCount)
        let mask = slots - 1
        let words = (count + 63) / 64
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: slots + words) { scratch in
            let base = scratch.baseAddress!
            base.initialize(repeating: 0, count: slots + words)
            let shadowed = base + slots
            for i in indices.reversed() {
                let fingerprint = self[i].keyFingerprint & ~0xFFFF
                var slot = Int(truncatingIfNeeded: fingerprint >> 16) & mask
                while true {
                    let entry = base[slot]
                    if entry == 0 {
                        base[slot] = fingerprint | UInt64(i + 1)
                        break
                    }
                    let j = Int(truncatingIfNeeded: entry & 0xFFFF) - 1
                    if entry & ~0xFFFF == fingerprint, self[j].key == self[i].key {
                        shadowed[i >> 6] |= 1 << UInt64(i & 63)
                        break
                    }
                    slot = (slot + 1) & mask
                }
            }
            for i in indices where shadowed[i >> 6] & (1 << UInt64(i & 63)) == 0 { body(i) }
        }
    }

    /// Whether an entry has `key`. Keys are compared by UTF-8 length first, which is O(1). Also tells whether a
    /// dictionary entry is overridden by a later typed `setAttribute`.
    @inline(__always)
    func containsKey(_ key: String) -> Bool {
        guard !isEmpty else { return false }
        let length = key.utf8.count
        for entry in self where entry.key.utf8.count == length && entry.key == key { return true }
        return false
    }
}

extension SpoolAttribute {
    /// A 64-bit hash of the key's UTF-8 bytes (eight at a time): equal keys have equal fingerprints. Not stable
    /// across versions; only `forEachUnshadowed` compares them, within one call.
    @inline(__always)
    fileprivate var keyFingerprint: UInt64 {
        if let fingerprint = key.utf8.withContiguousStorageIfAvailable(Self.fingerprint) { return fingerprint }
        var key = key
        return key.withUTF8(Self.fingerprint)
    }

    @inline(__always)
    private static func fingerprint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        let count = raw.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        @inline(__always) func mix(_ word: UInt64) {
            h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
        }
        if count >= 8 {
            var i = 0
            while i + 8 <= count {
                mix(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            // The last eight bytes, overlapping the words already mixed: the tail without a byte loop.
            if i < count { mix(raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)) }
        } else {
            var tail: UInt64 = 0
            for byte in raw { tail = tail << 8 | UInt64(byte) }
            mix(tail)
        }
        return h
    }
}
