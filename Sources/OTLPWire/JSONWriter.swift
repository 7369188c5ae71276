/// A minimal streaming JSON writer producing UTF-8 bytes. Internal to OTLP/JSON encoding.
///
/// Commas are tracked with a single flag: opening a container clears it, and writing any
/// value (including closing a container) sets it, which is correct at every nesting level.
@usableFromInline
struct JSONWriter {
    @usableFromInline var bytes: [UInt8]
    @usableFromInline var needsComma = false

    @usableFromInline
    init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a comma if needed before the next array element.
    mutating func element() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = false
    }

    /// Writes `,"key":` (comma only when needed). `key` must not need escaping.
    mutating func key(_ key: StaticString) {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a raw ASCII token (number, `true`, `false`).
    mutating func raw(_ token: String) {
        bytes.append(contentsOf: token.utf8)
        needsComma = true
    }

    /// Writes an unsigned integer as a JSON number.
    mutating func number<T: BinaryInteger>(_ value: T) {
        raw(String(value))
    }

    /// Writes an integer as a JSON string of decimal digits (OTLP/JSON's rule for 64-bit ints).
    mutating func quotedNumber<T: BinaryInteger>(_ value: T) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: String(value).utf8)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a double; NaN and infinities become the strings proto3 JSON uses.
    mutating func double(_ value: Double) {
        if value.isNaN {
            string("NaN")
        } else if value.isInfinite {
            string(value < 0 ? "-Infinity" : "Infinity")
        } else {
            raw(value.description)
        }
    }

    mutating func bool(_ value: Bool) {
        raw(value ? "true" : "false")
    }

    /// Writes `bytes` as a lowercase hex JSON string.
    mutating func hex(_ value: [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        OTLPHex.appendHex(of: value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes `bytes` as a standard (padded) base64 JSON string.
    mutating func base64(_ value: [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        Base64.append(value, to: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Writes a JSON string. `"` and `\` are backslash-escaped, the common controls use their
    /// short escapes, other C0 controls and DEL become `\u00XX`, and U+2028/U+2029 are escaped
    /// for JavaScript safety. Everything else is emitted as UTF-8 (Swift strings are always
    /// valid Unicode, so the output is valid UTF-8).
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { appendEscaped($0) }
        if done == nil {
            Array(value.utf8).withUnsafeBufferPointer { appendEscaped($0) }
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    /// Appends `utf8` with JSON escaping, copying runs of bytes that need no escaping in bulk.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        var i = 0
        let n = utf8.count
        while i < n {
            let b = utf8[i]
            let escape: UInt8  // 0 = \u escape of `unit`, otherwise the short-escape letter
            var unit: UInt16 = UInt16(b)
            var width = 1
            switch b {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): escape = b
            case 0x0A: escape = UInt8(ascii: "n")
            case 0x0D: escape = UInt8(ascii: "r")
            case 0x09: escape = UInt8(ascii: "t")
            case 0x08: escape = UInt8(ascii: "b")
            case 0x0C: escape = UInt8(ascii: "f")
            case 0x00..<0x20, 0x7F: escape = 0
            case 0xE2 where i + 2 < n && utf8[i + 1] == 0x80 && (utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9):
                // U+2028 LINE SEPARATOR / U+2029 PARAGRAPH SEPARATOR (E2 80 A8 / E2 80 A9).
                escape = 0
                unit = utf8[i + 2] == 0xA8 ? 0x2028 : 0x2029
                width = 3
            default:
                i += 1
                continue
            }
            if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            if escape == 0 {
                unicodeEscape(unit)
            } else {
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(escape)
            }
            i += width
            runStart = i
        }
        if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<n])) }
    }

    private mutating func unicodeEscape(_ unit: UInt16) {
        bytes.append(UInt8(ascii: "\\"))
        bytes.append(UInt8(ascii: "u"))
        for shift in stride(from: 12, through: 0, by: -4) {
            bytes.append(OTLPHex.digits[Int((unit >> UInt16(shift)) & 0xF)])
        }
    }
}
