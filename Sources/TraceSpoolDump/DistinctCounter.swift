/// Counts distinct keys exactly up to `capacity`, then stops growing and reports a lower bound.
package struct DistinctCounter<Key: Hashable & Sendable>: Sendable {
    private var seen: Set<Key> = []
    /// The most keys remembered.
    package let capacity: Int
    /// Whether more distinct keys than `capacity` were offered (the count is then a lower bound).
    package private(set) var saturated = false

    /// Creates a counter remembering at most `capacity` keys.
    package init(capacity: Int) { self.capacity = max(1, capacity) }

    /// Offers one key.
    package mutating func insert(_ key: Key) {
        if seen.count < capacity {
            seen.insert(key)
        } else if !seen.contains(key) {
            saturated = true
        }
    }

    /// The distinct keys seen (a lower bound when `saturated`).
    package var count: Int { seen.count }

    /// `count`, prefixed with `>=` when saturated.
    package var text: String { saturated ? ">=\(count)" : "\(count)" }
}
