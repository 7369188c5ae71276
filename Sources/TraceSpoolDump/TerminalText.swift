/// Makes untrusted text (span names, attribute values from a possibly hostile spool) safe to print: control
/// characters, including ESC, become `?`, so a span cannot inject terminal escape sequences; long text is cut.
package enum TerminalText {
    /// `text` with every control character (C0, DEL, C1) replaced by `?`, cut to `maxCharacters` with `...`.
    package static func safe(_ text: String, maxCharacters: Int = 200) -> String {
        // Fast path: short printable ASCII is already safe.
        if text.utf8.count <= maxCharacters, text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == maxCharacters {
                out += "..."
                break
            }
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v)
                || (0x2066...0x2069).contains(v)
            {
                out += "?"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out
    }

    /// `safe(text)`, quoted with `"` when it is empty or holds spaces or quotes.
    package static func token(_ text: String, maxCharacters: Int = 80) -> String {
        let s = safe(text, maxCharacters: maxCharacters)
        if s.isEmpty || s.utf8.contains(where: { $0 == 0x20 || $0 == 0x22 || $0 == 0x3D }) {
            return "\"" + s.replacingOccurrences(of: "\"", with: "'") + "\""
        }
        return s
    }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation).
    func replacingOccurrences(of target: Character, with replacement: String) -> String {
        var out = ""
        for c in self { if c == target { out += replacement } else { out.append(c) } }
        return out
    }
}
