/// The type byte of a record inside a frame payload.
public struct RecordType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The type byte.
    public var rawValue: UInt8
    /// Creates a record type from its byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// One OTLP `opentelemetry.proto.trace.v1.Span` message in protobuf wire format.
    public static let span = RecordType(rawValue: 1)
    /// A drop-accounting record: spans the writer lost since its previous frame, by reason (see `DropCounts`).
    public static let drops = RecordType(rawValue: 2)

    /// `span`, `drops` or `type-N`.
    public var description: String {
        switch self {
        case .span: "span"
        case .drops: "drops"
        default: "type-\(rawValue)"
        }
    }
}

/// One record of a frame payload: its type and a view of its body bytes.
public struct Record: Sendable {
    /// The record's type. Readers skip types they do not know.
    public var type: RecordType
    /// The body bytes (for `.span`, an encoded OTLP Span message).
    public var body: ArraySlice<UInt8>
}

/// Encodes records into a frame payload: each is a type byte, a LEB128 body length, then the body.
public enum RecordEncoding {
    /// The number of bytes of the type byte plus the length prefix for a body of `bodyLength` bytes.
    @inlinable
    package static func headerSize(bodyLength: Int) -> Int { 1 + varintSize(UInt64(bodyLength)) }

    /// Appends one record to `payload`.
    ///
    /// - Precondition: `body.count <= SpoolLimits.maxRecordBytes` (callers drop larger records and count them).
    @inlinable
    public static func append(type: RecordType, body: some Collection<UInt8>, to payload: inout [UInt8]) {
        payload.append(type.rawValue)
        payload.appendVarint(UInt64(body.count))
        payload.append(contentsOf: body)
    }

    /// Appends the type byte and length prefix of a record whose `bodyLength` bytes the caller appends next.
    @inlinable
    package static func appendHeader(type: RecordType, bodyLength: Int, to payload: inout [UInt8]) {
        payload.append(type.rawValue)
        payload.appendVarint(UInt64(bodyLength))
    }

    /// Splits a decompressed payload into records.
    ///
    /// - Returns: the records, or nil when the payload is malformed (a length runs past the end, a body is larger
    ///   than `SpoolLimits.maxRecordBytes`, a type byte is 0) or does not hold exactly `expectedCount` records.
    package static func split(_ payload: [UInt8], expectedCount: Int) -> [Record]? {
        var records: [Record] = []
        records.reserveCapacity(min(expectedCount, payload.count / 2 + 1))
        let ok = payload.withUnsafeBytes { raw -> Bool in
            var i = 0
            while i < raw.count {
                let type = raw[i]
                i += 1
                guard type != 0, let length = decodeVarint(raw, &i), length <= UInt64(SpoolLimits.maxRecordBytes),
                    Int(length) <= raw.count - i
                else { return false }
                records.append(Record(type: RecordType(rawValue: type), body: payload[i..<i + Int(length)]))
                i += Int(length)
                if records.count > expectedCount { return false }
            }
            return records.count == expectedCount
        }
        return ok ? records : nil
    }
}
