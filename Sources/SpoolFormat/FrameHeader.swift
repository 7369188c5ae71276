/// How a frame's payload is stored on disk.
public enum FrameCodec: UInt8, Sendable, CaseIterable {
    /// The payload is stored as is.
    case stored = 0
    /// The payload is one LZ4 block (no LZ4 frame header), as produced by `LZ4_compress_default`.
    case lz4Block = 1
}

/// The fixed 36-byte header in front of every frame (see `Spool/FORMAT.md`, "Frame").
///
/// ```
/// offset size field
///  0     4   magic F5 53 46 31
///  4     1   codec (0 stored, 1 LZ4 block)
///  5     1   flags (0 in v1)
///  6     2   reserved (0 in v1)
///  8     8   sequence number (u64, per segment, first frame 0)
/// 16     4   record count (u32)
/// 20     4   uncompressed payload length (u32)
/// 24     4   stored payload length (u32): the bytes that follow this header
/// 28     4   CRC-32C of the stored payload
/// 32     4   CRC-32C of header bytes 0..<32
/// ```
/// All integers are little-endian.
public struct FrameHeader: Sendable, Equatable {
    /// The frame magic (sync marker), bytes `F5 53 46 31`.
    public static let magic: [UInt8] = [0xF5, 0x53, 0x46, 0x31]
    /// The encoded size of a frame header: 36 bytes.
    public static let size = 36

    /// How the payload is stored.
    public var codec: FrameCodec
    /// The frame's sequence number within its segment, starting at 0 and increasing by one per frame.
    public var sequence: UInt64
    /// How many records the payload holds.
    public var recordCount: UInt32
    /// The payload length in bytes after decompression.
    public var uncompressedLength: UInt32
    /// The payload length in bytes as stored after the header.
    public var storedLength: UInt32
    /// The CRC-32C of the stored payload bytes.
    public var payloadCRC: UInt32

    /// Creates a header from its fields.
    package init(
        codec: FrameCodec, sequence: UInt64, recordCount: UInt32, uncompressedLength: UInt32, storedLength: UInt32,
        payloadCRC: UInt32
    ) {
        self.codec = codec
        self.sequence = sequence
        self.recordCount = recordCount
        self.uncompressedLength = uncompressedLength
        self.storedLength = storedLength
        self.payloadCRC = payloadCRC
    }

    /// Appends the 36 encoded bytes, header CRC included, to `buffer`.
    package func encode(into buffer: inout [UInt8]) {
        let start = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: Self.size))
        buffer.withUnsafeMutableBytes { encode(to: UnsafeMutableRawBufferPointer(rebasing: $0[start...])) }
    }

    /// Writes the 36 encoded bytes, header CRC included, to the start of `raw` (at least 36 bytes).
    @inlinable
    package func encode(to raw: UnsafeMutableRawBufferPointer) {
        precondition(raw.count >= Self.size)
        raw.storeBytes(of: 0x3146_53F5 as UInt32, toByteOffset: 0, as: UInt32.self)  // F5 53 46 31 little-endian
        raw.storeBytes(of: codec.rawValue, toByteOffset: 4, as: UInt8.self)
        raw.storeBytes(of: 0 as UInt8, toByteOffset: 5, as: UInt8.self)
        raw.storeBytes(of: 0 as UInt16, toByteOffset: 6, as: UInt16.self)
        raw.storeBytes(of: sequence.littleEndian, toByteOffset: 8, as: UInt64.self)
        raw.storeBytes(of: recordCount.littleEndian, toByteOffset: 16, as: UInt32.self)
        raw.storeBytes(of: uncompressedLength.littleEndian, toByteOffset: 20, as: UInt32.self)
        raw.storeBytes(of: storedLength.littleEndian, toByteOffset: 24, as: UInt32.self)
        raw.storeBytes(of: payloadCRC.littleEndian, toByteOffset: 28, as: UInt32.self)
        let crc = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[0..<32]))
        raw.storeBytes(of: crc.littleEndian, toByteOffset: 32, as: UInt32.self)
    }

    /// Why 36 bytes are not a valid frame header.
    package enum Problem: Error, Sendable, Equatable {
        /// The first four bytes are not the frame magic.
        case badMagic
        /// The header CRC does not match bytes 0..<32.
        case headerChecksumMismatch
        /// The codec byte names no codec of this format version.
        case unknownCodec(UInt8)
        /// The flags or reserved bytes are not zero.
        case reservedBitsSet
        /// A length is beyond `SpoolLimits.maxFramePayloadBytes`, or the stored length exceeds the uncompressed
        /// length (writers store a payload that does not shrink), or a stored frame's lengths differ.
        case lengthBeyondLimit(stored: UInt32, uncompressed: UInt32)
    }

    /// Decodes and validates a header from the first 36 bytes of `bytes`.
    ///
    /// - Returns: the header, or the first problem found. Never traps, whatever the bytes.
    package static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<FrameHeader, Problem> {
        guard bytes.count >= size else { return .failure(.badMagic) }
        guard bytes[0] == magic[0], bytes[1] == magic[1], bytes[2] == magic[2], bytes[3] == magic[3] else {
            return .failure(.badMagic)
        }
        let storedCRC: UInt32 = bytes.readLittleEndian(at: 32)
        guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<32])) == storedCRC else {
            return .failure(.headerChecksumMismatch)
        }
        guard let codec = FrameCodec(rawValue: bytes[4]) else { return .failure(.unknownCodec(bytes[4])) }
        guard bytes[5] == 0, bytes[6] == 0, bytes[7] == 0 else { return .failure(.reservedBitsSet) }
        let header = FrameHeader(
            codec: codec, sequence: bytes.readLittleEndian(at: 8), recordCount: bytes.readLittleEndian(at: 16),
            uncompressedLength: bytes.readLittleEndian(at: 20), storedLength: bytes.readLittleEndian(at: 24),
            payloadCRC: bytes.readLittleEndian(at: 28))
        let limit = UInt32(SpoolLimits.maxFramePayloadBytes)
        if header.uncompressedLength > limit || header.storedLength > header.uncompressedLength
            || (codec == .stored && header.storedLength != header.uncompressedLength)
        {
            return .failure(.lengthBeyondLimit(stored: header.storedLength, uncompressed: header.uncompressedLength))
        }
        return .success(header)
    }
}
