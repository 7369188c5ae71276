/// An append-only protobuf wire-format encoder backed by a single `[UInt8]`.
///
/// All appenders write directly into ``bytes``; none of them allocates
/// intermediate buffers. Reuse one writer (calling ``reset()``) to avoid
/// reallocating storage for every message. Appenders never fail.
///
/// Public, unlike the rest of this internal module (no product exports it), because the tracer's span encoder
/// calls it on the recording thread: with this toolchain's release builds, `@inlinable package` declarations are
/// not inlined into other modules of the package, and `package` access here costs 825 instructions per typical
/// span (`Tools/tracer-quickbench/cg.sh typical`: 4,344 → 5,168). `WireType` is public for the same reason.
public struct ProtobufWriter: Sendable {
    /// The bytes encoded so far.
    public var bytes: [UInt8]

    /// Creates an empty writer whose storage can hold `capacity` bytes without reallocating.
    /// - Parameter capacity: Initial capacity in bytes (clamped to at least 0).
    @inlinable
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(Swift.max(0, capacity))
    }

    /// Removes all encoded bytes while keeping the allocated capacity.
    @inlinable
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
    }

    /// Number of bytes encoded so far.
    @inlinable
    public var count: Int { bytes.count }

    // MARK: - Sizes

    /// The number of bytes (1...10) the base-128 varint encoding of `value` occupies.
    @inlinable
    public static func varintSize(_ value: UInt64) -> Int {
        let bits = 64 - value.leadingZeroBitCount
        return bits == 0 ? 1 : (bits + 6) / 7
    }

    /// The number of bytes a tag for `field` occupies (any wire type).
    /// - Parameter field: Field number, 1...536_870_911.
    @inlinable
    public static func tagSize(field: Int) -> Int {
        varintSize(UInt64(truncatingIfNeeded: field) << 3)
    }

    /// The number of bytes a length-delimited field with a payload of `length` bytes
    /// occupies: tag + varint length + payload.
    @inlinable
    public static func lengthDelimitedFieldSize(field: Int, length: Int) -> Int {
        tagSize(field: field) + varintSize(UInt64(truncatingIfNeeded: length)) + length
    }

    // MARK: - Scalars

    /// Appends `value` as a base-128 varint (1 to 10 bytes).
    ///
    /// Multi-byte varints are assembled in registers and appended with a single copy.
    @inlinable
    public mutating func appendVarint(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            return
        }
        var scratch: (UInt64, UInt16) = (0, 0)
        let count = withUnsafeMutableBytes(of: &scratch) { raw -> Int in
            var v = value
            var i = 0
            while v >= 0x80 {
                raw[i] = UInt8(truncatingIfNeeded: v) | 0x80
                v &>>= 7
                i += 1
            }
            raw[i] = UInt8(truncatingIfNeeded: v)
            return i + 1
        }
        withUnsafeBytes(of: &scratch) { raw in
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<count]))
        }
    }

    /// Appends a signed 64-bit value as a (non-zigzag) varint; negative values take 10 bytes,
    /// as protobuf `int64`/`int32`/enum fields require.
    @inlinable
    public mutating func appendVarint(_ value: Int64) {
        appendVarint(UInt64(bitPattern: value))
    }

    /// Appends a field tag (`field << 3 | wireType`).
    /// - Parameters:
    ///   - field: Field number, 1...536_870_911. Values outside that range produce an invalid message.
    ///   - wireType: The wire type of the value that follows.
    @inlinable
    public mutating func appendTag(field: Int, wireType: WireType) {
        appendVarint(UInt64(truncatingIfNeeded: field) << 3 | UInt64(wireType.rawValue))
    }

    /// Appends four little-endian bytes.
    @inlinable
    public mutating func appendFixed32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends eight little-endian bytes.
    @inlinable
    public mutating func appendFixed64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// Appends an IEEE-754 double as eight little-endian bytes.
    @inlinable
    public mutating func appendDouble(_ value: Double) {
        appendFixed64(value.bitPattern)
    }

    /// Appends raw bytes with no tag or length prefix.
    @inlinable
    public mutating func appendRaw(_ buffer: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: buffer)
    }

    /// Appends raw bytes with no tag or length prefix.
    @inlinable
    public mutating func appendRaw(_ buffer: [UInt8]) {
        bytes.append(contentsOf: buffer)
    }

    /// Appends raw bytes with no tag or length prefix.
    @inlinable
    public mutating func appendRaw(_ buffer: ArraySlice<UInt8>) {
        bytes.append(contentsOf: buffer)
    }

    // MARK: - Fields

    /// Appends a varint field (tag + varint), even when `value` is zero.
    @inlinable
    public mutating func appendVarintField(field: Int, _ value: UInt64) {
        appendTag(field: field, wireType: .varint)
        appendVarint(value)
    }

    /// Appends an `int32`/enum varint field, even when `value` is zero. Negative values are
    /// sign-extended to 64 bits and take 10 bytes, as protobuf requires.
    @inlinable
    public mutating func appendInt32Field(field: Int, _ value: Int32) {
        appendTag(field: field, wireType: .varint)
        appendVarint(UInt64(bitPattern: Int64(value)))
    }

    /// Appends a fixed32 field (tag + 4 bytes), even when `value` is zero.
    @inlinable
    public mutating func appendFixed32Field(field: Int, _ value: UInt32) {
        appendTag(field: field, wireType: .fixed32)
        appendFixed32(value)
    }

    /// Appends a fixed64 field (tag + 8 bytes), even when `value` is zero.
    @inlinable
    public mutating func appendFixed64Field(field: Int, _ value: UInt64) {
        appendTag(field: field, wireType: .fixed64)
        appendFixed64(value)
    }

    /// Appends a double field (tag + 8 bytes), even when `value` is zero.
    @inlinable
    public mutating func appendDoubleField(field: Int, _ value: Double) {
        appendTag(field: field, wireType: .fixed64)
        appendDouble(value)
    }

    /// Appends a length-delimited field (tag + varint byte count + bytes).
    @inlinable
    public mutating func appendLengthDelimited(field: Int, bytes buffer: UnsafeRawBufferPointer) {
        appendTag(field: field, wireType: .lengthDelimited)
        appendVarint(UInt64(buffer.count))
        bytes.append(contentsOf: buffer)
    }

    /// Appends a length-delimited field (tag + varint byte count + bytes).
    @inlinable
    public mutating func appendLengthDelimited(field: Int, bytes buffer: [UInt8]) {
        appendTag(field: field, wireType: .lengthDelimited)
        appendVarint(UInt64(buffer.count))
        bytes.append(contentsOf: buffer)
    }

    /// Appends a length-delimited field (tag + varint byte count + bytes).
    @inlinable
    public mutating func appendLengthDelimited(field: Int, bytes buffer: ArraySlice<UInt8>) {
        appendTag(field: field, wireType: .lengthDelimited)
        appendVarint(UInt64(buffer.count))
        bytes.append(contentsOf: buffer)
    }

    /// Appends a string field: tag + varint UTF-8 byte count + UTF-8 bytes.
    ///
    /// Native Swift strings are copied straight from their contiguous UTF-8 storage.
    @inlinable
    public mutating func appendString(field: Int, _ string: String) {
        appendTag(field: field, wireType: .lengthDelimited)
        let utf8 = string.utf8
        appendVarint(UInt64(utf8.count))
        let copied: Void? = utf8.withContiguousStorageIfAvailable { bytes.append(contentsOf: $0) }
        if copied == nil { bytes.append(contentsOf: utf8) }
    }

    /// Appends an embedded-message field. `body` writes the message contents into this same
    /// writer; the length prefix is then filled in place.
    ///
    /// One byte is reserved for the length; when the body turns out to be 128 bytes or longer,
    /// the body is shifted within ``bytes`` to make room for the longer varint. No second
    /// buffer is used.
    @inlinable
    public mutating func appendMessage(field: Int, _ body: (inout ProtobufWriter) -> Void) {
        appendTag(field: field, wireType: .lengthDelimited)
        let lengthIndex = bytes.count
        bytes.append(0)
        body(&self)
        let length = bytes.count - lengthIndex - 1
        if length < 0x80 {
            bytes[lengthIndex] = UInt8(truncatingIfNeeded: length)
            return
        }
        let size = Self.varintSize(UInt64(length))
        bytes.insert(contentsOf: repeatElement(0, count: size - 1), at: lengthIndex + 1)
        bytes.withUnsafeMutableBufferPointer { buffer in
            var v = UInt64(length)
            var i = lengthIndex
            while v >= 0x80 {
                buffer[i] = UInt8(truncatingIfNeeded: v) | 0x80
                v &>>= 7
                i += 1
            }
            buffer[i] = UInt8(truncatingIfNeeded: v)
        }
    }
}
