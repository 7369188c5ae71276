import SpoolBase
import TraceSpool

/// The small JSON helpers the providers' wire formats share: typed member access on `JSONValue`, compact
/// re-serialisation, the tools of a request, and the flattening of content parts into text.
enum ProviderJSON {
    /// The JSON value of `bytes`; nil when they are not valid JSON (never throws, never traps).
    static func parse(_ bytes: [UInt8]) -> JSONValue? {
        try? JSONReader.parse(bytes)
    }

    /// The JSON value of `bytes`; nil when they are not valid JSON.
    static func parse(_ bytes: ArraySlice<UInt8>) -> JSONValue? {
        try? JSONReader.parse(Array(bytes))
    }

    /// `value` as compact JSON text.
    static func compact(_ value: JSONValue) -> String {
        var writer = JSONWriter(capacity: 64)
        writer.value(value)
        return writer.text
    }

    /// The tools in the array at `array` of a validated request body (objects only; nil or another value: none),
    /// each recorded as sent, in compact JSON, and named by `name`.
    static func tools(
        in s: ProviderJSONScanner, array: Range<Int>?, name: (Range<Int>) -> String
    ) -> [ToolDefinition] {
        guard let array else { return [] }
        var tools: [ToolDefinition] = []
        s.forEachElement(in: array) { tool in
            guard s.isObject(tool), let json = s.compact(tool) else { return }
            tools.append(ToolDefinition(name: name(tool), json: json))
        }
        return tools
    }

    /// The `name` of a tool, else its `type` (a built-in tool's), else "".
    static func nameOrType(_ tool: Range<Int>, in s: ProviderJSONScanner) -> String {
        s.stringMember("name", in: tool) ?? s.stringMember("type", in: tool) ?? ""
    }

    /// The text of message content: a string as is; an array of parts as their texts joined with `separator`,
    /// where a part is a string, or an object with `text` (OpenAI `text`/`input_text`/`output_text`, Anthropic
    /// `text`), `refusal`, or a placeholder `[<type>]` for media and other parts without text (`[image]`,
    /// `[image_url]`, `[input_audio]`, `[file]`, `[document]`...). `null` and anything else: "".
    static func text(ofContent content: JSONValue?, separator: String = "\n") -> String {
        switch content {
        case .string(let s): return s
        case .array(let parts):
            var pieces: [String] = []
            pieces.reserveCapacity(parts.count)
            for part in parts {
                switch part {
                case .string(let s): pieces.append(s)
                case .object:
                    if let text = part.stringMember("text") {
                        pieces.append(text)
                    } else if let refusal = part.stringMember("refusal") {
                        pieces.append(refusal)
                    } else if let type = part.stringMember("type") {
                        pieces.append("[\(type)]")
                    }
                default: break
                }
            }
            return pieces.count == 1 ? pieces[0] : pieces.joined(separator: separator)
        default: return ""
        }
    }
}

extension JSONValue {
    /// The string of member `key`; nil when missing or not a string.
    func stringMember(_ key: String) -> String? { member(key)?.stringValue }

    /// The integer of member `key`; nil when missing or not an integral number within `Int`.
    func intMember(_ key: String) -> Int? { member(key)?.intValue }

    /// The elements of member `key`; nil when missing or not an array.
    func arrayMember(_ key: String) -> [JSONValue]? { member(key)?.arrayValue }

    /// The Boolean of member `key`; nil when missing or not a Boolean.
    func boolMember(_ key: String) -> Bool? {
        guard case .bool(let b)? = member(key) else { return nil }
        return b
    }

    /// The string; nil for another JSON type.
    var stringValue: String? {
        guard case .string(let s) = self else { return nil }
        return s
    }

    /// The integer; nil for another JSON type or a number that is not an integer within `Int` (`5.0` counts).
    var intValue: Int? {
        guard case .number(let n) = self else { return nil }
        if let i = n.int64 { return Int(exactly: i) }
        let d = n.double
        return d.isFinite ? Int(exactly: d) : nil
    }

    /// The elements; nil for another JSON type.
    var arrayValue: [JSONValue]? {
        guard case .array(let items) = self else { return nil }
        return items
    }

    /// Whether this is an object.
    var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
