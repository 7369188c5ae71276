import CSpoolSupport

/// CRC-32C (Castagnoli), the checksum of every segment header and frame in the spool format.
public enum CRC32C {
    /// The CRC-32C of `bytes`, continuing from `crc` (0 to start).
    ///
    /// Runs on the SSE4.2 or ARMv8 CRC instructions when the CPU has them. `checksum(b, continuing: checksum(a))`
    /// equals the checksum of `a` followed by `b`. Never fails; an empty buffer leaves `crc` unchanged.
    public static func checksum(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        tracespool_crc32c(crc, bytes.baseAddress, bytes.count)
    }

    /// The CRC-32C of `bytes` (for example an array or a slice of one), continuing from `crc` (0 to start).
    ///
    /// Collections with contiguous storage are checksummed in place; others are copied into an array first.
    public static func checksum(_ bytes: some Collection<UInt8>, continuing crc: UInt32 = 0) -> UInt32 {
        if let result = bytes.withContiguousStorageIfAvailable({ checksum(UnsafeRawBufferPointer($0), continuing: crc) }
        ) {
            return result
        }
        return Array(bytes).withUnsafeBytes { checksum($0, continuing: crc) }
    }

    /// Whether the checksum runs on CPU instructions (true) or on the portable table (false).
    public static var isHardwareAccelerated: Bool { tracespool_crc32c_is_hardware() != 0 }
}
