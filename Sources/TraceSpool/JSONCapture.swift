import SpoolBase

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Turns captured values into JSON strings for `input.value` / `output.value` and friends.
///
/// The one place outside `SpoolBase.JSONWriter` that writes JSON: values a user passes as `Encodable` can only be
/// encoded through an `Encoder`, and Foundation's `JSONEncoder` is that encoder. Everything the package encodes
/// itself goes through `JSONWriter`.
enum JSONCapture {
    /// `value` as JSON (sorted keys), redacted by `redactor` and cut to `limit` UTF-8 bytes (0 = unlimited) with a
    /// `…[truncated]` marker. A plain `String` is captured as is (mime type text/plain). Returns nil when encoding
    /// fails.
    static func capture(_ value: some Encodable, limit: Int, redactor: Redactor?) -> (text: String, mimeType: String)? {
        if let s = value as? String { return (truncate(s, limit, redactor: redactor), "text/plain") }
        guard let json = encode(value) else { return nil }
        return (truncate(json, limit, redactor: redactor), "application/json")
    }

    /// `value` as JSON (sorted keys, slashes unescaped), not truncated; nil when encoding fails.
    static func encode(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The marker appended to a value cut by `truncate(_:_:)`.
    static let truncationMarker = "…[truncated]"

    /// `s` cut to at most `limit` UTF-8 bytes (0 = unlimited) at a Unicode scalar boundary, so the result stays
    /// valid UTF-8, followed by `truncationMarker`; `s` itself when it fits. A value that is cut has its credentials
    /// redacted by `redactor` first, so that the cut leaves no part of one that the encoder would not recognize; a
    /// value that fits is left to the encoder, which scans every string value it writes.
    static func truncate(_ s: String, _ limit: Int, redactor: Redactor? = nil) -> String {
        guard limit > 0, s.utf8.count > limit else { return s }
        let s = redactor?.redact(s) ?? s
        let utf8 = s.utf8
        guard utf8.count > limit else { return s }
        // Back up from the limit to the start of a scalar (a byte that is not a 10xxxxxx continuation byte); the
        // string is not copied whole (a file body or a command's output may be megabytes).
        var end = utf8.index(utf8.startIndex, offsetBy: limit)
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 { end = utf8.index(before: end) }
        return String(decoding: utf8[..<end], as: UTF8.self) + truncationMarker
    }

    /// A compact JSON object of string members, keys sorted.
    static func object(_ dictionary: [String: String]) -> String {
        var json = JSONWriter()
        json.beginObject()
        for (key, value) in dictionary.sorted(by: { $0.key < $1.key }) {
            json.key(escaping: key)
            json.string(value)
        }
        json.endObject()
        return json.text
    }
}
