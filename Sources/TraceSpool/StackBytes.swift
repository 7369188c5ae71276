import OTLPWire

/// A cursor that assembles a short run of protobuf bytes in caller-provided scratch memory (on the stack), so that it
/// reaches the `ProtobufWriter` with one copy instead of one bounds-checked array append per byte group.
///
/// Invariant: `0 <= count <= capacity`, and the `capacity` bytes from `base` belong to the caller for the cursor's
/// lifetime. The writes are not checked in release builds: before writing, every caller proves that what it writes
/// fits (each states its bound next to the call; `SpanRecordEncoder.Layout` derives them), and every write asserts
/// it in debug builds (`assert` compiles out of release builds, so the hot path pays nothing for it). Because `count`
/// never exceeds `capacity` (at most a few kilobytes), it cannot overflow, and advancing it uses wrapping arithmetic.
struct StackBytes {
    /// The first byte of the scratch memory.
    let base: UnsafeMutableRawPointer
    /// The bytes of scratch memory from `base` (read only by the debug assertions).
    let capacity: Int
    /// The bytes written so far, from `base`.
    private(set) var count = 0

    /// A cursor at the start of the `capacity` bytes at `base`.
    @inline(__always)
    init(_ base: UnsafeMutableRawPointer, capacity: Int) {
        assert(capacity >= 0, "negative scratch capacity \(capacity)")
        self.base = base
        self.capacity = capacity
    }

    /// The bytes left: `capacity - count`.
    var remaining: Int { capacity &- count }

    /// Debug check that `n` more bytes fit (compiled out of release builds).
    @inline(__always)
    private func assertRoom(_ n: Int) {
        assert(n >= 0 && n <= capacity &- count, "StackBytes overflow: \(count) + \(n) > \(capacity) bytes")
    }

    @inline(__always)
    mutating func byte(_ b: UInt8) {
        assertRoom(1)
        base.storeBytes(of: b, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    /// A base-128 varint: 1 to 10 bytes (`ProtobufWriter.varintSize`).
    @inline(__always)
    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(truncatingIfNeeded: v))
    }

    /// A field tag: one byte for fields 1...15, two for 16...2047. With a constant field (an `OTLPField` number)
    /// and wire type it folds into one or two constant byte stores.
    @inline(__always)
    mutating func tag(_ field: Int, _ wireType: WireType) {
        assert(field >= 1 && field <= 2047, "field \(field) outside the two-byte tags this cursor writes")
        varint(UInt64(truncatingIfNeeded: field) << 3 | UInt64(wireType.rawValue))
    }

    @inline(__always)
    mutating func fixed64(_ v: UInt64) {
        assertRoom(8)
        base.storeBytes(of: v.littleEndian, toByteOffset: count, as: UInt64.self)
        count &+= 8
    }

    @inline(__always)
    mutating func fixed32(_ v: UInt32) {
        assertRoom(4)
        base.storeBytes(of: v.littleEndian, toByteOffset: count, as: UInt32.self)
        count &+= 4
    }

    @inline(__always)
    mutating func fixed64BigEndian(_ v: UInt64) {
        assertRoom(8)
        base.storeBytes(of: v.bigEndian, toByteOffset: count, as: UInt64.self)
        count &+= 8
    }

    /// `n` zero bytes (room filled in later).
    @inline(__always)
    mutating func zeros(_ n: Int) {
        assertRoom(n)
        (base + count).initializeMemory(as: UInt8.self, repeating: 0, count: n)
        count &+= n
    }

    @inline(__always)
    mutating func raw(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        assertRoom(bytes.count)
        (base + count).copyMemory(from: source, byteCount: bytes.count)
        count &+= bytes.count
    }

    /// The assembled bytes.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }
}
