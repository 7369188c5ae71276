package import SpoolBase

/// The canonical form of a JSON value that request matching compares: the fields configured as ignored removed,
/// object members sorted by name (UTF-8 byte order; members of the same name keep their order) at every level, and
/// numbers written by value (`1`, `1.0` and `1e0` are one number; `-0` is `0`). Two bodies match when their
/// canonical forms, written compactly, are the same bytes — so key order and white space never matter.
package enum CanonicalJSON {
    /// The canonical form of `value` without the fields `ignoring` names.
    package static func canonical(_ value: JSONValue, ignoring: [RequestMatchFieldPath] = []) -> JSONValue {
        var value = value
        for path in ignoring { value = path.removing(from: value) }
        return sorted(value, normalizingNumbers: true)
    }

    /// `value` with object members sorted by name at every level; number literals kept as written when
    /// `normalizingNumbers` is false (how a recording writes request bodies, so a re-recording diffs only where the
    /// content changed).
    package static func sorted(_ value: JSONValue, normalizingNumbers: Bool) -> JSONValue {
        switch value {
        case .null, .bool, .string: value
        case .number(let n): normalizingNumbers ? .number(normalized(n)) : value
        case .array(let items): .array(items.map { sorted($0, normalizingNumbers: normalizingNumbers) })
        case .object(let members):
            .object(
                members.enumerated()
                    .sorted { a, b in
                        if a.element.key == b.element.key { return a.offset < b.offset }
                        return a.element.key.utf8.lexicographicallyPrecedes(b.element.key.utf8)
                    }
                    .map {
                        JSONMember($0.element.key, sorted($0.element.value, normalizingNumbers: normalizingNumbers))
                    })
        }
    }

    /// `number` written by value: an integer within ±2^53 (whatever its literal: `5`, `5.0`, `5e0`) in decimal
    /// digits; another finite value in Swift's shortest round-trip form; an integer literal beyond `Double`'s exact
    /// range, or a magnitude beyond `Double`'s, as written.
    package static func normalized(_ number: JSONNumber) -> JSONNumber {
        if let integer = number.int64 {
            if integer.magnitude <= 1 << 53 { return JSONNumber(integer) }
            return number
        }
        let double = number.double
        guard double.isFinite else { return number }
        if double == double.rounded(), double.magnitude <= 9_007_199_254_740_992 { return JSONNumber(Int64(double)) }
        return JSONNumber(double) ?? number
    }

    /// `value` written compactly (what matching compares).
    package static func bytes(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value)
        return writer.bytes
    }
}
