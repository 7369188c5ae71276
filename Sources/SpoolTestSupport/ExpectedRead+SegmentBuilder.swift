package import TraceSpoolTesting

extension ExpectedRead.Header {
    /// The expectation for the header of the segment `builder` assembles.
    package init(_ builder: SegmentBuilder) {
        self.init(builder.header, length: builder.headerLength)
    }
}

extension ExpectedRead.Frame {
    /// The expectation for a frame a `SegmentBuilder` appended (its codec by name, its record types by number).
    package init(_ frame: SegmentBuilder.Frame) {
        self.init(
            offset: frame.offset, length: frame.length, sequence: frame.sequence, recordCount: frame.recordCount,
            codec: Self.codecName(frame.codec), storedLength: frame.storedLength,
            uncompressedLength: frame.uncompressedLength, storedCRC32C: frame.storedCRC32C,
            uncompressedCRC32C: frame.payloadCRC32C, recordTypes: frame.recordTypes.map { Int($0.rawValue) })
    }
}
