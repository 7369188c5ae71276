/// A JSON number as its literal text (RFC 8259 number grammar), converted only when asked: `int64` for a literal
/// written as an integer, `double` for any.
package struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, e.g. `42`, `-0.5`, `1e-05`.
    package let text: String

    /// An integer in decimal digits.
    package init(_ value: some BinaryInteger) { text = String(value) }

    /// A finite double in Swift's shortest round-trip form (`0.1`, `1e-05`, `1.0`); nil for NaN and infinities,
    /// which JSON cannot write as numbers.
    package init?(_ value: Double) {
        guard value.isFinite else { return nil }
        text = value.description
    }

    /// A literal the caller has checked against the number grammar (`JSONReader` does).
    init(validatedText: String) { text = validatedText }

    /// Whether the literal has neither a fraction nor an exponent.
    package var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value when the literal is an integer (`isInteger`) within `Int64`; nil otherwise (`5.0` and `1e2` too).
    package var int64: Int64? { isInteger ? Int64(text) : nil }

    /// The nearest `Double` (infinite when the magnitude exceeds `Double.greatestFiniteMagnitude`).
    package var double: Double { Double(text) ?? .nan }

    /// The literal.
    package var description: String { text }
}
