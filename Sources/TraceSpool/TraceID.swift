import SpoolBase

/// A 16-byte W3C / OTLP trace identifier, held as two big-endian halves.
public struct TraceID: Sendable, Hashable, CustomStringConvertible {
    /// The first (most significant) 8 bytes.
    public var high: UInt64
    /// The last (least significant) 8 bytes. Trace-id-ratio sampling decides on these.
    public var low: UInt64

    /// Creates a trace id from its two halves.
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The invalid all-zero trace id.
    public static let invalid = TraceID(high: 0, low: 0)

    /// Whether this id is not all zeros.
    public var isValid: Bool { high != 0 || low != 0 }

    /// A new random, valid trace id (fast per-thread generator, not cryptographic).
    public static func random() -> TraceID {
        FastRandom.withGenerator { TraceID(random: &$0) }
    }

    /// A random, valid trace id drawn from `generator`.
    @inline(__always)
    init(random generator: inout FastRandom.Generator) {
        self.init(high: generator.next(), low: generator.next())
        if !isValid { low = 1 }
    }

    /// The 16 bytes in wire order.
    package var bytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: 16)
        out.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        return out
    }

    /// Creates a trace id from 16 bytes; nil for another length.
    package init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        var h: UInt64 = 0
        var l: UInt64 = 0
        for (i, b) in bytes.enumerated() {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
        }
        self.init(high: h, low: l)
    }

    /// Parses 32 lower- or upper-case hex digits; nil when malformed.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 32, let h = Hex.parseUInt64(utf8[0..<16]), let l = Hex.parseUInt64(utf8[16..<32]) else {
            return nil
        }
        self.init(high: h, low: l)
    }

    /// 32 lower-case hex digits.
    public var description: String { Hex.string(high) + Hex.string(low) }

    /// Calls `body` with the 16 wire bytes, without allocating.
    @inlinable
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { raw in
            raw.storeBytes(of: high.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: low.bigEndian, toByteOffset: 8, as: UInt64.self)
            return body(UnsafeRawBufferPointer(raw))
        }
    }
}

/// An 8-byte W3C / OTLP span identifier.
public struct SpanID: Sendable, Hashable, CustomStringConvertible {
    /// The id as a big-endian number.
    public var value: UInt64

    /// Creates a span id.
    public init(_ value: UInt64) { self.value = value }

    /// The invalid all-zero span id (also "no parent").
    public static let invalid = SpanID(0)

    /// Whether this id is not zero.
    public var isValid: Bool { value != 0 }

    /// A new random, valid span id (fast per-thread generator).
    public static func random() -> SpanID {
        FastRandom.withGenerator { SpanID(random: &$0) }
    }

    /// A random, valid span id drawn from `generator`.
    @inline(__always)
    init(random generator: inout FastRandom.Generator) {
        let v = generator.next()
        self.init(v == 0 ? 1 : v)
    }

    /// The 8 bytes in wire order.
    package var bytes: [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }

    /// Creates a span id from 8 bytes; nil for another length.
    package init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 8 else { return nil }
        self.init(bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
    }

    /// Parses 16 hex digits; nil when malformed.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard utf8.count == 16, let v = Hex.parseUInt64(utf8[0...]) else { return nil }
        self.init(v)
    }

    /// 16 lower-case hex digits.
    public var description: String { Hex.string(value) }
}
