import CSpoolSupport

/// The package's JSON parser: UTF-8 text (RFC 8259) to a `JSONValue`.
///
/// Strict: white space is space, tab, newline and carriage return only; strings must be valid UTF-8 without
/// unescaped control characters, and `\u` escapes of surrogates must form high-low pairs; numbers follow the JSON
/// grammar and keep their literal text (`JSONNumber`); object members keep their order and duplicates; nothing may
/// follow the value but white space. Arrays and objects may nest `maximumDepth` deep, so hostile input cannot
/// exhaust the stack. Memory is proportional to the text.
package struct JSONReader {
    /// The nesting limit of `parse` unless given: 64 arrays and objects.
    package static let defaultMaximumDepth = 64

    private let bytes: [UInt8]
    private let maximumDepth: Int
    private var i = 0

    private init(_ bytes: [UInt8], maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    /// Parses the UTF-8 text `bytes`.
    ///
    /// - Throws: `JSONParseError` with the offset of the first problem.
    package static func parse(_ bytes: [UInt8], maximumDepth: Int = defaultMaximumDepth) throws(JSONParseError)
        -> JSONValue
    {
        var reader = JSONReader(bytes, maximumDepth: maximumDepth)
        let value = try reader.value(depth: 0)
        reader.skipSpace()
        guard reader.i == bytes.count else { throw JSONParseError(offset: reader.i, problem: .trailingData) }
        return value
    }

    /// Whether `bytes` are JSON text that `parse(_:maximumDepth:)` accepts, found without building the value: the
    /// same rules, at the cost of a scan for what needs no unescaping (a string whose bytes are ASCII without escapes
    /// is not made, an object or array not gathered). For readers that take the parts they need from the text.
    package static func isValid(_ bytes: [UInt8], maximumDepth: Int = defaultMaximumDepth) -> Bool {
        var reader = JSONReader(bytes, maximumDepth: maximumDepth)
        return bytes.withUnsafeBufferPointer { b in
            guard reader.skipValue(b, depth: 0) else { return false }
            reader.i = reader.skipSpace(b, reader.i)
            return reader.i == b.count
        }
    }

    /// Parses `text`; see `parse(_:maximumDepth:)-([UInt8],_)`.
    ///
    /// - Throws: `JSONParseError` with the UTF-8 offset of the first problem.
    package static func parse(_ text: String, maximumDepth: Int = defaultMaximumDepth) throws(JSONParseError)
        -> JSONValue
    {
        try parse(Array(text.utf8), maximumDepth: maximumDepth)
    }

    private func failure(_ problem: JSONParseError.Problem, at offset: Int? = nil) -> JSONParseError {
        JSONParseError(offset: offset ?? i, problem: problem)
    }

    /// The byte at the current offset, or the `unexpectedEnd` error there.
    private func current() throws(JSONParseError) -> UInt8 {
        guard i < bytes.count else { throw failure(.unexpectedEnd) }
        return bytes[i]
    }

    private mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        let c = try current()
        guard c == byte else { throw failure(.unexpectedByte(c)) }
        i += 1
    }

    /// One value and the white space before it; `depth` arrays and objects are open around it.
    private mutating func value(depth: Int) throws(JSONParseError) -> JSONValue {
        skipSpace()
        switch try current() {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
        case let c: throw failure(.unexpectedByte(c))
        }
    }

    /// `value(depth:)` without the value, over the reader's bytes `b`: true (the offset past the value) when it
    /// accepts the value, false when it throws.
    private mutating func skipValue(_ b: UnsafeBufferPointer<UInt8>, depth: Int) -> Bool {
        i = skipSpace(b, i)
        guard i < b.count else { return false }
        switch b[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = b[i] == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            guard depth < maximumDepth else { return false }
            i = skipSpace(b, i + 1)
            guard i < b.count else { return false }
            if b[i] == close {
                i += 1
                return true
            }
            while true {
                if close == UInt8(ascii: "}") {
                    i = skipSpace(b, i)
                    guard i < b.count, b[i] == UInt8(ascii: "\""), skipString(b) else { return false }
                    i = skipSpace(b, i)
                    guard i < b.count, b[i] == UInt8(ascii: ":") else { return false }
                    i += 1
                }
                guard skipValue(b, depth: depth + 1) else { return false }
                i = skipSpace(b, i)
                guard i < b.count else { return false }
                if b[i] == UInt8(ascii: ",") {
                    i += 1
                } else if b[i] == close {
                    i += 1
                    return true
                } else {
                    return false
                }
            }
        case UInt8(ascii: "\""): return skipString(b)
        case UInt8(ascii: "t"): return skipLiteral(b, "true")
        case UInt8(ascii: "f"): return skipLiteral(b, "false")
        case UInt8(ascii: "n"): return skipLiteral(b, "null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return (try? skipNumber()) != nil
        default: return false
        }
    }

    /// `string()` without the string: ASCII text without escapes up to the closing quote is only scanned; anything
    /// else is read by `string()`, which checks it.
    private mutating func skipString(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = i
        var j = i + 1
        let near = min(b.count, j + 24)
        while j < near {
            let c = b[j]
            if c == UInt8(ascii: "\"") {
                i = j + 1
                return true
            }
            if c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { break }
            j += 1
        }
        if j == near, j < b.count, let base = b.baseAddress {
            var nonASCII: Int32 = 0
            j += tracespool_find_json_string_special(base + j, b.count - j, &nonASCII)
            if j < b.count, b[j] == UInt8(ascii: "\""), nonASCII == 0 {
                i = j + 1
                return true
            }
        }
        i = start
        return (try? string()) != nil
    }

    /// Passes over `word` at the current offset; false when it is not there.
    private mutating func skipLiteral(_ b: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard i + count <= b.count else { return false }
        let matches = word.withUTF8Buffer { w in
            UnsafeBufferPointer(rebasing: b[i..<i + count]).elementsEqual(w)
        }
        i += count
        return matches
    }

    /// The offset of the first byte at or after `j` that is not white space.
    private func skipSpace(_ b: UnsafeBufferPointer<UInt8>, _ j: Int) -> Int {
        var j = j
        while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
        return j
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` at the current offset, passed over.
    private mutating func skipNumber() throws(JSONParseError) {
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        func digits() throws(JSONParseError) {
            guard i < bytes.count, isDigit(bytes[i]) else { throw failure(.invalidNumber) }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            try digits()
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            try digits()
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            try digits()
        }
    }

    private mutating func object(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < maximumDepth else { throw failure(.tooDeep(limit: maximumDepth)) }
        i += 1
        var members: [JSONMember] = []
        skipSpace()
        if try current() == UInt8(ascii: "}") {
            i += 1
            return .object(members)
        }
        while true {
            skipSpace()
            let c = try current()
            guard c == UInt8(ascii: "\"") else { throw failure(.unexpectedByte(c)) }
            let key = try string()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            members.append(JSONMember(key, try value(depth: depth + 1)))
            skipSpace()
            switch try current() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "}"):
                i += 1
                return .object(members)
            case let other: throw failure(.unexpectedByte(other))
            }
        }
    }

    private mutating func array(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < maximumDepth else { throw failure(.tooDeep(limit: maximumDepth)) }
        i += 1
        var items: [JSONValue] = []
        skipSpace()
        if try current() == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            items.append(try value(depth: depth + 1))
            skipSpace()
            switch try current() {
            case UInt8(ascii: ","): i += 1
            case UInt8(ascii: "]"):
                i += 1
                return .array(items)
            case let other: throw failure(.unexpectedByte(other))
            }
        }
    }

    private mutating func literal(_ word: StaticString, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        let start = i
        let matches = word.withUTF8Buffer { w in
            i + w.count <= bytes.count && bytes[i..<i + w.count].elementsEqual(w)
        }
        guard matches else { throw failure(.invalidLiteral, at: start) }
        i += word.utf8CodeUnitCount
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() throws(JSONParseError) -> JSONNumber {
        let start = i
        try skipNumber()
        return JSONNumber(validatedText: String(decoding: bytes[start..<i], as: UTF8.self))
    }

    /// A string from its opening quote (at the current offset) to its closing quote.
    private mutating func string() throws(JSONParseError) -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        var nonASCII = false
        while true {
            let runStart = i
            let (end, runHasNonASCII): (Int, Bool) = bytes.withUnsafeBufferPointer { all in
                guard let base = all.baseAddress, runStart < all.count else { return (all.count, false) }
                // Most strings (keys, short values) end within a few bytes: those are looked at here, longer
                // runs 16 bytes at a time.
                var j = runStart
                var high = false
                let near = min(all.count, runStart + 24)
                while j < near {
                    let c = all[j]
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { return (j, high) }
                    high = high || c >= 0x80
                    j += 1
                }
                guard j < all.count else { return (j, high) }
                var rest: Int32 = 0
                let length = tracespool_find_json_string_special(base + j, all.count - j, &rest)
                return (j + length, high || rest != 0)
            }
            i = end
            nonASCII = nonASCII || runHasNonASCII
            if out.isEmpty, i < bytes.count, bytes[i] == UInt8(ascii: "\""), !nonASCII {
                // The common string: ASCII text and no escape, made straight from the input.
                i += 1
                return bytes.withUnsafeBufferPointer {
                    String(decoding: UnsafeBufferPointer(rebasing: $0[runStart..<end]), as: UTF8.self)
                }
            }
            out.append(contentsOf: bytes[runStart..<i])
            switch try current() {
            case UInt8(ascii: "\""):
                i += 1
                let text = out.withUnsafeBufferPointer { String(validating: $0, as: UTF8.self) }
                guard let text else { throw failure(.invalidUTF8, at: start) }
                return text
            case UInt8(ascii: "\\"):
                try escape(into: &out)
            default:
                throw failure(.controlCharacterInString)
            }
        }
    }

    /// One backslash escape at the current offset, appended to `out` as UTF-8.
    private mutating func escape(into out: inout [UInt8]) throws(JSONParseError) {
        let start = i
        i += 1
        let e = try current()
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var unit = try hex4(escapeStart: start)
            if (0xD800...0xDBFF).contains(unit) {
                guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                    throw failure(.loneSurrogate, at: start)
                }
                i += 2
                let low = try hex4(escapeStart: i - 2)
                guard (0xDC00...0xDFFF).contains(low) else { throw failure(.loneSurrogate, at: start) }
                unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
            }
            // Only a surrogate (here: a low one without a high one before it) is not a scalar.
            guard let scalar = Unicode.Scalar(unit) else { throw failure(.loneSurrogate, at: start) }
            UTF8.encode(scalar) { out.append($0) }
        default:
            throw failure(.invalidEscape, at: start)
        }
    }

    /// The four hex digits of a `\u` escape at the current offset.
    private mutating func hex4(escapeStart: Int) throws(JSONParseError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw failure(.invalidEscape, at: escapeStart) }
        var value: UInt32 = 0
        for c in bytes[i..<i + 4] {
            guard let d = Hex.nibble(c) else { throw failure(.invalidEscape, at: escapeStart) }
            value = value << 4 | UInt32(d)
        }
        i += 4
        return value
    }
}
