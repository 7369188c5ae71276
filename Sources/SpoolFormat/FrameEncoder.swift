/// Turns a record payload into a complete frame (header + stored payload) in a reusable buffer.
///
/// LZ4 is used when it makes the payload smaller, otherwise the payload is stored as is. Not thread-safe: one
/// encoder per writer thread.
///
/// Not part of the library's API: writers append frames with `SegmentWriter`. It is visible as `@_spi(Internal)` to
/// the package's test support and to the format benchmark, which measures the encoding alone.
@_spi(Internal) public final class FrameEncoder {
    private var buffer: UnsafeMutableRawBufferPointer
    private var lastHeader: FrameHeader?
    /// Whether to try LZ4 (true) or always store (false).
    package var compress: Bool
    /// liblz4's acceleration (1, the default, is `LZ4_compress_default`; values below 1 count as 1). Any value
    /// produces standard LZ4 blocks that every reader decodes.
    package var acceleration: Int

    /// Creates an encoder that compresses (`compress`) with liblz4's `acceleration`.
    @_spi(Internal) public init(compress: Bool = true, acceleration: Int = 1) {
        self.compress = compress
        self.acceleration = acceleration
        self.buffer = .allocate(byteCount: FrameHeader.size + LZ4.compressBound(64 << 10), alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Encodes one frame. The returned bytes live until the next call.
    ///
    /// - Throws: `SpoolError.tooLarge` when `payload` exceeds `SpoolLimits.maxFramePayloadBytes` or `recordCount` is
    ///   outside `0 ... UInt32.max`.
    @_spi(Internal) public func encode(
        payload: UnsafeRawBufferPointer, recordCount: Int, sequence: UInt64
    ) throws(SpoolError) -> UnsafeRawBufferPointer {
        guard recordCount >= 0, recordCount <= Int(UInt32.max) else {
            throw .tooLarge(what: "frame record count", bytes: recordCount, limit: Int(UInt32.max))
        }
        guard payload.count <= SpoolLimits.maxFramePayloadBytes else {
            throw .tooLarge(what: "frame payload", bytes: payload.count, limit: SpoolLimits.maxFramePayloadBytes)
        }
        let bound = FrameHeader.size + max(payload.count, LZ4.compressBound(payload.count))
        if buffer.count < bound {
            buffer.deallocate()
            buffer = .allocate(byteCount: bound, alignment: 16)
        }
        let body = UnsafeMutableRawBufferPointer(rebasing: buffer[FrameHeader.size...])
        var codec = FrameCodec.stored
        var stored = payload.count
        if compress, payload.count > 0 {
            let n = LZ4.compress(payload, into: body, acceleration: Int32(clamping: max(1, acceleration)))
            if n > 0, n < payload.count {
                codec = .lz4Block
                stored = n
            }
        }
        if codec == .stored, payload.count > 0 {
            body.baseAddress!.copyMemory(from: payload.baseAddress!, byteCount: stored)
        }
        let storedBytes = UnsafeRawBufferPointer(rebasing: body[0..<stored])
        let header = FrameHeader(
            codec: codec, sequence: sequence, recordCount: UInt32(recordCount),
            uncompressedLength: UInt32(payload.count),
            storedLength: UInt32(stored), payloadCRC: CRC32C.checksum(storedBytes))
        header.encode(to: buffer)
        lastHeader = header
        return UnsafeRawBufferPointer(rebasing: buffer[0..<FrameHeader.size + stored])
    }

    /// Changes the sequence number (and so the header CRC) of the frame the last `encode` returned, in place; its
    /// bytes stay valid until the next `encode`. A writer uses it when the frame goes into a new segment after all.
    package func restampLastFrame(sequence: UInt64) {
        guard var header = lastHeader else { return }
        header.sequence = sequence
        header.encode(to: buffer)
        lastHeader = header
    }

    /// Encodes one frame into a new array (for tests and tools; writers use the buffer-returning variant).
    package func encodedFrame(payload: [UInt8], recordCount: Int, sequence: UInt64) throws(SpoolError) -> [UInt8] {
        let result: Result<[UInt8], SpoolError> = payload.withUnsafeBytes { raw in
            do throws(SpoolError) {
                return .success(Array(try encode(payload: raw, recordCount: recordCount, sequence: sequence)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
