import CSpoolSupport

/// Finds well-known credentials (`CredentialShape`) in the UTF-8 bytes of a value: one pass over the bytes, no
/// regular expression, no allocation.
///
/// A prefilter (`tracespool_find_credential_candidate`, 16 or 32 bytes per step) stops only at an anchor: a byte every
/// shape holds at a fixed offset from its start, next to the neighbours the shape gives it (`-` after `k` for `sk-`
/// keys or before `-` for PEM blocks, `_` after `b` or one of `pousr` for GitHub tokens, `A` before `K` or `S` for AWS
/// key ids, `B`/`b` before `ea` in either case for bearer tokens), a pair or triple rare in prose; there it tries the
/// shapes that anchor could belong to. Every shape is at least `minimumMatchBytes` long, so shorter values are not
/// looked at at all. A shape that starts with a letter must not follow a letter or digit (nor `_` or `-` for the `sk-`
/// and GitHub shapes): `task-…` holds no `sk-` key and `AKIA` inside a longer word is no key id.
enum CredentialScanner {
    /// A credential in a value: bytes `start..<end`, matched by `shape`.
    struct Match: Equatable, Sendable {
        var start: Int
        var end: Int
        var shape: CredentialShape
    }

    /// The fewest bytes a value must have to hold a credential: an AWS access key id (20 bytes) is the shortest.
    static let minimumMatchBytes = 20

    /// Whether `bytes` hold a credential. Values shorter than `minimumMatchBytes` return false at once.
    @inline(__always)
    static func containsCredential(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.count >= minimumMatchBytes && firstMatch(in: bytes) != nil
    }

    /// Whether the UTF-8 of `s` holds a credential. A native string is read in place, without the copy `withUTF8`
    /// needs.
    @inline(__always)
    static func containsCredential(_ s: String) -> Bool {
        guard s.utf8.count >= minimumMatchBytes else { return false }
        if let holds = s.utf8.withContiguousStorageIfAvailable(containsCredential) { return holds }
        var s = s
        return s.withUTF8 { containsCredential($0) }
    }

