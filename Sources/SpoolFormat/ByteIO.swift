// Little-endian integer and LEB128 varint helpers shared by the header, frame and record codecs.

extension Array where Element == UInt8 {
    @inlinable
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        var v = value.littleEndian
        Swift.withUnsafeBytes(of: &v) { self.append(contentsOf: $0) }
    }

    @inlinable
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            self.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        self.append(UInt8(v))
    }
}

extension UnsafeRawBufferPointer {
    /// Reads a little-endian integer at `offset`; the caller has checked the bounds.
    @inlinable
    func readLittleEndian<T: FixedWidthInteger>(at offset: Int, as: T.Type = T.self) -> T {
        T(littleEndian: self.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

/// Decodes an unsigned LEB128 varint of at most 10 bytes from `bytes[index...]`, advancing `index`.
/// Returns nil when the varint is truncated, longer than 10 bytes, or its value does not fit in 64 bits (a 10th byte
/// above 1). Non-minimal encodings (redundant `0x80` groups) are accepted, as protobuf accepts them.
@inlinable
func decodeVarint(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> UInt64? {
    var result: UInt64 = 0
    var shift: UInt64 = 0
    while index < bytes.count, shift < 70 {
        let byte = bytes[index]
        index += 1
        if shift == 63, byte > 1 { return nil }
        result |= UInt64(byte & 0x7F) << shift
        if byte < 0x80 { return result }
        shift += 7
    }
    return nil
}

/// The number of bytes the LEB128 encoding of `value` takes (1 to 10).
@inlinable
func varintSize(_ value: UInt64) -> Int {
    var v = value
    var n = 1
    while v >= 0x80 {
        v >>= 7
        n += 1
    }
    return n
}
