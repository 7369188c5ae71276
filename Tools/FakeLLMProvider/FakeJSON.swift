import SpoolBase

/// Small builders over `SpoolBase`'s JSON tree for the fake provider's replies.
enum FakeJSON {
    /// An object with `members` in order.
    static func object(_ members: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(members.map { JSONMember($0.key, $0.value) })
    }

    /// A string, or null for nil.
    static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }

    /// An integer.
    static func int(_ value: Int) -> JSONValue { .integer(value) }

    /// Compact UTF-8 JSON text of `value`.
    static func bytes(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.value(value)
        return writer.bytes
    }

    /// Compact JSON text of `value`.
    static func text(_ value: JSONValue) -> String { String(decoding: bytes(value), as: UTF8.self) }

    /// The text of a message content that is a string or an array of text parts (`{"type":"text","text":…}`,
    /// `input_text`, `output_text`); nil for anything else.
    static func contentText(_ content: JSONValue?) -> String? {
        switch content {
        case .string(let s): return s
        case .array(let parts):
            let texts = parts.compactMap { part -> String? in
                if case .string(let s) = part.member("text") { return s }
                return nil
            }
            return texts.isEmpty ? nil : texts.joined(separator: "\n")
        default: return nil
        }
    }

    /// A string member's value.
    static func stringMember(_ value: JSONValue?, _ key: String) -> String? {
        if case .string(let s) = value?.member(key) { return s }
        return nil
    }

    /// An array member's elements (empty when missing or not an array).
    static func arrayMember(_ value: JSONValue?, _ key: String) -> [JSONValue] {
        if case .array(let items) = value?.member(key) { return items }
        return []
    }

    /// A 16-hex-digit FNV-1a hash of `bytes`: the fake's ids depend on the request only, so one run recorded twice
    /// gives the same recording.
    static func hash(_ bytes: [UInt8], salt: UInt64 = 0) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ salt
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
