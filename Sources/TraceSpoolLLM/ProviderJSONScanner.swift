import CSpoolSupport
import SpoolBase

/// Finds the members and elements of JSON text without building values, so that large parts a span never records
/// (embedding vectors, embedding inputs) are skipped at the cost of one byte scan instead of being parsed.
///
/// The scan checks brackets and strings only; the parts it hands to `value(_:)` are parsed (and so validated) by
/// `JSONReader`. Every index is bounds-checked: malformed or truncated text gives nil, never a trap.
struct ProviderJSONScanner {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The range of the whole document's value (white space around it excluded); nil when malformed.
    ///
    /// An object or array is bounded by its first and last bytes without a walk: `forEachMember`, `forEachElement`
    /// and `members` walk it and fail unless its closing bracket is the range's last byte (a streamed chunk is walked
    /// once instead of twice). Other values are walked here.
    var document: Range<Int>? {
        let start = skipSpace(0)
        var end = bytes.count
        while end > start, Self.isSpace(bytes[end - 1]) { end -= 1 }
        guard start < end else { return nil }
        switch (bytes[start], bytes[end - 1]) {
        case (UInt8(ascii: "{"), UInt8(ascii: "}")), (UInt8(ascii: "["), UInt8(ascii: "]")):
            return start..<end
        default:
            guard let valueEnd = valueEnd(from: start), valueEnd == end else { return nil }
            return start..<end
        }
    }

    /// The members of the object at `range`: each key (unescaped) and its value's range. Nil when `range` does not
    /// hold an object.
    func members(_ range: Range<Int>) -> [(key: String, value: Range<Int>)]? {
        guard range.lowerBound < range.upperBound, range.upperBound <= bytes.count,
            bytes[range.lowerBound] == UInt8(ascii: "{")
        else { return nil }
        var result: [(key: String, value: Range<Int>)] = []
        var i = skipSpace(range.lowerBound + 1)
        if i < range.upperBound, bytes[i] == UInt8(ascii: "}") { return i == range.upperBound - 1 ? result : nil }
        while i < range.upperBound {
            guard bytes[i] == UInt8(ascii: "\""), let keyEnd = stringEnd(from: i) else { return nil }
            guard let key = string(i..<keyEnd) else { return nil }
            i = skipSpace(keyEnd)
            guard i < range.upperBound, bytes[i] == UInt8(ascii: ":") else { return nil }
            let valueStart = skipSpace(i + 1)
            guard let valueEnd = valueEnd(from: valueStart), valueEnd <= range.upperBound else { return nil }
            result.append((key, valueStart..<valueEnd))
            i = skipSpace(valueEnd)
            guard i < range.upperBound else { return nil }
            if bytes[i] == UInt8(ascii: "}") { return i == range.upperBound - 1 ? result : nil }
            guard bytes[i] == UInt8(ascii: ",") else { return nil }
            i = skipSpace(i + 1)
        }
        return nil
    }

    /// The range of the first element of the array at `range`; nil when it is not an array or is empty.
    func firstElement(_ range: Range<Int>) -> Range<Int>? {
        guard range.lowerBound < range.upperBound, range.upperBound <= bytes.count,
            bytes[range.lowerBound] == UInt8(ascii: "[")
        else { return nil }
        let start = skipSpace(range.lowerBound + 1)
        guard start < range.upperBound, bytes[start] != UInt8(ascii: "]"), let end = valueEnd(from: start),
            end < range.upperBound
        else { return nil }
        return start..<end
    }

    /// How many elements the array at `range` has (its top-level commas + 1, or 0 when empty); nil when it is not
    /// an array.
    func elementCount(_ range: Range<Int>) -> Int? {
        guard range.lowerBound < range.upperBound, range.upperBound <= bytes.count,
            bytes[range.lowerBound] == UInt8(ascii: "["), bytes[range.upperBound - 1] == UInt8(ascii: "]")
        else { return nil }
        let first = skipSpace(range.lowerBound + 1)
        if first == range.upperBound - 1 { return 0 }
        return bytes.withUnsafeBufferPointer { b -> Int? in
            var commas = 0
            var depth = 0
            var i = first
            let end = range.upperBound - 1
            while i < end {
                switch b[i] {
                case UInt8(ascii: ","): if depth == 0 { commas += 1 }
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
                case UInt8(ascii: "\""):
                    guard let e = stringEnd(b, from: i, limit: end) else { return nil }
                    i = e
                    continue
                default: break
                }
                i += 1
            }
            return commas + 1
        }
    }