    /// The first credential in `bytes` that starts at `start` or later; nil when there is none.
    @inline(never)
    static func firstMatch(in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Match? {
        let count = bytes.count
        guard start >= 0, count - start >= minimumMatchBytes, let base = bytes.baseAddress else { return nil }
        var p = start
        while true {
            p = tracespool_find_credential_candidate(base, p, count)
            guard p < count else { return nil }
            // The first match is the one that starts first: an anchor is a shape's first byte or within its first
            // 7, and no anchor among those can start another credential (`sameAsByteByByte` checks this against a
            // scan of every start position).
            if let match = match(anchoredAt: p, in: bytes, from: start) { return match }
            p += 1
        }
    }

    /// The credential whose anchor byte is at `p` and that starts at `start` or later, if any.
    @inline(__always)
    static func match(anchoredAt p: Int, in b: UnsafeBufferPointer<UInt8>, from start: Int) -> Match? {
        switch b[p] {
        case UInt8(ascii: "-"):
            if p - 2 >= start, let m = apiKey(at: p - 2, in: b) { return m }
            return privateKey(at: p, in: b)
        case UInt8(ascii: "_"):
            if p - 6 >= start, let m = githubToken(at: p - 6, in: b) { return m }
            return p - 3 >= start ? githubToken(at: p - 3, in: b) : nil
        case UInt8(ascii: "A"): return awsAccessKeyID(at: p, in: b)
        case UInt8(ascii: "B"), UInt8(ascii: "b"): return bearerToken(at: p, in: b)
        default: return nil
        }
    }

    // MARK: Shapes

    /// `sk-ant-` + at least 20 key characters (Anthropic), else `sk-` + at least 20 (OpenAI); not after a key
    /// character. The key runs to the first byte that is not a key character.
    static func apiKey(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> Match? {
        guard has("sk-", at: i, in: b), !follows(i, in: b, isKeyCharacter) else { return nil }
        if has("ant-", at: i + 3, in: b) {
            let end = run(from: i + 7, in: b, isKeyCharacter)
            return end - (i + 7) >= 20 ? Match(start: i, end: end, shape: .anthropicKey) : nil
        }
        let end = run(from: i + 3, in: b, isKeyCharacter)
        return end - (i + 3) >= 20 ? Match(start: i, end: end, shape: .openAIKey) : nil
    }

    /// `Bearer` (any case, not after a letter or digit), one or more spaces or tabs (a tab also as JSON escapes it,
    /// `\t`: captured messages are recorded as JSON text too), then a token of at least 16 characters of RFC 6750's
    /// `b64token` (`A-Z a-z 0-9 - . _ ~ + /`) and its `=` padding. The match is the token only: the value keeps its
    /// `Bearer `.
    static func bearerToken(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> Match? {
        guard i + 7 < b.count, !follows(i, in: b, isAlphanumeric) else { return nil }
        for (offset, letter) in "earer".utf8.enumerated() where b[i + 1 + offset] | 0x20 != letter { return nil }
        var tokenStart = i + 6
        while tokenStart < b.count {
            if b[tokenStart] == 0x20 || b[tokenStart] == 0x09 {
                tokenStart += 1
            } else if b[tokenStart] == UInt8(ascii: "\\"), tokenStart + 1 < b.count,
                b[tokenStart + 1] == UInt8(ascii: "t")
            {
                tokenStart += 2
            } else {
                break
            }
        }
        guard tokenStart > i + 6 else { return nil }
        let tokenEnd = run(from: tokenStart, in: b, isTokenCharacter)
        guard tokenEnd - tokenStart >= 16 else { return nil }
        return Match(
            start: tokenStart, end: run(from: tokenEnd, in: b) { $0 == UInt8(ascii: "=") }, shape: .bearerToken)
    }

    /// `AKIA` or `ASIA` + exactly 16 of `A-Z 0-9`, neither after nor before a letter or digit.
    static func awsAccessKeyID(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> Match? {
        guard has("AKIA", at: i, in: b) || has("ASIA", at: i, in: b), !follows(i, in: b, isAlphanumeric) else {
            return nil
        }
        let end = run(from: i + 4, in: b, limit: 16) { isUpperCase($0) || isDigit($0) }
        guard end == i + 20, end == b.count || !isAlphanumeric(b[end]) else { return nil }
        return Match(start: i, end: end, shape: .awsAccessKeyID)
    }

    /// `gh[pousr]_` + at least 36 of `A-Z a-z 0-9`, or `github_pat_` + at least 22 of `A-Z a-z 0-9 _`; not after a
    /// letter, digit or `_`.
    static func githubToken(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> Match? {
        guard b[i] == UInt8(ascii: "g"), !follows(i, in: b, { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }) else {
            return nil
        }
        if has("github_pat_", at: i, in: b) {
            let end = run(from: i + 11, in: b) { isAlphanumeric($0) || $0 == UInt8(ascii: "_") }
            return end - (i + 11) >= 22 ? Match(start: i, end: end, shape: .githubToken) : nil
        }
        guard i + 4 <= b.count, b[i + 1] == UInt8(ascii: "h"), b[i + 3] == UInt8(ascii: "_"),
            "pousr".utf8.contains(b[i + 2])
        else { return nil }
        let end = run(from: i + 4, in: b, isAlphanumeric)
        return end - (i + 4) >= 36 ? Match(start: i, end: end, shape: .githubToken) : nil
    }

    /// `-----BEGIN <label>-----` where the label is at most 64 of `A-Z 0-9 space` ending in `PRIVATE KEY`, through
    /// the next `-----END <same label>-----`, or through the end of the value when there is none.
    static func privateKey(at i: Int, in b: UnsafeBufferPointer<UInt8>) -> Match? {
        guard has("-----BEGIN ", at: i, in: b) else { return nil }
        let labelStart = i + 11
        let labelEnd = run(from: labelStart, in: b, limit: 64) {
            isUpperCase($0) || isDigit($0) || $0 == UInt8(ascii: " ")
        }
        guard labelEnd - labelStart >= 11, has("-----", at: labelEnd, in: b),
            equal(b, labelEnd - 11, "PRIVATE KEY")
        else { return nil }
        let label = UnsafeBufferPointer(rebasing: b[labelStart..<labelEnd])
        var j = labelEnd + 5
        while j + 9 + label.count + 5 <= b.count {
            if has("-----END ", at: j, in: b), equal(b, j + 9, label), has("-----", at: j + 9 + label.count, in: b) {
                return Match(start: i, end: j + 9 + label.count + 5, shape: .privateKey)
            }
            j += 1
        }
        return Match(start: i, end: b.count, shape: .privateKey)
    }

    // MARK: Bytes

    /// Whether `b` holds the ASCII `literal` at `i`.
    @inline(__always)
    static func has(_ literal: StaticString, at i: Int, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        let p = literal.utf8Start
        for k in 0..<count where b[i + k] != p[k] { return false }
        return true
    }

    /// Whether `b` holds the ASCII `literal` at `i`.
    static func equal(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ literal: StaticString) -> Bool {
        has(literal, at: i, in: b)
    }

    /// Whether `b` holds the bytes of `other` at `i`.
    static func equal(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard i + other.count <= b.count else { return false }
        for k in 0..<other.count where b[i + k] != other[k] { return false }
        return true
    }

    /// Whether the byte before `i` exists and is in `class`, unless it ends a JSON escape of a control character
    /// (`\n`, `\r`, `\t`, `\b`, `\f`, `\uXXXX`): captured inputs and outputs are also recorded as JSON text, where
    /// such an escape stands for the control character before the credential, and a credential there starts after
    /// it as it does in the value (at the start of a line, say).
    @inline(__always)
    static func follows(_ i: Int, in b: UnsafeBufferPointer<UInt8>, _ class: (UInt8) -> Bool) -> Bool {
        guard i > 0, `class`(b[i - 1]) else { return false }
        return !endsControlEscape(i, in: b)
    }

    /// Whether the bytes before `i` end `\n`, `\r`, `\t`, `\b`, `\f` or `\u` and four hex digits.
    static func endsControlEscape(_ i: Int, in b: UnsafeBufferPointer<UInt8>) -> Bool {
        if i >= 2, b[i - 2] == UInt8(ascii: "\\"), "nrtbf".utf8.contains(b[i - 1]) { return true }
        guard i >= 6, b[i - 6] == UInt8(ascii: "\\"), b[i - 5] == UInt8(ascii: "u") else { return false }
        return (i - 4..<i).allSatisfy { isDigit(b[$0]) || (b[$0] | 0x20) &- 0x61 < 6 }
    }

    /// The index after the run of bytes in `class` that starts at `i` (at most `limit` bytes).
    @inline(__always)
    static func run(
        from i: Int, in b: UnsafeBufferPointer<UInt8>, limit: Int = .max, _ class: (UInt8) -> Bool
    ) -> Int {
        var j = i
        let end = limit == .max ? b.count : min(b.count, i + limit)
        while j < end, `class`(b[j]) { j += 1 }
        return j
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isUpperCase(_ c: UInt8) -> Bool { c &- 0x41 < 26 }
    @inline(__always) static func isAlphanumeric(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20) &- 0x61 < 26 }

    /// `A-Z a-z 0-9 _ -`: the characters of an `sk-` key.
    @inline(__always)
    static func isKeyCharacter(_ c: UInt8) -> Bool {
        isAlphanumeric(c) || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
    }

    /// `A-Z a-z 0-9 - . _ ~ + /`: RFC 6750's `b64token` without its `=` padding.
    @inline(__always)
    static func isTokenCharacter(_ c: UInt8) -> Bool {
        isAlphanumeric(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_")
            || c == UInt8(ascii: "~") || c == UInt8(ascii: "+") || c == UInt8(ascii: "/")
    }
}
