/// A bounds-checked protobuf wire-format reader over borrowed memory.
///
/// Every read validates against the end of the current message, so no input can make it
/// read out of bounds, and no length prefix is trusted before it has been checked against
/// the remaining input. Nested messages are limited to ``maxDepth`` levels.
package struct ProtobufReader {
    /// Maximum nesting depth of embedded messages and groups.
    package static let maxDepth = 32

    /// A decoded field tag.
    package struct Tag {
        package var field: Int
        package var wireType: WireType
        package var offset: Int
    }

    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int
    let end: Int
    let depth: Int

    /// Creates a reader over the whole of `buffer`, at depth 0.
    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
        self.offset = 0
        self.end = buffer.count
        self.depth = 0
    }

    private init(buffer: UnsafeRawBufferPointer, offset: Int, end: Int, depth: Int) {
        self.buffer = buffer
        self.offset = offset
        self.end = end
        self.depth = depth
    }

    /// Whether the current message has been fully consumed.
    var isAtEnd: Bool { offset >= end }

    private func error(_ reason: OTLPDecodingError.Reason, at offset: Int? = nil) -> OTLPDecodingError {
        OTLPDecodingError(offset: offset ?? self.offset, reason: reason)
    }

    /// Reads a base-128 varint of at most 10 bytes.
    mutating func readVarint() throws(OTLPDecodingError) -> UInt64 {
        let start = offset
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw error(.truncated, at: start) }
            let byte = buffer[offset]
            offset += 1
            if shift == 63 && byte > 1 { throw error(.malformedVarint, at: start) }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    /// Reads a field tag, validating the field number and wire type.
    mutating func readTag() throws(OTLPDecodingError) -> Tag {
        let start = offset
        let key = try readVarint()
        let field = key >> 3
        guard field >= 1, field <= 536_870_911 else {
            throw error(.invalidFieldNumber(field), at: start)
        }
        guard let wireType = WireType(rawValue: UInt8(key & 7)) else {
            throw error(.invalidWireType(UInt8(key & 7)), at: start)
        }
        return Tag(field: Int(field), wireType: wireType, offset: start)
    }

    /// Reads four little-endian bytes.
    mutating func readFixed32() throws(OTLPDecodingError) -> UInt32 {
        guard end - offset >= 4 else { throw error(.truncated) }
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(buffer[offset + i]) << (8 * UInt32(i)) }
        offset += 4
        return v
    }

    /// Reads eight little-endian bytes.
    mutating func readFixed64() throws(OTLPDecodingError) -> UInt64 {
        guard end - offset >= 8 else { throw error(.truncated) }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(buffer[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    /// Reads a length prefix and returns the validated payload range, advancing past it.
    mutating func readLengthDelimitedRange() throws(OTLPDecodingError) -> Range<Int> {
        let start = offset
        let length = try readVarint()
        let available = end - offset
        guard length <= UInt64(available) else {
            throw error(.lengthExceedsInput(claimed: length, available: available), at: start)
        }
        let range = offset..<(offset + Int(length))
        offset = range.upperBound
        return range
    }

    /// Reads a length-delimited payload as a byte array.
    mutating func readBytes() throws(OTLPDecodingError) -> [UInt8] {
        let range = try readLengthDelimitedRange()
        return Array(UnsafeRawBufferPointer(rebasing: buffer[range]))
    }

    /// Reads a length-delimited payload as a string. Invalid UTF-8 is repaired with U+FFFD.
    mutating func readString() throws(OTLPDecodingError) -> String {
        let range = try readLengthDelimitedRange()
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[range]), as: UTF8.self)
    }

    /// Reads a length-delimited payload and returns a reader for it as an embedded message,
    /// one nesting level deeper. Throws `.nestingTooDeep` beyond ``maxDepth``.
    mutating func readMessage() throws(OTLPDecodingError) -> ProtobufReader {
        guard depth < Self.maxDepth else { throw error(.nestingTooDeep(limit: Self.maxDepth)) }
        let range = try readLengthDelimitedRange()
        return ProtobufReader(buffer: buffer, offset: range.lowerBound, end: range.upperBound, depth: depth + 1)
    }

    /// Skips the value of a field whose tag has just been read.
    mutating func skip(_ tag: Tag) throws(OTLPDecodingError) {
        try skip(wireType: tag.wireType, field: tag.field, tagOffset: tag.offset, depth: depth)
    }

    private mutating func skip(wireType: WireType, field: Int, tagOffset: Int, depth: Int) throws(OTLPDecodingError) {
        switch wireType {
        case .varint:
            _ = try readVarint()
        case .fixed64:
            guard end - offset >= 8 else { throw error(.truncated) }
            offset += 8
        case .fixed32:
            guard end - offset >= 4 else { throw error(.truncated) }
            offset += 4
        case .lengthDelimited:
            _ = try readLengthDelimitedRange()
        case .startGroup:
            guard depth < Self.maxDepth else { throw error(.nestingTooDeep(limit: Self.maxDepth), at: tagOffset) }
            while true {
                guard offset < end else { throw error(.truncated) }
                let inner = try readTag()
                if inner.wireType == .endGroup {
                    guard inner.field == field else { throw error(.unexpectedEndGroup, at: inner.offset) }
                    return
                }
                try skip(wireType: inner.wireType, field: inner.field, tagOffset: inner.offset, depth: depth + 1)
            }
        case .endGroup:
            throw error(.unexpectedEndGroup, at: tagOffset)
        }
    }
}

/// Runs `body` with a reader over the contiguous bytes of `bytes`, copying them into a
/// temporary array only when the collection has no contiguous storage.
package func withProtobufReader<C: Collection<UInt8>, T>(
    _ bytes: C,
    _ body: (inout ProtobufReader) throws(OTLPDecodingError) -> T
) throws(OTLPDecodingError) -> T {
    func run(_ raw: UnsafeRawBufferPointer) -> Result<T, OTLPDecodingError> {
        var reader = ProtobufReader(raw)
        return Result { () throws(OTLPDecodingError) -> T in try body(&reader) }
    }
    if let result = bytes.withContiguousStorageIfAvailable({ run(UnsafeRawBufferPointer($0)) }) {
        return try result.get()
    }
    let copy = Array(bytes)
    return try copy.withUnsafeBytes { run($0) }.get()
}
