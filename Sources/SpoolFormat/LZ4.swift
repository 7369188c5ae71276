import CLZ4

/// Thin wrappers over the system liblz4 block API.
enum LZ4 {
    /// The worst-case compressed size of `count` input bytes.
    static func compressBound(_ count: Int) -> Int { Int(LZ4_compressBound(Int32(count))) }

    /// Compresses `input` into `output` (which has at least `compressBound(input.count)` bytes) with liblz4's
    /// `acceleration` (1 = `LZ4_compress_default`; higher is faster and skips more match candidates).
    /// Returns the compressed size, or 0 when liblz4 fails.
    static func compress(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, acceleration: Int32 = 1
    ) -> Int {
        guard let src = input.baseAddress, let dst = output.baseAddress, input.count > 0 else { return 0 }
        return Int(
            LZ4_compress_fast(
                src.assumingMemoryBound(to: CChar.self), dst.assumingMemoryBound(to: CChar.self),
                Int32(input.count), Int32(output.count), acceleration))
    }

    /// Decompresses `input` into exactly `output.count` bytes. Returns false on malformed input or a size mismatch,
    /// and for an empty `input` (an LZ4 block is never empty: even empty data encodes to one token byte); liblz4's
    /// safe decoder never writes outside `output`.
    static func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        guard input.count > 0, let src = input.baseAddress else { return false }
        guard let dst = output.baseAddress else { return false }
        let n = LZ4_decompress_safe(
            src.assumingMemoryBound(to: CChar.self), dst.assumingMemoryBound(to: CChar.self), Int32(input.count),
            Int32(output.count))
        return n == Int32(output.count)
    }
}
