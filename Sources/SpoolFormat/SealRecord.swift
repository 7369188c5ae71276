/// The body of a seal record (`RecordType.seal`): what a segment held when its writer sealed it.
///
/// A writer whose segment header carries `SegmentHeader.Flags.sealRecord` appends, when it seals the segment, one
/// last frame holding only this record (the seal frame, whose sequence number is `frameCount`). Readers compare it
/// with the frames they read, so a sealed segment cut exactly at a frame boundary or missing frames is reported
/// (`Spool/FORMAT.md` §5.1). Encoding: three LEB128 varints, `frameCount`, `recordCount`, `lastSequence`, filling
/// the body exactly.
public struct SealRecord: Sendable, Equatable, CustomStringConvertible {
    /// The number of frames before the seal frame.
    public var frameCount: UInt64
    /// The number of records in those frames, all types.
    public var recordCount: UInt64
    /// The sequence number of the last frame before the seal frame: `frameCount - 1`, or 0 when `frameCount` is 0.
    public var lastSequence: UInt64

    /// The largest seal frame: a 36-byte frame header, the record's type byte and length, three 10-byte varints.
    /// Writers keep this much room below their rotation size, so sealing never takes a segment past it.
    package static let maxFrameBytes = FrameHeader.size + 2 + 30

    /// Creates a seal record.
    public init(frameCount: UInt64, recordCount: UInt64, lastSequence: UInt64) {
        self.frameCount = frameCount
        self.recordCount = recordCount
        self.lastSequence = lastSequence
    }

    /// The seal record of a segment holding `frameCount` frames (sequence numbers 0 to `frameCount - 1`) with
    /// `recordCount` records in all.
    public init(frameCount: UInt64, recordCount: UInt64) {
        self.init(frameCount: frameCount, recordCount: recordCount, lastSequence: frameCount == 0 ? 0 : frameCount - 1)
    }

    /// Whether `lastSequence` is the one `frameCount` implies (`frameCount - 1`, or 0 for no frames).
    public var isConsistent: Bool { lastSequence == (frameCount == 0 ? 0 : frameCount - 1) }

    /// The record body: three varints.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.appendVarint(frameCount)
        out.appendVarint(recordCount)
        out.appendVarint(lastSequence)
        return out
    }

    /// Decodes a record body; nil unless it is exactly three valid varints (`Spool/FORMAT.md` §1).
    public init?(decoding body: some Collection<UInt8>) {
        let bytes = Array(body)
        let fields = bytes.withUnsafeBytes { raw -> (UInt64, UInt64, UInt64)? in
            var i = 0
            guard let f = decodeVarint(raw, &i), let r = decodeVarint(raw, &i), let q = decodeVarint(raw, &i),
                i == raw.count
            else { return nil }
            return (f, r, q)
        }
        guard let fields else { return nil }
        self.init(frameCount: fields.0, recordCount: fields.1, lastSequence: fields.2)
    }

    /// The payload of a seal frame: this record alone.
    package var framePayload: [UInt8] {
        var payload: [UInt8] = []
        RecordEncoding.append(type: .seal, body: encoded(), to: &payload)
        return payload
    }

    /// The complete seal frame (36-byte header, stored payload) with sequence number `frameCount`, as writers make
    /// it.
    package var frameBytes: [UInt8] { frameBytes(sequence: frameCount) }

    /// The complete seal frame (36-byte header, stored payload) with sequence number `sequence`.
    package func frameBytes(sequence: UInt64) -> [UInt8] {
        let payload = framePayload
        var out: [UInt8] = []
        FrameHeader(
            codec: .stored, sequence: sequence, recordCount: 1, uncompressedLength: UInt32(payload.count),
            storedLength: UInt32(payload.count), payloadCRC: CRC32C.checksum(payload)
        ).encode(into: &out)
        out += payload
        return out
    }

    /// `N frames, R records, last sequence Q`.
    public var description: String {
        "\(frameCount) frame\(frameCount == 1 ? "" : "s"), \(recordCount) record\(recordCount == 1 ? "" : "s"), "
            + "last sequence \(lastSequence)"
    }
}
