/// The one parser of the OpenTelemetry `key1=value1,key2=value2` list format, used by `OTEL_RESOURCE_ATTRIBUTES` and
/// the `OTEL_EXPORTER_OTLP_*HEADERS` variables.
///
/// The format follows the W3C Baggage header without its `;` properties, as the OpenTelemetry specification
/// prescribes for both variables: the text is split at every `,` into entries; an entry blank after trimming is
/// skipped; any other entry is split at its first `=` into a key and a value; spaces and tabs around the entry, the
/// key and the value are trimmed; key and value are then percent-decoded (`%XX`, two hex digits of either case, one
/// byte each; no other character is special, `+` included) and must decode to valid UTF-8.
///
/// Errors name the entry's position, never its text: values are often credentials.
package enum KeyValueList {
    /// One parsed entry.
    package struct Entry: Sendable, Equatable {
        /// The entry's 1-based position among the comma-separated entries of the text, blank ones counted.
        package var position: Int
        /// The decoded key (never empty).
        package var key: String
        /// The decoded value (may be empty).
        package var value: String
    }

    /// Parses `text`.
    ///
    /// - Returns: the entries in order; duplicate keys are all kept (callers decide which wins).
    /// - Throws: `KeyValueListError` for the first entry without `=`, with an empty key, with a `%` not followed by
    ///   two hex digits, or that does not decode to valid UTF-8.
    package static func parse(_ text: String) throws(KeyValueListError) -> [Entry] {
        var entries: [Entry] = []
        // Split by bytes: `,` and `=` are ASCII, so every cut falls on a Unicode scalar boundary.
        let items = text.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        for (index, item) in items.enumerated() {
            let position = index + 1
            let entry = Substring(item).trimmingSpaces
            if entry.isEmpty { continue }
            guard let eq = entry.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                throw KeyValueListError(position: position, problem: .missingEquals)
            }
            let key = try decode(entry[..<eq].trimmingSpaces, position: position)
            guard !key.isEmpty else { throw KeyValueListError(position: position, problem: .emptyKey) }
            let value = try decode(entry[entry.index(after: eq)...].trimmingSpaces, position: position)
            entries.append(Entry(position: position, key: key, value: value))
        }
        return entries
    }

    /// Percent-decodes `text` as UTF-8.
    static func decode(_ text: String, position: Int) throws(KeyValueListError) -> String {
        var bytes = text.utf8[...]
        guard bytes.contains(UInt8(ascii: "%")) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        while let b = bytes.popFirst() {
            guard b == UInt8(ascii: "%") else {
                out.append(b)
                continue
            }
            guard let high = bytes.popFirst().flatMap(Hex.nibble), let low = bytes.popFirst().flatMap(Hex.nibble) else {
                throw KeyValueListError(position: position, problem: .invalidPercentEncoding)
            }
            out.append(high << 4 | low)
        }
        guard let decoded = String(validating: out, as: UTF8.self) else {
            throw KeyValueListError(position: position, problem: .invalidUTF8)
        }
        return decoded
    }
}