    /// Calls `body` with the range of each key (quotes excluded, escapes kept) and of its value, for the object at
    /// `range`, in order; false (after the members before the problem) when `range` does not hold an object that ends
    /// at its last byte. Allocates nothing: the streaming paths look up the few members they need with `key(_:is:)`.
    @discardableResult
    func forEachMember(in range: Range<Int>, _ body: (_ key: Range<Int>, _ value: Range<Int>) -> Void) -> Bool {
        walkMembers(in: range) { key, value in
            body(key, value)
            return true
        }
    }

    /// `forEachMember(in:_:)` until `body` returns false (then true: the walk stopped, not failed).
    private func walkMembers(in range: Range<Int>, _ body: (_ key: Range<Int>, _ value: Range<Int>) -> Bool) -> Bool {
        guard range.lowerBound < range.upperBound, range.upperBound <= bytes.count,
            bytes[range.lowerBound] == UInt8(ascii: "{")
        else { return false }
        let last = range.upperBound - 1
        return bytes.withUnsafeBufferPointer { b -> Bool in
            var i = Self.skipSpace(b, range.lowerBound + 1, last)
            if i < range.upperBound, b[i] == UInt8(ascii: "}") { return i == last }
            while i < range.upperBound {
                guard b[i] == UInt8(ascii: "\""), let keyEnd = stringEnd(b, from: i, limit: range.upperBound) else {
                    return false
                }
                let key = (i + 1)..<(keyEnd - 1)
                i = Self.skipSpace(b, keyEnd, last)
                guard i < range.upperBound, b[i] == UInt8(ascii: ":") else { return false }
                let valueStart = Self.skipSpace(b, i + 1, last)
                guard let valueEnd = valueEnd(b, from: valueStart), valueEnd <= range.upperBound else { return false }
                guard body(key, valueStart..<valueEnd) else { return true }
                i = Self.skipSpace(b, valueEnd, last)
                guard i < range.upperBound else { return false }
                if b[i] == UInt8(ascii: "}") { return i == last }
                guard b[i] == UInt8(ascii: ",") else { return false }
                i = Self.skipSpace(b, i + 1, last)
            }
            return false
        }
    }

    /// Calls `body` with the range of each element of the array at `range`, in order; false when `range` does not
    /// hold an array that ends at its last byte.
    @discardableResult
    func forEachElement(in range: Range<Int>, _ body: (Range<Int>) -> Void) -> Bool {
        guard range.lowerBound < range.upperBound, range.upperBound <= bytes.count,
            bytes[range.lowerBound] == UInt8(ascii: "[")
        else { return false }
        let last = range.upperBound - 1
        return bytes.withUnsafeBufferPointer { b -> Bool in
            var i = Self.skipSpace(b, range.lowerBound + 1, last)
            if i < range.upperBound, b[i] == UInt8(ascii: "]") { return i == last }
            while i < range.upperBound {
                guard let end = valueEnd(b, from: i), end <= range.upperBound else { return false }
                body(i..<end)
                i = Self.skipSpace(b, end, last)
                guard i < range.upperBound else { return false }
                if b[i] == UInt8(ascii: "]") { return i == last }
                guard b[i] == UInt8(ascii: ",") else { return false }
                i = Self.skipSpace(b, i + 1, last)
            }
            return false
        }
    }

    /// Whether the key at `key` (from `forEachMember`) is `name`, byte for byte.
    func key(_ key: Range<Int>, is name: StaticString) -> Bool {
        bytes(key, are: name)
    }

    /// Whether the key at `key` (from `forEachMember`) is `name` once unescaped: `key(_:is:)`, and for a key
    /// written with escapes, its text.
    func key(_ key: Range<Int>, equals name: StaticString) -> Bool {
        if self.key(key, is: name) { return true }
        guard key.upperBound <= bytes.count, bytes[key].contains(UInt8(ascii: "\\")) else { return false }
        return string((key.lowerBound - 1)..<(key.upperBound + 1)) == name.description
    }

