public import SpoolFormat

/// Assembles a segment file in memory, frame by frame, with `SegmentHeader.encoded()` and `FrameEncoder`, and records
/// what a reader must find in it. Used to build the golden vectors and test fixtures.
///
/// The expectations are computed from what was written (offsets, the encoded frame header's fields, CRCs of the
/// payload built here), never by running the reader.
public struct SegmentBuilder {
    /// The segment bytes so far.
    public private(set) var bytes: [UInt8]
    /// The segment header.
    public let header: SegmentHeader
    /// The encoded header length in bytes (the offset of the first frame).
    public let headerLength: Int
    /// The frames appended so far, as a reader must report them.
    public private(set) var frames: [ExpectedRead.Frame] = []
    /// The sequence number the next frame gets.
    public var nextSequence: UInt64 = 0
    private let encoder = FrameEncoder()

    /// Starts a segment with `header`.
    public init(header: SegmentHeader) {
        self.header = header
        self.bytes = header.encoded()
        self.headerLength = bytes.count
    }

    /// The expectation for this segment's header.
    public var expectedHeader: ExpectedRead.Header { ExpectedRead.Header(header, length: headerLength) }

    /// Encodes one frame of `records` (LZ4 when `compress` and it shrinks the payload) and returns its expectation
    /// and encoded bytes without appending them. `recordCount` overrides the count in the header (to build a
    /// malformed frame).
    public mutating func encodeFrame(
        records: [(RecordType, [UInt8])], compress: Bool = true, recordCount: Int? = nil
    ) throws(SpoolError) -> (frame: ExpectedRead.Frame, bytes: [UInt8]) {
        var payload: [UInt8] = []
        for (type, body) in records { RecordEncoding.append(type: type, body: body, to: &payload) }
        encoder.compress = compress
        let encoded = try encoder.encodedFrame(
            payload: payload, recordCount: recordCount ?? records.count, sequence: nextSequence)
        let stored = Int(Self.u32(encoded, 24))
        let frame = ExpectedRead.Frame(
            offset: bytes.count, length: encoded.count, sequence: nextSequence, recordCount: records.count,
            codec: encoded[4] == 1 ? "lz4_block" : "stored", storedLength: stored,
            uncompressedLength: Int(Self.u32(encoded, 20)), storedCRC32C: CRC32C.checksum(encoded[36..<36 + stored]),
            payloadCRC32C: CRC32C.checksum(payload), recordTypes: records.map { Int($0.0.rawValue) })
        return (frame, encoded)
    }

    /// Encodes and appends one frame; returns its expectation.
    @discardableResult
    public mutating func appendFrame(
        records: [(RecordType, [UInt8])], compress: Bool = true
    ) throws(SpoolError) -> ExpectedRead.Frame {
        let (frame, encoded) = try encodeFrame(records: records, compress: compress)
        bytes.append(contentsOf: encoded)
        frames.append(frame)
        nextSequence += 1
        return frame
    }

    /// Appends raw bytes (garbage, a damaged or partial frame) that a reader must not report as a frame.
    public mutating func appendRaw(_ raw: [UInt8]) {
        bytes.append(contentsOf: raw)
    }

    /// Reads a little-endian u32 at `offset` of `bytes`.
    static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}
