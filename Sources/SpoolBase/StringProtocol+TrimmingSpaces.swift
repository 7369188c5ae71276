extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (other white space is kept), as the OpenTelemetry
    /// environment variables are trimmed.
    package var trimmingSpaces: String {
        let text = Substring(self)
        let utf8 = text.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let last = utf8.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        // Both bounds are next to an ASCII byte or an end, so they fall on Unicode scalar boundaries.
        return String(text[first..<utf8.index(after: last)])
    }
}
