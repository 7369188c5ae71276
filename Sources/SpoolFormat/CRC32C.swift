import CSpoolSupport

/// CRC-32C (Castagnoli), the checksum of every segment header and frame in the spool format.
public enum CRC32C {
    /// The CRC-32C of `bytes`, continuing from `crc` (0 to start).
    ///
    /// Runs on the SSE4.2 or ARMv8 CRC instructions when the CPU has them. `checksum(b, continuing: checksum(a))`
    /// equals the checksum of `a` followed by `b`.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        tracespool_crc32c(crc, bytes.baseAddress, bytes.count)
    }

    /// The CRC-32C of `bytes`, continuing from `crc` (0 to start).
    public static func checksum(_ bytes: some ContiguousBytes, continuing crc: UInt32 = 0) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// Whether the checksum runs on CPU instructions (true) or on the portable table (false).
    public static var isHardwareAccelerated: Bool { tracespool_crc32c_is_hardware() != 0 }
}

/// Contiguous byte storage (`[UInt8]`, `ArraySlice<UInt8>`, `UnsafeRawBufferPointer`) that the codecs can checksum.
public protocol ContiguousBytes {
    /// Calls `body` with the bytes.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}

extension Array: ContiguousBytes where Element == UInt8 {}
extension ArraySlice: ContiguousBytes where Element == UInt8 {}
extension UnsafeRawBufferPointer: ContiguousBytes {
    /// Calls `body` with this buffer.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R { try body(self) }
}
