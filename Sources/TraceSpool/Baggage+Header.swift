extension Baggage {
    /// The header name, `baggage`.
    public static let headerName = "baggage"
    /// At most this many entries are read from or written to a header (the W3C limit).
    public static let maxEntries = 180
    /// At most this many bytes of members are read from or written to a header, commas included (the W3C limit).
    public static let maxHeaderBytes = 8192

    /// Parses a `baggage` header value. Never fails and never traps: a malformed member (no `=`, a key that is not a
    /// token, a value or property with a character outside the baggage octets) is skipped and the others are kept.
    /// Blanks (spaces, tabs) around members, keys, values and properties are ignored; values are percent-decoded
    /// (a `%` not followed by two hex digits stays as it is; bytes that are not UTF-8 become U+FFFD). A key seen
    /// again replaces the earlier value. Members beyond `maxEntries` entries, or that would take the members read
    /// past `maxHeaderBytes`, are skipped.
    public init(header: String) {
        self.init()
        var totalBytes = 0
        for rawMember in header.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: true) {
            let member = Self.trimmed(rawMember)
            guard !member.isEmpty, let entry = Self.parseMember(member) else { continue }
            let isNew = self[entry.key] == nil
            let added = member.count + (totalBytes == 0 ? 0 : 1)
            guard totalBytes + added <= Self.maxHeaderBytes, !isNew || count < Self.maxEntries else { continue }
            totalBytes += added
            set(entry.key, entry.value, properties: entry.properties)
        }
    }

    /// The `baggage` header value of these entries: `key=value` members (values percent-encoded: every byte
    /// outside the baggage octets, and `%`), with their properties, joined by commas. Entries whose key is not a
    /// token are left out, as are properties that are not valid, entries beyond `maxEntries`, and members that would
    /// take the header past `maxHeaderBytes`. Empty when nothing is left.
    public var headerValue: String {
        var header: [UInt8] = []
        var written = 0
        for entry in entries where written < Self.maxEntries && Self.isToken(entry.key.utf8) {
            var member = Array(entry.key.utf8)
            member.append(UInt8(ascii: "="))
            Self.percentEncode(entry.value, into: &member)
            for property in entry.properties where Self.isToken(property.key.utf8) {
                if let value = property.value, !value.utf8.allSatisfy(Self.isBaggageOctet) { continue }
                member.append(UInt8(ascii: ";"))
                member.append(contentsOf: property.key.utf8)
                if let value = property.value {
                    member.append(UInt8(ascii: "="))
                    member.append(contentsOf: value.utf8)
                }
            }
            let separator = header.isEmpty ? 0 : 1
            guard header.count + separator + member.count <= Self.maxHeaderBytes else { continue }
            if separator == 1 { header.append(UInt8(ascii: ",")) }
            header.append(contentsOf: member)
            written += 1
        }
        return String(decoding: header, as: UTF8.self)
    }

    // MARK: Grammar

    private static func parseMember(_ member: ArraySlice<UInt8>) -> Entry? {
        var parts = member.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)[...]
        guard let pair = parts.popFirst(), let eq = pair.firstIndex(of: UInt8(ascii: "=")) else { return nil }
        let key = trimmed(pair[..<eq])
        let value = trimmed(pair[(eq + 1)...])
        guard !key.isEmpty, isToken(key), value.allSatisfy(isBaggageOctet) else { return nil }
        var properties: [Property] = []
        for rawProperty in parts {
            let property = trimmed(rawProperty)
            if property.isEmpty { continue }
            if let eq = property.firstIndex(of: UInt8(ascii: "=")) {
                let pkey = trimmed(property[..<eq])
                let pvalue = trimmed(property[(eq + 1)...])
                guard !pkey.isEmpty, isToken(pkey), pvalue.allSatisfy(isBaggageOctet) else { return nil }
                properties.append(
                    Property(key: String(decoding: pkey, as: UTF8.self), value: String(decoding: pvalue, as: UTF8.self))
                )
            } else {
                guard isToken(property) else { return nil }
                properties.append(Property(key: String(decoding: property, as: UTF8.self)))
            }
        }
        return Entry(key: String(decoding: key, as: UTF8.self), value: percentDecode(value), properties: properties)
    }

    private static func trimmed(_ bytes: some Collection<UInt8>) -> ArraySlice<UInt8> {
        var slice = ArraySlice(bytes)
        while let first = slice.first, first == 0x20 || first == 0x09 { slice.removeFirst() }
        while let last = slice.last, last == 0x20 || last == 0x09 { slice.removeLast() }
        return slice
    }

    /// RFC 7230 `tchar`s, at least one.
    static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty
            && bytes.allSatisfy { b in
                switch b {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                    UInt8(ascii: "A")...UInt8(ascii: "Z"):
                    true
                default:
                    "!#$%&'*+-.^_`|~".utf8.contains(b)
                }
            }
    }

    /// `baggage-octet`: printable US-ASCII except blanks, `"`, `,`, `;` and `\`.
    static func isBaggageOctet(_ b: UInt8) -> Bool {
        b == 0x21 || (0x23...0x2B).contains(b) || (0x2D...0x3A).contains(b) || (0x3C...0x5B).contains(b)
            || (0x5D...0x7E).contains(b)
    }

    private static func percentDecode(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(UInt8(ascii: "%")) else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "%"), i + 2 < bytes.endIndex, let high = hex(bytes[i + 1]),
                let low = hex(bytes[i + 2])
            {
                out.append(high << 4 | low)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func percentEncode(_ value: String, into out: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        for b in value.utf8 {
            if isBaggageOctet(b) && b != UInt8(ascii: "%") {
                out.append(b)
            } else {
                out.append(UInt8(ascii: "%"))
                out.append(digits[Int(b >> 4)])
                out.append(digits[Int(b & 0xF)])
            }
        }
    }
}
