/// Byte-level tests of ASCII text (HTTP methods, paths, header values), without `Character` processing: what the
/// exchange reads of every request and response head.
enum ASCIIBytes {
    /// `byte` with A–Z folded to a–z.
    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// Whether `bytes` hold `lowercase` at `offset`, ASCII letters compared without case.
    static func has(_ lowercase: StaticString, at offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let count = lowercase.utf8CodeUnitCount
        guard offset >= 0, offset + count <= bytes.count else { return false }
        let expected = lowercase.utf8Start
        for k in 0..<count where lowercased(bytes[offset + k]) != expected[k] { return false }
        return true
    }

    /// Whether `bytes` start with `lowercase` (letters compared without case).
    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        has(lowercase, at: 0, in: bytes)
    }

    /// Whether `bytes` end with `lowercase` (letters compared without case).
    static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        has(lowercase, at: bytes.count - lowercase.utf8CodeUnitCount, in: bytes)
    }

    /// Whether `bytes` hold `lowercase` anywhere (letters compared without case).
    static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ lowercase: StaticString) -> Bool {
        let last = bytes.count - lowercase.utf8CodeUnitCount
        guard last >= 0 else { return false }
        for offset in 0...last where has(lowercase, at: offset, in: bytes) { return true }
        return false
    }

    /// `body` applied to the UTF-8 bytes of `text` (copied only when the string has no contiguous storage).
    static func withBytes<R>(of text: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var text = text
        return text.withUTF8(body)
    }
}
