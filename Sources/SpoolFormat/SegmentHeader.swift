/// The header at offset 0 of every segment file (see `Spool/FORMAT.md`, "Segment header").
///
/// ```
/// offset  size  field
///  0      8     magic 89 54 53 50 4F 4F 4C 0A ("\x89TSPOOL\n")
///  8      2     format version (1)
/// 10      2     flags (bit 0: the writer ends the segment with a seal frame when it seals it)
/// 12      4     header length H, magic to CRC inclusive (60 <= H <= 1 MiB)
/// 16      8     segment id (random u64)
/// 24      8     segment creation time, Unix nanoseconds
/// 32      8     writer start time, Unix nanoseconds
/// 40      4     writer pid
/// 44      2     host name length h (<= 64)
/// 46      2     reserved (0)
/// 48      h     host name, UTF-8
/// 48+h    4     resource length r
/// ...     r     OTLP Resource message (protobuf)
/// ...     4     scope length s
/// ...     s     OTLP InstrumentationScope message (protobuf)
/// H-4     4     CRC-32C of bytes 0..<H-4
/// ```
public struct SegmentHeader: Sendable, Equatable {
    /// The segment magic, `89 54 53 50 4F 4F 4C 0A`.
    public static let magic: [UInt8] = [0x89, 0x54, 0x53, 0x50, 0x4F, 0x4F, 0x4C, 0x0A]
    /// The format version this library writes and reads.
    public static let currentVersion: UInt16 = 1
    /// The fixed part before the host name: 48 bytes.
    static let fixedSize = 48

    /// The header's flag bits (`Spool/FORMAT.md` §3).
    public struct Flags: OptionSet, Sendable, Hashable {
        /// The flag bits.
        public var rawValue: UInt16
        /// Creates flags from their bits.
        public init(rawValue: UInt16) { self.rawValue = rawValue }

        /// Bit 0: the writer appends a seal frame (`SealRecord`) when it seals the segment, so a sealed segment
        /// without one was cut. Writers of this library set it; segments of older writers have it clear.
        public static let sealRecord = Flags(rawValue: 1)
    }

    /// The format version of the segment.
    public var version: UInt16
    /// The flag bits; readers ignore bits they do not know.
    public var flags: Flags
    /// A random identifier of the segment.
    public var segmentID: UInt64
    /// When the segment was created, Unix nanoseconds.
    public var createdUnixNanos: UInt64
    /// Who wrote the segment.
    public var writer: WriterIdentity
    /// The OTLP `Resource` of every span in the segment, as an encoded protobuf message (may be empty).
    public var resource: [UInt8]
    /// The OTLP `InstrumentationScope` of every span in the segment, as an encoded protobuf message (may be empty).
    public var scope: [UInt8]

    /// Creates a header.
    ///
    /// - Parameter flags: the flag bits (default none: no seal frame is promised; `SegmentWriter` sets
    ///   `.sealRecord`).
    public init(
        segmentID: UInt64, createdUnixNanos: UInt64, writer: WriterIdentity, resource: [UInt8], scope: [UInt8],
        flags: Flags = []
    ) {
        self.version = Self.currentVersion
        self.flags = flags
        self.segmentID = segmentID
        self.createdUnixNanos = createdUnixNanos
        self.writer = writer
        self.resource = resource
        self.scope = scope
    }

    /// The encoded header.
    package func encoded() -> [UInt8] {
        let host = Array(writer.host.utf8.prefix(SpoolLimits.maxHostNameBytes))
        let length = Self.fixedSize + host.count + 4 + resource.count + 4 + scope.count + 4
        var out: [UInt8] = []
        out.reserveCapacity(length)
        out.append(contentsOf: Self.magic)
        out.appendLittleEndian(version)
        out.appendLittleEndian(flags.rawValue)
        out.appendLittleEndian(UInt32(length))
        out.appendLittleEndian(segmentID)
        out.appendLittleEndian(createdUnixNanos)
        out.appendLittleEndian(writer.startUnixNanos)
        out.appendLittleEndian(UInt32(truncatingIfNeeded: writer.pid))
        out.appendLittleEndian(UInt16(host.count))
        out.appendLittleEndian(UInt16(0))
        out.append(contentsOf: host)
        out.appendLittleEndian(UInt32(resource.count))
        out.append(contentsOf: resource)
        out.appendLittleEndian(UInt32(scope.count))
        out.append(contentsOf: scope)
        out.appendLittleEndian(CRC32C.checksum(out))
        return out
    }

