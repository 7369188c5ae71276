import OTLPWire

/// Minimal JSON text building for the dump tool's own reports (`verify --json`); spans use `OTLPJSON`.
enum JSONText {
    /// `text` as a JSON string literal, quotes included (OTLP/JSON escaping).
    static func string(_ text: String) -> String { OTLPJSON.quoted(text) }

    /// An object from already-encoded member values, in the given order.
    static func object(_ members: [(String, String)]) -> String {
        "{" + members.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    /// An array from already-encoded elements.
    static func array(_ elements: [String]) -> String { "[" + elements.joined(separator: ",") + "]" }
}
