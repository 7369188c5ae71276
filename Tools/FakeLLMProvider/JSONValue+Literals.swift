import SpoolBase

// Literals for the fake provider's reply builders (`"type": "message"`, `"index": 0`); only this tool's module
// declares them.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    package init(stringLiteral value: String) { self = .string(value) }
    package init(integerLiteral value: Int) { self = .integer(value) }
}
