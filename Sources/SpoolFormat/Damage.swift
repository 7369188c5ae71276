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
        /// A frame whose records do not parse, do not match its record count, or hold a drops or seal body that does
        /// not decode.
        case malformedRecords(RecordProblem)
        /// A frame cut short at the end of a sealed segment (in an open segment this is a torn tail instead).
        case truncatedFrame
        /// Bytes beyond `SpoolLimits.maxSegmentBytes`, not read.
        case beyondSegmentLimit
        /// Frames are missing: a valid frame's sequence number is not the one expected after the previous frame
        /// (or, for the first frame of a segment read from its start, not 0).
        case sequenceGap(expected: UInt64, found: UInt64)
        /// A sealed segment whose header promises a seal record (`SegmentHeader.Flags.sealRecord`) ends without
        /// one: it was cut, possibly exactly at a frame boundary.
        case sealMissing
        /// The seal record disagrees with its own frame's sequence number, or with the frames read before it.
        case sealMismatch(SealMismatch)
        /// Bytes after the seal frame, which is the last frame of its segment by definition.
        case dataAfterSeal

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
            case .sealMissing: "seal_missing"
            case .sealMismatch: "seal_mismatch"
            case .dataAfterSeal: "data_after_seal"
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
            case .malformedRecords(let problem): "malformed records: \(problem)"
            case .truncatedFrame: "frame cut short at the end of a sealed segment"
            case .beyondSegmentLimit: "bytes beyond the 1 GiB segment limit"
            case .sequenceGap(let e, let f) where f == e + 1: "frame \(e) is missing"
            case .sequenceGap(let e, let f) where f > e: "frames \(e) to \(f - 1) are missing"
            case .sequenceGap(let e, let f): "frame \(f) follows frame \(e &- 1): frames are repeated or out of order"
            case .sealMissing:
                "the sealed segment ends without the seal record its header promises: it was cut after its last "
                    + "complete frame"
            case .sealMismatch(let m): "\(m)"
            case .dataAfterSeal: "bytes after the seal frame, which must be the last frame"
            }
        }
    }

    /// How a seal record disagrees with the segment (`Reason.sealMismatch`).
    public struct SealMismatch: Sendable, Equatable, CustomStringConvertible {
        /// The seal record.
        public var seal: SealRecord
        /// The sequence number of the seal frame (it must equal `seal.frameCount`).
        public var sealSequence: UInt64
        /// The frames read before the seal, when the reader read the segment from its first frame without damage.
        public var framesRead: UInt64?
        /// The records in those frames.
        public var recordsRead: UInt64?

        /// Creates a mismatch report.
        package init(seal: SealRecord, sealSequence: UInt64, framesRead: UInt64?, recordsRead: UInt64?) {
            self.seal = seal
            self.sealSequence = sealSequence
            self.framesRead = framesRead
            self.recordsRead = recordsRead
        }

        /// A one-line explanation.
        public var description: String {
            if !seal.isConsistent || seal.frameCount != sealSequence {
                return "seal record (\(seal)) contradicts itself or its frame's sequence number \(sealSequence)"
            }
            return "seal record says \(seal.frameCount) frames with \(seal.recordCount) records; the segment holds "
                + "\(framesRead ?? 0) frames with \(recordsRead ?? 0) records"
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
