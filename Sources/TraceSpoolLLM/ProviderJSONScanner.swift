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
    var document: Range<Int>? {
        let start = skipSpace(0)
        guard let end = valueEnd(from: start), skipSpace(end) == bytes.count else { return nil }
        return start..<end
    }

    /// The members of the object at `range`: each key (unescaped) and its value's range. Nil when `range` does not
    /// hold an object.
    func members(_ range: Range<Int>) -> [(key: String, value: Range<Int>)]? {
        guard range.lowerBound < range.upperBound, range.upperBound <= bytes.count,
            bytes[range.lowerBound] == UInt8(ascii: "{")
        else { return nil }
        var result: [(key: String, value: Range<Int>)] = []
        var i = skipSpace(range.lowerBound + 1)
        if i < range.upperBound, bytes[i] == UInt8(ascii: "}") { return result }
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
            if bytes[i] == UInt8(ascii: "}") { return result }
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

    /// The value at `range`, parsed; nil when it is not valid JSON.
    func value(_ range: Range<Int>) -> JSONValue? {
        guard range.upperBound <= bytes.count else { return nil }
        return try? JSONReader.parse(Array(bytes[range]))
    }

    /// The string at `range` (quotes included), unescaped; nil when invalid.
    func string(_ range: Range<Int>) -> String? {
        guard range.count >= 2, range.upperBound <= bytes.count else { return nil }
        let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
        if !bytes[inner].contains(UInt8(ascii: "\\")) { return String(validating: bytes[inner], as: UTF8.self) }
        return value(range)?.stringValue
    }

    /// The offset of the first byte at or after `i` that is not JSON white space.
    func skipSpace(_ i: Int) -> Int {
        var i = i
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        return i
    }

    /// The offset just past the value starting at `start`; nil when malformed or truncated.
    func valueEnd(from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { b -> Int? in
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
    }

    private func stringEnd(from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { stringEnd($0, from: start, limit: $0.count) }
    }

    /// The offset just past the closing quote of the string whose opening quote is at `start`, below `limit`.
    private func stringEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int? {
        var i = start + 1
        while i < limit {
            switch b[i] {
            case UInt8(ascii: "\""): return i + 1
            case UInt8(ascii: "\\"): i += 2
            default: i += 1
            }
        }
        return nil
    }
}
