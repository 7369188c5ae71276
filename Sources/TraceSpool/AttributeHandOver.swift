import Synchronization

/// Who holds a span's attribute dictionary (`SpanStorage.dictionary`), as a state machine: each event is one or two
/// atomic operations and returns what its caller does with the dictionary. No lock, no waiting: it works the same on
/// one thread as on many, so tests drive every transition on one.
///
/// State: `owned` (someone holds the dictionary: it is lent out for `span.attributes[k] = v`, being replaced, read or
/// encoded), `used` (the dictionary has been used at all: `end()` of a span that never used it skips it) and
/// `typedPending` (the typed attribute list may hold entries newer than the dictionary; set and cleared under the
/// span's lock). Whoever turns `owned` from false to true owns the dictionary until `release()`.
///
/// Why not a `Mutex`: the standard API's `span.attributes["k"] = v` lends the dictionary out and back per attribute;
/// a lock around each move costs two lock/unlock pairs (four atomic read-modify-writes, the most expensive
/// instructions on this path) per attribute, ownership one exchange and one plain release store. Nobody ever waits: a
/// thread that finds the dictionary taken (two threads mutating one span's attributes at the same moment) works on a
/// temporary one, merged into the typed list afterwards, so no update is lost.
struct AttributeHandOver: ~Copyable {
    private let owned = Atomic<Bool>(false)
    private let used = Atomic<Bool>(false)
    private let typedPending: Atomic<Bool>

    /// A span whose typed list starts with entries (`typedPending`) or empty.
    init(typedPending: Bool) {
        self.typedPending = Atomic(typedPending)
    }

    /// What `lend()` asks the caller to do.
    enum LendAction: Equatable {
        /// Take the dictionary (the caller owns it until `release()`), first moving the typed list into it when
        /// `mergeTyped` (then clear the list and call `typedMerged()`, under the span's lock).
        case lendOwned(mergeTyped: Bool)
        /// Lend a temporary empty dictionary: another caller holds the span's; merge the temporary into the typed list
        /// afterwards (`typedSet()`).
        case lendTemporary
    }

    /// `span.attributes[k] = v` begins: lends the dictionary out.
    @inline(__always)
    func lend() -> LendAction {
        guard !owned.exchange(true, ordering: .acquiring) else { return .lendTemporary }
        if !used.load(ordering: .relaxed) { used.store(true, ordering: .relaxed) }
        return .lendOwned(mergeTyped: typedPending.load(ordering: .relaxed))
    }

    /// `span.attributes = …` begins. Returns true when the caller owns the dictionary (then replace it, clear the
    /// typed list and call `typedMerged()` under the span's lock, and `release()`); false when another caller holds it
    /// (then merge the new attributes into the typed list instead, `typedSet()`).
    @inline(__always)
    func acquireToReplace() -> Bool {
        guard !owned.exchange(true, ordering: .acquiring) else { return false }
        if !used.load(ordering: .relaxed) { used.store(true, ordering: .relaxed) }
        return true
    }

    /// The `attributes` getter begins. Returns true when the caller owns the dictionary (then copy it and
    /// `release()`); false when another caller holds it (then read without it). Does not mark it used.
    @inline(__always)
    func acquireToRead() -> Bool {
        !owned.exchange(true, ordering: .acquiring)
    }

    /// What `acquireToEnd()` asks the caller to do.
    enum EndAction: Equatable {
        /// Encode without a dictionary: the span never used one.
        case encodeWithoutDictionary
        /// Take the dictionary, encode with it, put it back and `release()`.
        case encodeWithDictionary
        /// Encode without the dictionary: another thread is still mutating it (a span ended meanwhile loses that).
        case encodeWithoutLentDictionary
    }

    /// `end()` begins.
    @inline(__always)
    func acquireToEnd() -> EndAction {
        guard used.load(ordering: .relaxed) else { return .encodeWithoutDictionary }
        return owned.exchange(true, ordering: .acquiring) ? .encodeWithoutLentDictionary : .encodeWithDictionary
    }

    /// The owner gives the dictionary back (after `.lendOwned`, `acquireToReplace`/`acquireToRead`/`acquireToEnd`
    /// that gave it ownership).
    @inline(__always)
    func release() {
        owned.store(false, ordering: .releasing)
    }

    /// An entry was added to the typed list (under the span's lock): it is newer than the dictionary.
    @inline(__always)
    func typedSet() {
        typedPending.store(true, ordering: .relaxed)
    }

    /// The typed list was merged into the dictionary, or cleared (under the span's lock).
    @inline(__always)
    func typedMerged() {
        typedPending.store(false, ordering: .relaxed)
    }

    /// Whether someone holds the dictionary (for tests).
    var isOwned: Bool { owned.load(ordering: .relaxed) }
}
