import CSpoolSupport

/// The package's JSON writer: appends compact JSON text (no whitespace) as UTF-8 bytes, in the order values are
/// written, with no intermediate tree. `writePretty(_:)` lays out a `JSONValue` with indentation instead.
///
/// Commas are placed with a single flag: writing a value (or closing a container) sets it, opening a container or
/// writing a key clears it, and a key or value written while it is set is preceded by a comma. That is correct at
/// every nesting level, so callers only write keys and values in order. The writer does not check the structure
/// (a value where a key is due, unbalanced containers); that is its callers' part.
///
/// Strings are escaped as in `string(_:)`; output is always valid UTF-8.
package struct JSONWriter {
    /// The JSON text written so far, UTF-8.
    package var bytes: [UInt8]
    /// Whether the next key or value needs a comma before it.
    @usableFromInline
    var needsComma = false

    /// An empty writer whose buffer has room for `capacity` bytes.
    @inlinable
    package init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The JSON text written so far.
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    @inlinable
    mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    /// Writes `{`.
    @inlinable
    package mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes `}`.
    @inlinable
    package mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[`.
    @inlinable
    package mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    /// Writes `]`.
    @inlinable
    package mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes `"key":`. `key` must need no escaping (no `"`, `\`, control characters, U+2028, U+2029).
    @inlinable
    package mutating func key(_ key: StaticString) {
        // The comma, quotes, key and colon in one append.
        let comma = needsComma ? 1 : 0
        key.withUTF8Buffer { utf8 in
            let count = utf8.count
            bytes.append(addingCapacity: comma + count + 3) { span in
                span.withUnsafeMutableBufferPointer { out, initialized in
                    let base = out.baseAddress!
                    if comma == 1 { base[0] = UInt8(ascii: ",") }
                    base[comma] = UInt8(ascii: "\"")
                    if let source = utf8.baseAddress { (base + comma + 1).initialize(from: source, count: count) }
                    base[comma + count + 1] = UInt8(ascii: "\"")
                    base[comma + count + 2] = UInt8(ascii: ":")
                    initialized = comma + count + 3
                }
            }
        }
        needsComma = false
    }

    /// Writes `"key":` with `key` escaped as `string(_:)` escapes (for keys known only at run time).
    package mutating func key(escaping key: String) {
        separate()
        if !appendShortPlain(key, colon: true) {
            appendQuoted(key)
            bytes.append(UInt8(ascii: ":"))
        }
        needsComma = false
    }

    /// Writes an integer as a JSON number in decimal digits.
    @inlinable
    package mutating func number(_ value: some BinaryInteger) {
        separate()
        if let value = Int64(exactly: value) {
            appendDecimal(value)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
        needsComma = true
    }

    /// Appends the decimal digits of `value` (with a `-` when negative), without making a `String`.
    @usableFromInline
    mutating func appendDecimal(_ value: Int64) {
        appendDecimal(negative: value < 0, value.magnitude, decimals: 0, of: 1)
    }

    /// The number of decimal digits of `value` (1 for 0).
    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        var count = 1
        var bound: UInt64 = 10
        while value >= bound {
            count += 1
            // 10^19 is the last power of ten below 2^64: no value has more digits than 20.
            guard count < 20 else { break }
            bound &*= 10
        }
        return count
    }

    /// Appends `scaled` ÷ `power` in decimal digits, in one append, with a `-` when `negative`: its integer part,
    /// then, when `decimals` > 0, a `.` and its last `decimals` digits (`power` being 10^`decimals`), zero-padded.
    @usableFromInline
    mutating func appendDecimal(negative: Bool, _ scaled: UInt64, decimals: Int, of power: UInt64) {
        let integer = scaled / power
        var fraction = scaled % power
        let integerDigits = Self.digitCount(integer)
        let sign = negative ? 1 : 0
        let total = sign + integerDigits + (decimals > 0 ? 1 + decimals : 0)
        bytes.append(addingCapacity: total) { span in
            span.withUnsafeMutableBufferPointer { out, initialized in
                let base = out.baseAddress!
                var i = total
                for _ in 0..<decimals {
                    i -= 1
                    base[i] = UInt8(truncatingIfNeeded: fraction % 10) &+ UInt8(ascii: "0")
                    fraction /= 10
                }
                if decimals > 0 {
                    i -= 1
                    base[i] = UInt8(ascii: ".")
                }
                var rest = integer
                repeat {
                    i -= 1
                    base[i] = UInt8(truncatingIfNeeded: rest % 10) &+ UInt8(ascii: "0")
                    rest /= 10
                } while i > sign
                if negative { base[0] = UInt8(ascii: "-") }
                initialized = total
            }
        }
    }

    /// Writes a number literal as it is.
    package mutating func number(_ value: JSONNumber) {
        separate()
        bytes.append(contentsOf: value.text.utf8)
        needsComma = true
    }

    /// Writes an integer as a JSON string of decimal digits (how OTLP/JSON writes 64-bit integers).
    @inlinable
    package mutating func quotedNumber(_ value: some BinaryInteger) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: String(value).utf8)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a double in Swift's shortest round-trip form (`0.1`, `1e-05`, `1.0`); NaN and infinities, which JSON
    /// numbers cannot express, as `null`.
    package mutating func double(_ value: Double) {
        separate()
        if appendShortDecimal(value) {
            needsComma = true
            return
        }
        // NaN and infinities, which JSON numbers cannot express: `null`.
        bytes.append(contentsOf: JSONNumber(value)?.text.utf8 ?? "null".utf8)
        needsComma = true
    }

    /// Appends a double below 10^9 in magnitude that has at most three decimals (`0.2`, `-1.25`, `256.0`, `0.001`)
    /// as Swift's `description` writes it, from its digits, without making a `String`; false (having written
    /// nothing) for any other value. The decimals `d` are the fewest for which `(value × 10^d).rounded() / 10^d`
    /// gives `value` back: that decimal is the shortest that reads back as `value`, which `description` writes.
    private mutating func appendShortDecimal(_ value: Double) -> Bool {
        let magnitude = value.magnitude
        // Also false for NaN and infinities.
        guard magnitude < 1e9 else { return false }
        var scale = 1.0
        var decimals = 0
        while true {
            let scaled = (magnitude * scale).rounded()
            if scaled / scale == magnitude {
                // An integral value as `256.0`: one decimal, 0, of 10 × 256.
                let (digits, power) = decimals == 0 ? (UInt64(scaled) * 10, 10) : (UInt64(scaled), UInt64(scale))
                appendDecimal(negative: value.sign == .minus, digits, decimals: max(decimals, 1), of: power)
                return true
            }
            guard decimals < 3 else { return false }
            scale *= 10
            decimals += 1
        }
    }

    /// Writes a double as proto3 JSON does: finite values as `double(_:)`, NaN and infinities as the strings `"NaN"`,
    /// `"Infinity"` and `"-Infinity"`.
    package mutating func proto3Double(_ value: Double) {
        if value.isNaN {
            string("NaN")
        } else if value.isInfinite {
            string(value < 0 ? "-Infinity" : "Infinity")
        } else {
            double(value)
        }
    }

    /// Writes `true` or `false`.
    @inlinable
    package mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? "true".utf8 : "false".utf8)
        needsComma = true
    }

    /// Writes `null`.
    @inlinable
    package mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Writes `value` as a JSON string of lowercase hex digits.
    @inlinable
    package mutating func hex(_ value: [UInt8]) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        Hex.appendHex(of: value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes `value` as a JSON string of standard padded base64 (`Base64`).
    package mutating func base64(_ value: [UInt8]) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        Base64.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a JSON string. `"` and `\` are backslash-escaped; backspace, form feed, newline, carriage return and
    /// tab use their short escapes; the other C0 controls and DEL become `\u00XX`; U+2028 and U+2029 become `\u2028`
    /// and `\u2029` (JavaScript safety). Everything else is copied as UTF-8 (a Swift string is valid Unicode, so the
    /// output is valid UTF-8).
    package mutating func string(_ value: String) {
        separate()
        if !appendShortPlain(value, colon: false) { appendQuoted(value) }
        needsComma = true
    }

    /// The longest string `appendShortPlain` takes: keys, names, roles and enumeration values, whose bytes are
    /// checked one by one faster than a call to the vector search starts.
    private static let shortPlainLimit = 32

    /// Appends `"value"` (and `:` when `colon`) in one copy when `value` is at most `shortPlainLimit` bytes of
    /// contiguous UTF-8 that need no escaping; returns false (having written nothing) otherwise.
    @inline(__always)
    private mutating func appendShortPlain(_ value: String, colon: Bool) -> Bool {
        let written: Bool? = value.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
            let count = utf8.count
            guard count <= Self.shortPlainLimit else { return false }
            for byte in utf8
            where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == 0x7F
                || byte == 0xE2
            {
                return false
            }
            let total = count + (colon ? 3 : 2)
            bytes.append(addingCapacity: total) { span in
                span.withUnsafeMutableBufferPointer { out, initialized in
                    out[0] = UInt8(ascii: "\"")
                    if let base = utf8.baseAddress, count > 0 {
                        UnsafeMutableRawPointer(out.baseAddress! + 1).copyMemory(from: base, byteCount: count)
                    }
                    out[count + 1] = UInt8(ascii: "\"")
                    if colon { out[count + 2] = UInt8(ascii: ":") }
                    initialized = total
                }
            }
            return true
        }
        return written ?? false
    }

    /// Appends `value` quoted and escaped (see `string(_:)`).
    private mutating func appendQuoted(_ value: String) {
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { appendQuoted($0) }
        if done == nil {
            Array(value.utf8).withUnsafeBufferPointer { appendQuoted($0) }
        }
    }

    /// Writes `value` compactly, object members in their order.
    package mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): number(n)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .object(let members):
            beginObject()
            for member in members {
                key(escaping: member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    /// The room `appendQuoted` appends beyond a string's own bytes and quotes: escapes take it up, and a string with
    /// more escapes than it holds continues in more room.
    static var escapeRoom: Int { 32 }

    /// Appends `utf8` quoted, with JSON escaping (`tracespool_json_escape`, which copies it escaped in vector steps),
    /// straight into room appended to `bytes`.
    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        let n = utf8.count
        var i = 0
        var opened = false
        var closed = false
        while !closed {
            // Room for the rest unescaped, the quotes and `escapeRoom` bytes of escapes: at least one more byte of
            // `utf8` fits each time.
            bytes.append(addingCapacity: n - i + 2 + Self.escapeRoom) { span in
                span.withUnsafeMutableBufferPointer { out, initialized in
                    let base = out.baseAddress!
                    var w = 0
                    if !opened {
                        base[w] = UInt8(ascii: "\"")
                        w += 1
                        opened = true
                    }
                    if i < n {
                        var written = 0
                        // One byte kept back for the closing quote.
                        i += tracespool_json_escape(utf8.baseAddress! + i, n - i, base + w, out.count - w - 1, &written)
                        w += written
                    }
                    if i == n {
                        base[w] = UInt8(ascii: "\"")
                        w += 1
                        closed = true
                    }
                    initialized = w
                }
            }
        }
    }
}
