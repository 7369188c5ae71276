import OTLPWire
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns captured values into JSON strings for `input.value` / `output.value` and friends.
enum JSONCapture {
    /// `value` as JSON (sorted keys), cut to `limit` UTF-8 bytes (0 = unlimited) with a `…[truncated]` marker.
    /// A plain `String` is captured as is (mime type text/plain). Returns nil when encoding fails.
    static func capture(_ value: some Encodable, limit: Int) -> (text: String, mimeType: String)? {
        if let s = value as? String { return (truncate(s, limit), "text/plain") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return nil }
        return (truncate(String(decoding: data, as: UTF8.self), limit), "application/json")
    }

    static func truncate(_ s: String, _ limit: Int) -> String {
        guard limit > 0, s.utf8.count > limit else { return s }
        var utf8 = Array(s.utf8.prefix(limit))
        while let last = utf8.last, last & 0xC0 == 0x80 { utf8.removeLast() }
        if let last = utf8.last, last >= 0xC0 { utf8.removeLast() }
        return String(decoding: utf8, as: UTF8.self) + "…[truncated]"
    }

    /// A JSON object with sorted keys from string pairs.
    static func object(_ dictionary: [String: String]) -> String {
        var out = "{"
        for (i, key) in dictionary.keys.sorted().enumerated() {
            if i > 0 { out += "," }
            out += quoted(key) + ":" + quoted(dictionary[key]!)
        }
        return out + "}"
    }

    static func quoted(_ s: String) -> String { OTLPJSON.quoted(s) }
}