    /// The range of the value of the first member `name` of the object at `range`; nil when there is none or
    /// `range` holds no object.
    func member(_ name: StaticString, in range: Range<Int>) -> Range<Int>? {
        var found: Range<Int>?
        _ = walkMembers(in: range) { key, value in
            guard self.key(key, equals: name) else { return true }
            found = value
            return false
        }
        return found
    }

    /// The string of the first member `name` of the object at `range`; nil when there is none or it is no string.
    func stringMember(_ name: StaticString, in range: Range<Int>) -> String? {
        guard let value = member(name, in: range), bytes[value.lowerBound] == UInt8(ascii: "\"") else { return nil }
        return string(value)
    }

    /// Whether the value at `range` is the string `text` written without escapes.
    func string(_ range: Range<Int>, is text: StaticString) -> Bool {
        guard range.count == text.utf8CodeUnitCount + 2, range.upperBound <= bytes.count,
            bytes[range.lowerBound] == UInt8(ascii: "\""), bytes[range.upperBound - 1] == UInt8(ascii: "\"")
        else { return false }
        return text.withUTF8Buffer { text in
            bytes.withUnsafeBufferPointer { Self.equal($0, from: range.lowerBound + 1, text) }
        }
    }

    /// The Boolean at `range`; nil when it is not `true` or `false`.
    func bool(_ range: Range<Int>) -> Bool? {
        if bytes(range, are: "true") { return true }
        if bytes(range, are: "false") { return false }
        return nil
    }

    /// Whether the bytes at `range` are `literal`, byte for byte.
    private func bytes(_ range: Range<Int>, are literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount, range.upperBound <= bytes.count else { return false }
        return literal.withUTF8Buffer { literal in
            bytes.withUnsafeBufferPointer { Self.equal($0, from: range.lowerBound, literal) }
        }
    }

    /// Whether the value at `range` is an object.
    func isObject(_ range: Range<Int>) -> Bool {
        range.lowerBound < range.upperBound && range.lowerBound < bytes.count
            && bytes[range.lowerBound] == UInt8(ascii: "{")
    }