    /// Why bytes are not a valid segment header.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// Fewer bytes than the header needs (an empty or truncated file).
        case truncated(have: Int, need: Int)
        /// The first 8 bytes are not the segment magic: not a spool segment.
        case badMagic
        /// A format version this library does not read.
        case unsupportedVersion(UInt16)
        /// A length field is out of range: the header length outside 60 bytes ... 1 MiB, the host name longer than 64
        /// bytes, or a host name, resource or scope running past the header's CRC.
        case badLength(LengthField, UInt32)
        /// The header CRC does not match.
        case checksumMismatch

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .truncated(let have, let need): "truncated segment header (\(have) of \(need) bytes)"
            case .badMagic: "not a spool segment (bad magic)"
            case .unsupportedVersion(let v): "unsupported format version \(v) (this reader knows version 1)"
            case .badLength(.headerLength, let n):
                "segment header length \(n) out of range (60 to \(SpoolLimits.maxSegmentHeaderBytes) bytes)"
            case .badLength(.hostNameLength, let n):
                "host name length \(n) in the segment header out of range (at most \(SpoolLimits.maxHostNameBytes) "
                    + "bytes, within the header)"
            case .badLength(let field, let n): "\(field) \(n) in the segment header runs past the header's end"
            case .checksumMismatch: "segment header CRC mismatch"
            }
        }
    }

    /// The length fields of a segment header, in the order readers check them.
    public enum LengthField: String, Sendable, Equatable, CustomStringConvertible {
        /// `H`, at offset 12.
        case headerLength = "header_length"
        /// `h`, at offset 44.
        case hostNameLength = "host_name_length"
        /// `r`, after the host name.
        case resourceLength = "resource_length"
        /// `s`, after the resource.
        case scopeLength = "scope_length"

        /// The field's name in prose, e.g. `host name length`.
        public var description: String {
            switch self {
            case .headerLength: "header length"
            case .hostNameLength: "host name length"
            case .resourceLength: "resource length"
            case .scopeLength: "scope length"
            }
        }
    }

    /// The total header length claimed by the first 16 bytes, after checking magic and version.
    static func claimedLength(_ prefix: UnsafeRawBufferPointer) -> Result<Int, Problem> {
        guard prefix.count >= 16 else { return .failure(.truncated(have: prefix.count, need: 16)) }
        guard prefix[0..<8].elementsEqual(magic) else { return .failure(.badMagic) }
        let version: UInt16 = prefix.readLittleEndian(at: 8)
        guard version == currentVersion else { return .failure(.unsupportedVersion(version)) }
        let length: UInt32 = prefix.readLittleEndian(at: 12)
        guard length >= UInt32(fixedSize + 12), length <= UInt32(SpoolLimits.maxSegmentHeaderBytes) else {
            return .failure(.badLength(.headerLength, length))
        }
        return .success(Int(length))
    }

    /// Decodes a complete header from `bytes` (exactly the claimed header length).
    static func decode(_ bytes: UnsafeRawBufferPointer) -> Result<SegmentHeader, Problem> {
        switch claimedLength(bytes) {
        case .failure(let p): return .failure(p)
        case .success(let length):
            guard bytes.count >= length else { return .failure(.truncated(have: bytes.count, need: length)) }
            let crc: UInt32 = bytes.readLittleEndian(at: length - 4)
            guard CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[0..<length - 4])) == crc else {
                return .failure(.checksumMismatch)
            }
            let end = length - 4
            let hostLength = Int(bytes.readLittleEndian(at: 44, as: UInt16.self))
            var i = fixedSize
            guard hostLength <= SpoolLimits.maxHostNameBytes, i + hostLength + 4 <= end else {
                return .failure(.badLength(.hostNameLength, UInt32(hostLength)))
            }
            let host = String(decoding: bytes[i..<i + hostLength], as: UTF8.self)
            i += hostLength
            let resourceLength = Int(bytes.readLittleEndian(at: i, as: UInt32.self))
            i += 4
            guard resourceLength <= end - i - 4 else {
                return .failure(.badLength(.resourceLength, UInt32(resourceLength)))
            }
            let resource = Array(bytes[i..<i + resourceLength])
            i += resourceLength
            let scopeLength = Int(bytes.readLittleEndian(at: i, as: UInt32.self))
            i += 4
            guard scopeLength <= end - i else { return .failure(.badLength(.scopeLength, UInt32(scopeLength))) }
            let scope = Array(bytes[i..<i + scopeLength])
            var header = SegmentHeader(
                segmentID: bytes.readLittleEndian(at: 16), createdUnixNanos: bytes.readLittleEndian(at: 24),
                writer: WriterIdentity(
                    pid: Int32(truncatingIfNeeded: bytes.readLittleEndian(at: 40, as: UInt32.self)), host: host,
                    startUnixNanos: bytes.readLittleEndian(at: 32)),
                resource: resource, scope: scope, flags: Flags(rawValue: bytes.readLittleEndian(at: 10)))
            header.version = bytes.readLittleEndian(at: 8)
            return .success(header)
        }
    }
}
