/// One template text split, once, into literal text and `{{variable}}` placeholders.
///
/// A placeholder is `{{`, optional spaces or tabs, a name (an ASCII letter or `_`, then letters, digits or `_`),
/// optional spaces or tabs, `}}`. Anything else between braces (`{{ a b }}`, `{{"json": 1}}`, a line break) is
/// literal text and stays as written. Values are inserted as they are: a value holding `{{x}}` is not filled in
/// again.
struct PromptTemplate: Sendable, Equatable {
    /// A run of literal text or a placeholder.
    enum Part: Sendable, Equatable {
        case literal(String)
        case variable(String)
    }

    /// The parts in order.
    let parts: [Part]

    /// Splits `text`.
    init(_ text: String) {
        let bytes = Array(text.utf8)
        var parts: [Part] = []
        var literalStart = 0
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == UInt8(ascii: "{"), bytes[i + 1] == UInt8(ascii: "{"),
                let (name, end) = Self.placeholder(bytes, openingAt: i)
            else {
                i += 1
                continue
            }
            if literalStart < i { parts.append(.literal(String(decoding: bytes[literalStart..<i], as: UTF8.self))) }
            parts.append(.variable(name))
            i = end
            literalStart = end
        }
        if literalStart < bytes.count {
            parts.append(.literal(String(decoding: bytes[literalStart...], as: UTF8.self)))
        }
        self.parts = parts
    }

    /// The name of the placeholder whose `{{` is at `start`, and the offset just past its `}}`; nil when the text
    /// there is not a placeholder.
    private static func placeholder(_ bytes: [UInt8], openingAt start: Int) -> (String, Int)? {
        var i = start + 2
        func skipBlanks() {
            while i < bytes.count, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        }
        skipBlanks()
        let nameStart = i
        guard i < bytes.count, isNameStart(bytes[i]) else { return nil }
        i += 1
        while i < bytes.count, isNameStart(bytes[i]) || (bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9"))
        {
            i += 1
        }
        let nameEnd = i
        skipBlanks()
        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "}"), bytes[i + 1] == UInt8(ascii: "}") else { return nil }
        return (String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self), i + 2)
    }

    private static func isNameStart(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_")
    }

    /// The names of the placeholders, each once, in the order they first appear, appended to `names`.
    func appendVariables(to names: inout [String]) {
        for case .variable(let name) in parts where !names.contains(name) { names.append(name) }
    }

    /// The text with each placeholder replaced by its value in `values` (every name is there: the caller checked).
    func render(_ values: [String: String]) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .variable(let name): out += values[name] ?? ""
            }
        }
        return out
    }
}