    /// The integer at `range`; nil when it is not an integral number within `Int` (`5.0` counts).
    func int(_ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.upperBound <= bytes.count else { return nil }
        var result = 0
        var i = range.lowerBound
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        guard i < range.upperBound else { return nil }
        while i < range.upperBound {
            let d = bytes[i] &- UInt8(ascii: "0")
            guard d < 10 else { return value(range)?.intValue }
            let (m, o1) = result.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int(d))
            guard !o1, !o2 else { return nil }
            result = a
            i += 1
        }
        return negative ? -result : result
    }

    /// The value at `range`, parsed; nil when it is not valid JSON.
    func value(_ range: Range<Int>) -> JSONValue? {
        guard range.upperBound <= bytes.count else { return nil }
        return try? JSONReader.parse(Array(bytes[range]))
    }

    /// The valid JSON value at `range` as compact JSON text: what `JSONWriter.value` writes of it. Text without a
    /// backslash, DEL or 0xE2 (the lead byte of U+2028 and U+2029, which the writer escapes) is the writer's output
    /// with its white space outside strings left out, and is copied so; other text is parsed and written. Nil when
    /// the value is not valid JSON.
    func compact(_ range: Range<Int>) -> String? {
        guard range.lowerBound <= range.upperBound, range.upperBound <= bytes.count else { return nil }
        let copied: String? = bytes.withUnsafeBufferPointer { all in
            let text = UnsafeBufferPointer(rebasing: all[range])
            var spaces = 0
            var inString = false
            for c in text {
                switch c {
                case UInt8(ascii: "\\"), 0x7F, 0xE2: return nil
                case UInt8(ascii: "\""): inString.toggle()
                case 0x20, 0x0A, 0x0D, 0x09: if !inString { spaces += 1 }
                default: break
                }
            }
            guard spaces > 0 else { return String(decoding: text, as: UTF8.self) }
            return String(unsafeUninitializedCapacity: text.count - spaces) { out in
                var n = 0
                var inString = false
                for c in text {
                    if c == UInt8(ascii: "\"") { inString.toggle() }
                    if !inString, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { continue }
                    out[n] = c
                    n += 1
                }
                return n
            }
        }
        if let copied { return copied }
        guard let value = value(range) else { return nil }
        var writer = JSONWriter(capacity: range.count)
        writer.value(value)
        return writer.text
    }

    /// The string at `range` (quotes included), unescaped; nil when invalid.
    func string(_ range: Range<Int>) -> String? {
        guard range.count >= 2, range.upperBound <= bytes.count else { return nil }
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        guard bytes[range.lowerBound] == UInt8(ascii: "\""), bytes[range.upperBound - 1] == UInt8(ascii: "\"") else {
            return nil
        }
        let plain: String?? = bytes.withUnsafeBufferPointer { all in
            let text = UnsafeBufferPointer(rebasing: all[inner])
            guard let base = text.baseAddress else { return .some("") }
            var nonASCII: Int32 = 0
            // No escape and no control character before the end: the text is the string.
            guard tracespool_find_json_string_special(base, text.count, &nonASCII) == text.count else { return nil }
            return nonASCII == 0 ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
        }
        if let plain { return plain }
        return value(range)?.stringValue
    }

    /// The offset of the first byte at or after `i` that is not JSON white space.
    func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count, Self.isSpace(bytes[i]) { i += 1 }
        return i
    }

    /// The offset of the first byte at or after `i` and below `limit` that is not JSON white space, else `limit`.
    @inline(__always)
    private static func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, _ limit: Int) -> Int {
        var i = i
        while i < limit, isSpace(b[i]) { i += 1 }
        return i
    }

    /// Whether `c` is JSON white space.
    @inline(__always)
    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    /// The offset just past the value starting at `start`; nil when malformed or truncated.
    func valueEnd(from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { valueEnd($0, from: start) }
    }

    /// `valueEnd(from:)` in the scanner's bytes `b`.
    private func valueEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < b.count else { return nil }
        switch b[start] {
        case UInt8(ascii: "\""):
            return stringEnd(b, from: start, limit: b.count)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var i = start
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: "["), UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth -= 1
                    if depth == 0 { return i + 1 }
                case UInt8(ascii: "\""):
                    guard let e = stringEnd(b, from: i, limit: b.count) else { return nil }
                    i = e
                    continue
                default: break
                }
                i += 1
            }
            return nil
        default:
            var i = start
            while i < b.count {
                switch b[i] {
                case UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), 0x20, 0x0A, 0x0D, 0x09:
                    return i == start ? nil : i
                default: i += 1
                }
            }
            return i == start ? nil : i
        }
    }

    private func stringEnd(from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { stringEnd($0, from: start, limit: $0.count) }
    }

    /// The offset just past the closing quote of the string whose opening quote is at `start`, below `limit`.
    private func stringEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int? {
        var i = start + 1
        // Keys and most values are short: their first bytes are looked at here, the rest 16 at a time.
        let near = min(limit, i + 24)
        while i < near {
            switch b[i] {
            case UInt8(ascii: "\""): return i + 1
            case UInt8(ascii: "\\"): i += 2
            default: i += 1
            }
        }
        while i < limit {
            var nonASCII: Int32 = 0
            i += tracespool_find_json_string_special(b.baseAddress! + i, limit - i, &nonASCII)
            guard i < limit else { return nil }
            switch b[i] {
            case UInt8(ascii: "\""): return i + 1
            case UInt8(ascii: "\\"): i += 2
            default: i += 1  // a control character: not valid JSON, but it ends nothing
            }
        }
        return nil
    }

    /// Whether `b` holds the bytes of `text` at `offset` (the caller checked that they fit).
    private static func equal(_ b: UnsafeBufferPointer<UInt8>, from offset: Int, _ text: UnsafeBufferPointer<UInt8>)
        -> Bool
    {
        guard offset >= 0, offset + text.count <= b.count else { return false }
        for k in 0..<text.count where b[offset + k] != text[k] { return false }
        return true
    }
}
