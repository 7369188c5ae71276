import CZlib

/// gzip compression (RFC 1952) with the system zlib, for `Content-Encoding: gzip` request bodies.
package enum Gzip {
    /// Compresses `input` into a gzip member.
    ///
    /// - Parameter level: zlib level 1 (fastest) to 9 (smallest); default 1: upload bodies are compressed once and
    ///   CPU is usually scarcer than bandwidth beside a function.
    /// - Returns: nil only if zlib fails (out of memory); callers then send the body uncompressed.
    package static func compress(_ input: [UInt8], level: Int32 = 1) -> [UInt8]? {
        var stream = z_stream()
        let initResult = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
            Int32(MemoryLayout<z_stream>.size))
        guard initResult == Z_OK else { return nil }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        let result: Int32 = input.withUnsafeBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                stream.next_in = UnsafeMutablePointer(
                    mutating: inRaw.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(inRaw.count)
                stream.next_out = outRaw.baseAddress?.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(outRaw.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { return nil }
        output.removeLast(output.count - Int(stream.total_out))
        return output
    }

    /// Decompresses a gzip member (used by tests and the test server).
    /// - Returns: nil when the input is not valid gzip.
    package static func decompress(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        return input.withUnsafeBytes { inRaw -> [UInt8]? in
            stream.next_in = UnsafeMutablePointer(mutating: inRaw.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(inRaw.count)
            while true {
                let (r, produced) = chunk.withUnsafeMutableBytes { outRaw -> (Int32, Int) in
                    stream.next_out = outRaw.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.avail_out = uInt(outRaw.count)
                    let r = inflate(&stream, Z_NO_FLUSH)
                    return (r, outRaw.count - Int(stream.avail_out))
                }
                output.append(contentsOf: chunk[0..<produced])
                if r == Z_STREAM_END { return output }
                if r != Z_OK { return nil }
                if produced == 0, stream.avail_in == 0 { return nil }
            }
        }
    }
}
