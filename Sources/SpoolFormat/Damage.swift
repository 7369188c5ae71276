/// A region of a segment that could not be read, with the reason.
public struct Damage: Sendable, Equatable, CustomStringConvertible {
    /// Why bytes were skipped.
    public enum Reason: Sendable, Equatable, CustomStringConvertible {
        /// No frame magic where a frame should start.
        case badMagic
        /// A frame header whose CRC does not match.
        case headerChecksumMismatch
        /// A frame header naming a codec this version does not know.
        case unknownCodec(UInt8)
        /// A frame header with non-zero flags or reserved bytes.
        case reservedBitsSet
        /// A frame header claiming lengths beyond the limits.
        case lengthBeyondLimit(stored: UInt32, uncompressed: UInt32)
        /// A frame whose payload CRC does not match.
        case payloadChecksumMismatch
        /// A frame whose LZ4 payload does not decompress to its stated length.
        case decompressionFailed
        /// A frame whose records do not parse or do not match its record count.
        case malformedRecords
        /// A frame cut short at the end of a sealed segment (in an open segment this is a torn tail instead).
        case truncatedFrame
        /// Bytes beyond `SpoolLimits.maxSegmentBytes`, not read.
        case beyondSegmentLimit
        /// Frames are missing: a valid frame's sequence number is not the one expected after the previous frame.
        case sequenceGap(expected: UInt64, found: UInt64)

        /// A short stable token, e.g. `payload_crc_mismatch`.
        public var code: String {
            switch self {
            case .badMagic: "bad_magic"
            case .headerChecksumMismatch: "header_crc_mismatch"
            case .unknownCodec: "unknown_codec"
            case .reservedBitsSet: "reserved_bits_set"
            case .lengthBeyondLimit: "length_beyond_limit"
            case .payloadChecksumMismatch: "payload_crc_mismatch"
            case .decompressionFailed: "decompression_failed"
            case .malformedRecords: "malformed_records"
            case .truncatedFrame: "truncated_frame"
            case .beyondSegmentLimit: "beyond_segment_limit"
            case .sequenceGap: "sequence_gap"
            }
        }

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .badMagic: "no frame magic (garbage or overwritten bytes)"
            case .headerChecksumMismatch: "frame header CRC mismatch"
            case .unknownCodec(let c): "unknown codec \(c)"
            case .reservedBitsSet: "reserved header bits set"
            case .lengthBeyondLimit(let s, let u):
                "frame claims stored length \(s) / uncompressed length \(u), beyond the limit of "
                    + "\(SpoolLimits.maxFramePayloadBytes) bytes or inconsistent"
            case .payloadChecksumMismatch: "frame payload CRC mismatch"
            case .decompressionFailed: "LZ4 payload does not decompress to its stated length"
            case .malformedRecords: "records do not parse or do not match the record count"
            case .truncatedFrame: "frame cut short at the end of a sealed segment"
            case .beyondSegmentLimit: "bytes beyond the 1 GiB segment limit"
            case .sequenceGap(let e, let f): "frame sequence jumps from \(e) to \(f): frames are missing"
            }
        }
    }

    /// The segment file.
    public var segment: String
    /// The file offset where the unreadable region starts.
    public var offset: Int
    /// The length of the skipped region in bytes (0 for a sequence gap).
    public var length: Int
    /// Why it was skipped.
    public var reason: Reason

    /// Creates a damage report.
    package init(segment: String, offset: Int, length: Int, reason: Reason) {
        self.segment = segment
        self.offset = offset
        self.length = length
        self.reason = reason
    }

    /// `segment@offset+length: reason`.
    public var description: String { "\(segment)@\(offset)+\(length): \(reason)" }
}
