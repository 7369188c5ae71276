/// Lowercase hexadecimal conversion for trace and span ids.
public enum OTLPHex {
    @usableFromInline
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Returns the lowercase hex representation of `bytes` (two characters per byte).
    @inlinable
    public static func hexString<C: Collection<UInt8>>(of bytes: C) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        appendHex(of: bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the lowercase hex ASCII of `bytes` to `out`.
    @inlinable
    public static func appendHex<C: Collection<UInt8>>(of bytes: C, to out: inout [UInt8]) {
        for b in bytes {
            out.append(digits[Int(b &>> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
    }

    /// Parses a hex string (upper or lower case, no prefix or separators) into bytes.
    /// - Returns: `nil` when the length is odd or a character is not a hex digit.
    ///   The empty string parses to an empty array.
    @inlinable
    public static func bytes<S: StringProtocol>(fromHex string: S) -> [UInt8]? {
        let utf8 = string.utf8
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var high: UInt8? = nil
        for c in utf8 {
            guard let nibble = nibble(c) else { return nil }
            if let h = high {
                out.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return out
    }

    @inlinable
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
