/// An attribute key whose values are redacted whole (`RedactionConfiguration.keys`): an exact name or a glob in
/// which `*` stands for any run of characters, none included (`*password*`, `http.request.header.*`). ASCII letters
/// compare without regard to case; every other character, `?` and `[` included, stands for itself.
struct RedactionKeyPattern: Sendable, Equatable {
    /// The pattern's UTF-8 bytes, ASCII letters in lower case.
    let bytes: [UInt8]

    /// The pattern `text`.
    init(_ text: String) {
        bytes = text.utf8.map(Self.lowercased)
    }

    /// Whether `key` matches.
    func matches(_ key: String) -> Bool {
        var key = key
        return key.withUTF8 { matches($0) }
    }

    /// Whether the UTF-8 key `key` matches: glob matching that keeps only the last `*` to fall back to, linear in
    /// the key for each `*`.
    func matches(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            var i = 0
            var k = 0
            var star = -1
            var starKey = 0
            while k < key.count {
                if i < p.count, p[i] == Self.star {
                    star = i
                    starKey = k
                    i += 1
                } else if i < p.count, p[i] == Self.lowercased(key[k]) {
                    i += 1
                    k += 1
                } else if star >= 0 {
                    // Let the last `*` take one more character of the key.
                    i = star + 1
                    starKey += 1
                    k = starKey
                } else {
                    return false
                }
            }
            while i < p.count, p[i] == Self.star { i += 1 }
            return i == p.count
        }
    }

    private static let star = UInt8(ascii: "*")

    @inline(__always)
    private static func lowercased(_ c: UInt8) -> UInt8 {
        c &- UInt8(ascii: "A") < 26 ? c | 0x20 : c
    }
}
