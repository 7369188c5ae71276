/// Lower-case hexadecimal text for bytes and fixed-width integers, as used in the golden vectors' JSON files.
public enum Hex {
    /// Two lower-case hex digits per byte, no separators.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `encode`'s output; nil when `text` is not an even number of hex digits.
    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let hi = nibble(chars[i]), let lo = nibble(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    /// `0x` and 16 hex digits.
    public static func u64(_ value: UInt64) -> String { "0x" + padded(String(value, radix: 16), 16) }

    /// `0x` and 8 hex digits.
    public static func u32(_ value: UInt32) -> String { "0x" + padded(String(value, radix: 16), 8) }

    /// Parses `0x`-prefixed hex text (as written by `u64`/`u32`).
    public static func parseUInt64(_ text: String) -> UInt64? {
        guard text.hasPrefix("0x") else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }

    private static func padded(_ s: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - s.count)) + s
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
