/// Lowercase hexadecimal text: trace and span ids, bytes in JSON and SQL columns, percent-decoding.
///
/// Writing emits lowercase digits; parsing accepts both cases and no prefix or separators.
package enum Hex {
    /// The lowercase ASCII digit of `nibble` (0...15): `0`–`9`, `a`–`f`. Computed without a table lookup.
    @inlinable
    package static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ UInt8(ascii: "0") : nibble &+ (UInt8(ascii: "a") &- 10)
    }

    /// Appends two lowercase hex digits per byte of `bytes` to `out`.
    @inlinable
    package static func appendHex<C: Collection<UInt8>>(of bytes: C, to out: inout [UInt8]) {
        for b in bytes {
            out.append(digit(b &>> 4))
            out.append(digit(b & 0x0F))
        }
    }

    /// `bytes` as lowercase hex text, two digits per byte (empty for no bytes).
    @inlinable
    package static func string<C: Collection<UInt8>>(of bytes: C) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        appendHex(of: bytes, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The low `digits` nibbles of `value` as zero-padded lowercase hex text, most significant first:
    /// `string(0xAB, digits: 4)` is `00ab`. `digits` is clamped to 1...16.
    package static func string(_ value: UInt64, digits: Int = 16) -> String {
        let digits = min(max(digits, 1), 16)
        var out = [UInt8](repeating: 0, count: digits)
        for i in 0..<digits {
            out[i] = digit(UInt8(truncatingIfNeeded: value >> UInt64(4 * (digits - 1 - i))) & 0x0F)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses hex text (either case) into bytes, two digits per byte.
    ///
    /// - Returns: nil when the length is odd or a character is not a hex digit; the empty string gives no bytes.
    @inlinable
    package static func bytes<S: StringProtocol>(fromHex string: S) -> [UInt8]? {
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

    /// Parses 1 to 16 hex digits (either case, no prefix) as an unsigned number.
    ///
    /// - Returns: nil when `digits` is empty, longer than 16, or holds a character that is not a hex digit.
    package static func parseUInt64(_ digits: some Collection<UInt8>) -> UInt64? {
        guard !digits.isEmpty, digits.count <= 16 else { return nil }
        var value: UInt64 = 0
        for c in digits {
            guard let d = nibble(c) else { return nil }
            value = value << 4 | UInt64(d)
        }
        return value
    }

    /// The value of one hex digit (either case), or nil for any other byte.
    @inlinable
    package static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}
