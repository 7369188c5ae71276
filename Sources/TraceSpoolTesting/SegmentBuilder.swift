import OTLPWire
@_spi(Internal) public import SpoolFormat
public import Tracing

/// Assembles a segment file of the spool format in memory, frame by frame, damages it on purpose, and writes it into
/// a spool directory: the files readers, uploaders and dump tools must handle (see `Spool/FORMAT.md`).
///
/// ```swift
/// var segment = SegmentBuilder()
/// try segment.appendFrame(spans: [RecordedSpan(operationName: "a")])
/// let second = try segment.appendFrame(
///     spans: [RecordedSpan(operationName: "b")], drops: DropCounts([.queueFull: 2]))
/// segment.flipBit(at: second.payloadOffset)  // frame 1's payload CRC fails now
/// let path = try segment.write(into: spool.path)  // a sealed `.seg` file
/// ```
///
/// The frames are encoded by the spool format's own encoder (`FrameEncoder`); `frames` says what a reader must find,
/// computed from what was written, never by running a reader.
public struct SegmentBuilder: Sendable {
    /// One frame appended by the builder, as a reader must report it.
    public struct Frame: Sendable, Equatable {
        /// The file offset of the frame header.
        public var offset: Int
        /// The frame's bytes, header included.
        public var length: Int
        /// The sequence number in the frame header.
        public var sequence: UInt64
        /// The number of records in the payload.
        public var recordCount: Int
        /// How the payload is stored.
        public var codec: FrameCodec
        /// The stored payload's length in bytes.
        public var storedLength: Int
        /// The decompressed payload's length in bytes.
        public var uncompressedLength: Int
        /// CRC-32C of the stored payload (the frame header's payload CRC).
        public var storedCRC32C: UInt32
        /// CRC-32C of the decompressed payload.
        public var payloadCRC32C: UInt32
        /// The type of each record, in order.
        public var recordTypes: [RecordType]

        /// The file offset of the stored payload (just after the 36-byte frame header).
        public var payloadOffset: Int { offset + FrameHeader.size }
        /// The file offset just past the frame.
        public var endOffset: Int { offset + length }
    }

    /// The segment header.
    public let header: SegmentHeader
    /// The encoded header's length in bytes: the offset of the first frame.
    public let headerLength: Int
    /// The segment's bytes so far.
    public private(set) var bytes: [UInt8]
    /// The frames appended so far whose bytes no damage method (`flipBit`, `zero`, `truncate`) touched: the frames a
    /// reader must report as valid, in order. Damage to the segment header (offsets below `headerLength`) leaves it
    /// unchanged, though a reader then rejects the whole segment.
    public private(set) var frames: [Frame] = []
    /// The sequence number of the next frame (set it to leave a gap, or to repeat one).
    public var nextSequence: UInt64 = 0
    /// The seal frame appended by `appendSeal(_:)`, as a reader must report it; nil when none was appended or a
    /// damage method touched it.
    public private(set) var seal: SegmentSeal?
    /// The records of the frames appended by `appendFrame` (the count a writer's seal record carries).
    public private(set) var recordsAppended: UInt64 = 0

    /// Starts a segment with `header`.
    public init(header: SegmentHeader) {
        self.header = header
        self.bytes = header.encoded()
        self.headerLength = bytes.count
    }

    /// Starts a segment with a header built from fixed values, so that the bytes are the same on every run.
    ///
    /// - Parameters:
    ///   - resource: the attributes of the OTLP Resource of every span in the segment (default `service.name` =
    ///     `tests`); encoded in key order.
    ///   - segmentID: the segment id (default 1).
    ///   - createdNanosecondsSinceEpoch: the segment's creation time (default 1.7 × 10¹⁸ ns, 2023-11-14T22:13:20Z).
    ///   - writer: the writer's pid, host and start time (default pid 1, host `test-host`, started at the creation
    ///     time).
    /// The instrumentation scope is `TraceSpoolTesting`.
    public init(
        resource: SpanAttributes = ["service.name": "tests"], segmentID: UInt64 = 1,
        createdNanosecondsSinceEpoch: UInt64 = 1_700_000_000_000_000_000,
        writer: WriterIdentity = WriterIdentity(pid: 1, host: "test-host", startUnixNanos: 1_700_000_000_000_000_000)
    ) {
        self.init(
            header: SegmentHeader(
                segmentID: segmentID, createdUnixNanos: createdNanosecondsSinceEpoch, writer: writer,
                resource: OTLPResource(attributes: RecordedSpan.otlpAttributes(resource)).serialized(),
                scope: OTLPInstrumentationScope(name: "TraceSpoolTesting").serialized()))
    }

    // MARK: Frames

    /// Encodes one frame of `records` with sequence number `nextSequence` without appending it: the bytes of a frame
    /// to append later, cut or alter by hand.
    ///
    /// - Parameters:
    ///   - records: each record's type and body.
    ///   - compress: LZ4 when it makes the payload smaller (as writers do); false stores the payload.
    ///   - recordCount: the record count written into the header, when it must differ from `records.count` (a
    ///     malformed frame).
    /// - Returns: the frame as it would be appended, and its bytes.
    /// - Throws: `SpoolError.tooLarge` when the payload exceeds the format's 16 MiB frame limit.
    public func encodeFrame(
        records: [(RecordType, [UInt8])], compress: Bool = true, recordCount: Int? = nil
    ) throws(SpoolError) -> (frame: Frame, bytes: [UInt8]) {
        var payload: [UInt8] = []
        for (type, body) in records { RecordEncoding.append(type: type, body: body, to: &payload) }
        let encoded = try FrameEncoder(compress: compress).encodedFrame(
            payload: payload, recordCount: recordCount ?? records.count, sequence: nextSequence)
        let stored = Int(Self.u32(encoded, 24))
        let frame = Frame(
            offset: bytes.count, length: encoded.count, sequence: nextSequence, recordCount: records.count,
            codec: FrameCodec(rawValue: encoded[4]) ?? .stored, storedLength: stored,
            uncompressedLength: Int(Self.u32(encoded, 20)),
            storedCRC32C: CRC32C.checksum(encoded[FrameHeader.size..<FrameHeader.size + stored]),
            payloadCRC32C: CRC32C.checksum(payload), recordTypes: records.map(\.0))
        return (frame, encoded)
    }

