import SpoolBase

extension RecordedSpan {
    /// An OTLP attribute value (`AnyValue`) in full: how values that `SpanAttribute` cannot hold appear in
    /// `RecordedSpan`'s attributes, wrapped as `.stringConvertible`.
    ///
    /// ```swift
    /// if case .stringConvertible(let value as RecordedSpan.AttributeValue)? = span.attributes.get("payload") {
    ///     #expect(value == .bytes([0xCA, 0xFE]))
    /// }
    /// // or, since `SpanAttribute` compares string-convertible values by their description:
    /// #expect(span.attributes.get("payload") == .stringConvertible(RecordedSpan.AttributeValue.bytes([0xCA, 0xFE])))
    /// ```
    public enum AttributeValue: Sendable, Hashable, CustomStringConvertible {
        /// A UTF-8 string (`string_value`).
        case string(String)
        /// A boolean (`bool_value`).
        case bool(Bool)
        /// A signed 64-bit integer (`int_value`).
        case int(Int64)
        /// A 64-bit floating-point number (`double_value`).
        case double(Double)
        /// Raw bytes (`bytes_value`).
        case bytes([UInt8])
        /// A list of values, of any types (`array_value`).
        case array([AttributeValue])
        /// Keys and values (`kvlist_value`); when a key repeats, the last value wins.
        case keyValueList([String: AttributeValue])
        /// An `AnyValue` with no value set.
        case empty

        /// A short rendering: strings quoted, bytes as `0x` and lower-case hex, arrays as `[a, b]`, key-value lists
        /// as `{key: value, …}` in key order, `empty` for no value.
        public var description: String {
            switch self {
            case .string(let s): "\"\(s)\""
            case .bool(let b): String(b)
            case .int(let i): String(i)
            case .double(let d): String(d)
            case .bytes(let bytes):
                "0x" + Hex.string(of: bytes)
            case .array(let values): "[" + values.map(\.description).joined(separator: ", ") + "]"
            case .keyValueList(let pairs):
                "{" + pairs.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
            case .empty: "empty"
            }
        }
    }
}
