/// A JSON document as a tree: what `JSONReader` parses and what `JSONWriter.writePretty(_:)` lays out.
///
/// Objects keep their members in document order, duplicates included (`member(_:)` finds the first); numbers keep
/// their literal text (`JSONNumber`), so an integer is never rounded through a `Double`.
package enum JSONValue: Sendable, Equatable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object: its members in order.
    case object([JSONMember])

    /// An integer number.
    package static func integer(_ value: some BinaryInteger) -> JSONValue { .number(JSONNumber(value)) }

    /// The value of the first member named `key` of an object; nil for a missing member or a value that is not an
    /// object.
    package func member(_ key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }
}

/// One member of a JSON object.
package struct JSONMember: Sendable, Equatable {
    /// The member's name.
    package var key: String
    /// The member's value.
    package var value: JSONValue

    /// Creates a member.
    package init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