    /// Encodes and appends one frame of `records` (see `encodeFrame(records:compress:recordCount:)`) and advances
    /// `nextSequence`.
    ///
    /// - Returns: the frame.
    /// - Throws: `SpoolError.tooLarge` when the payload exceeds the format's 16 MiB frame limit.
    @discardableResult
    public mutating func appendFrame(
        records: [(RecordType, [UInt8])], compress: Bool = true
    ) throws(SpoolError) -> Frame {
        let (frame, encoded) = try encodeFrame(records: records, compress: compress)
        bytes.append(contentsOf: encoded)
        frames.append(frame)
        nextSequence += 1
        recordsAppended += UInt64(records.count)
        return frame
    }

    /// Appends a seal frame (`Spool/FORMAT.md` §5.1) with sequence number `nextSequence`, as a writer does when it
    /// seals a segment, and advances `nextSequence`. Readers check it only against a header with
    /// `SegmentHeader.Flags.sealRecord` (start the builder with such a header) or when they meet it.
    ///
    /// - Parameter record: the seal record; default: the one a writer writes, `nextSequence` frames holding
    ///   `recordsAppended` records. Pass another to make a seal that disagrees with the segment.
    /// - Returns: the seal frame as a reader reports it.
    @discardableResult
    public mutating func appendSeal(_ record: SealRecord? = nil) -> SegmentSeal {
        let record = record ?? SealRecord(frameCount: nextSequence, recordCount: recordsAppended)
        let frame = record.frameBytes(sequence: nextSequence)
        let sealed = SegmentSeal(offset: bytes.count, length: frame.count, sequence: nextSequence, record: record)
        bytes.append(contentsOf: frame)
        nextSequence += 1
        seal = sealed
        return sealed
    }

    /// Appends one frame holding a drop record when `drops` is not empty, then one span record per span
    /// (`RecordedSpan.encoded()`), and advances `nextSequence`.
    ///
    /// - Returns: the frame.
    /// - Throws: `SpoolError.tooLarge` when the payload exceeds the format's 16 MiB frame limit.
    @discardableResult
    public mutating func appendFrame(
        spans: [RecordedSpan], drops: DropCounts = DropCounts(), compress: Bool = true
    ) throws(SpoolError) -> Frame {
        var records: [(RecordType, [UInt8])] = drops.isEmpty ? [] : [(.drops, drops.encoded())]
        for span in spans { records.append((.span, span.encoded())) }
        return try appendFrame(records: records, compress: compress)
    }

    /// Appends bytes as they are: garbage, a partial frame, a frame made by `encodeFrame`. They are not listed in
    /// `frames`, and `nextSequence` does not change.
    public mutating func appendRaw(_ raw: some Collection<UInt8>) {
        bytes.append(contentsOf: raw)
    }

    // MARK: Damage

    /// Flips bit `bit` (0 = least significant … 7) of the byte at file offset `offset`, and removes the frame
    /// holding that byte from `frames`.
    ///
    /// To damage frame `n`'s payload: `flipBit(at: frames[n].payloadOffset)`; its header: `flipBit(at:
    /// frames[n].offset + 16)` (a byte of the record count).
    /// - Precondition: `0 <= offset < bytes.count` and `0 <= bit <= 7`.
    public mutating func flipBit(at offset: Int, bit: Int = 0) {
        precondition(bytes.indices.contains(offset), "offset \(offset) outside the \(bytes.count) bytes")
        precondition((0...7).contains(bit), "bit \(bit) is not 0...7")
        bytes[offset] ^= 1 << UInt8(bit)
        frames.removeAll { $0.offset <= offset && offset < $0.endOffset }
        if let s = seal, s.offset <= offset, offset < s.endOffset { seal = nil }
    }

    /// Sets the bytes at file offsets `range` to zero (as a file system may after a crash), and removes the frames
    /// overlapping `range` from `frames`.
    ///
    /// - Precondition: `range` lies within `bytes`.
    public mutating func zero(_ range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "\(range) outside \(bytes.count) bytes")
        for i in range { bytes[i] = 0 }
        frames.removeAll { !range.isEmpty && $0.offset < range.upperBound && range.lowerBound < $0.endOffset }
        if let s = seal, !range.isEmpty, s.offset < range.upperBound, range.lowerBound < s.endOffset { seal = nil }
    }

    /// Cuts the segment to its first `length` bytes, and removes the frames that no longer fit from `frames`. Cut
    /// inside a frame, an `.open` segment ends in a torn tail and a sealed one in a truncated frame:
    /// `truncate(toLength: frames[n].offset + 40)` keeps 40 bytes of frame `n`.
    ///
    /// - Precondition: `0 <= length <= bytes.count`.
    public mutating func truncate(toLength length: Int) {
        precondition((0...bytes.count).contains(length), "length \(length) outside 0...\(bytes.count)")
        bytes.removeSubrange(length...)
        frames.removeAll { $0.endOffset > length }
        if let s = seal, s.endOffset > length { seal = nil }
    }

    /// Reads a little-endian u32 at `offset` of `bytes`.
    private static func u32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[offset + $1]) << (8 * UInt32($1)) }
    }
}
