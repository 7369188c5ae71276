import SpoolBase

/// The fields in which a request differs from a recorded one, as `ReplayMismatchError` names them: the URL query,
/// then the canonical JSON bodies compared member by member (in name order) and element by element, each leaf
/// that differs as a JSON path (`messages[1].content`) with both values shortened.
package enum RequestMatchDifferences {
    /// The longest rendering of a value, in characters, before it is cut with `…`.
    static let valueLength = 60

    /// The differences between `recorded` and `requested` (same method and path), all of them counted, the first
    /// `limit` kept; and the distance, the bytes by which the differing values differ (each pair's lengths without
    /// their common prefix and suffix), which ranks candidates with as many differences.
    package static func between(
        recorded: RequestMatchKey, requested: RequestMatchKey, limit: Int = ReplayMismatchError.maximumDifferences
    ) -> (differences: [ReplayMismatchError.Difference], count: Int, distance: Int) {
        var found = Found(limit: limit)
        if recorded.query != requested.query {
            found.add(
                "(query)", recorded.query.isEmpty ? nil : .string(recorded.query),
                requested.query.isEmpty ? nil : .string(requested.query))
        }
        if let a = recorded.canonicalJSON, let b = requested.canonicalJSON {
            compare(a, b, at: "", into: &found)
        } else if recorded.body != requested.body {
            found.add(
                "(body)", summary(of: recorded), summary(of: requested),
                distance: recorded.bodyCount + requested.bodyCount)
        }
        return (found.items, found.count, found.distance)
    }

    /// A short text for the body of `key`'s request: the start of its canonical JSON and its size, its size when
    /// not JSON, `(no body)` when empty.
    package static func summary(of key: RequestMatchKey) -> String {
        if let json = key.canonicalJSON { return "\(shortened(json)) (\(key.bodyCount) bytes)" }
        return key.bodyCount == 0 ? "(no body)" : "(\(key.bodyCount) bytes, not JSON)"
    }

    private struct Found {
        let limit: Int
        var items: [ReplayMismatchError.Difference] = []
        var count = 0
        var distance = 0

        mutating func add(_ field: String, _ recorded: JSONValue?, _ requested: JSONValue?) {
            let a = recorded.map(CanonicalJSON.bytes) ?? []
            let b = requested.map(CanonicalJSON.bytes) ?? []
            var prefix = 0
            while prefix < min(a.count, b.count), a[prefix] == b[prefix] { prefix += 1 }
            var suffix = 0
            while suffix < min(a.count, b.count) - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
                suffix += 1
            }
            add(
                field, recorded.map(shortened), requested.map(shortened),
                distance: a.count + b.count - 2 * (prefix + suffix))
        }

        mutating func add(_ field: String, _ recorded: String?, _ requested: String?, distance: Int) {
            count += 1
            self.distance += distance
            if items.count < limit {
                items.append(ReplayMismatchError.Difference(field: field, recorded: recorded, requested: requested))
            }
        }
    }

    private static func compare(_ a: JSONValue?, _ b: JSONValue?, at path: String, into found: inout Found) {
        switch (a, b) {
        case (.object(let x), .object(let y)):
            var i = 0
            var j = 0
            // Both sides are canonical: members sorted by name.
            while i < x.count || j < y.count {
                if j == y.count || (i < x.count && x[i].key.utf8.lexicographicallyPrecedes(y[j].key.utf8)) {
                    compare(x[i].value, nil, at: member(path, x[i].key), into: &found)
                    i += 1
                } else if i == x.count || y[j].key.utf8.lexicographicallyPrecedes(x[i].key.utf8) {
                    compare(nil, y[j].value, at: member(path, y[j].key), into: &found)
                    j += 1
                } else {
                    compare(x[i].value, y[j].value, at: member(path, x[i].key), into: &found)
                    i += 1
                    j += 1
                }
            }
        case (.array(let x), .array(let y)):
            for k in 0..<max(x.count, y.count) {
                compare(k < x.count ? x[k] : nil, k < y.count ? y[k] : nil, at: "\(path)[\(k)]", into: &found)
            }
        default:
            if a != b { found.add(path.isEmpty ? "(body)" : path, a, b) }
        }
    }

    private static func member(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        if plain { return path.isEmpty ? key : path + "." + key }
        return path + "[" + quoted(key) + "]"
    }

    private static func quoted(_ text: String) -> String {
        var writer = JSONWriter()
        writer.string(text)
        return writer.text
    }

    /// `value` written compactly, cut to `valueLength` characters with `…`.
    static func shortened(_ value: JSONValue) -> String {
        let text = String(decoding: CanonicalJSON.bytes(value), as: UTF8.self)
        guard text.count > valueLength else { return text }
        return String(text.prefix(valueLength - 1)) + "…"
    }
}
