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
    /// A seal record: the frame and record counts of a segment, alone in the last frame its writer wrote when it
    /// sealed the segment (see `SealRecord`).
    public static let seal = RecordType(rawValue: 3)

    /// `span`, `drops`, `seal` or `type-N`.
    public var description: String {
        switch self {
        case .span: "span"
        case .drops: "drops"
        case .seal: "seal"
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
    /// - Returns: the records, or nil when the payload is malformed (see `parse(_:expectedCount:)`).
    package static func split(_ payload: [UInt8], expectedCount: Int) -> [Record]? {
        try? parse(payload, expectedCount: expectedCount).get()
    }

    /// Splits a decompressed payload into records and checks the bodies of the record types the format defines
    /// (`Spool/FORMAT.md` §5).
    ///
    /// - Returns: the records, or the first problem in payload order: a type byte 0, a body length that is not a
    ///   valid varint, a body larger than `SpoolLimits.maxRecordBytes` or running past the payload, a drops or seal
    ///   body that does not decode, more records than `expectedCount` (parsing stops there, so memory stays bounded
    ///   by the stated count); then a seal record sharing its frame, fewer records than `expectedCount`.
    package static func parse(_ payload: [UInt8], expectedCount: Int) -> Result<[Record], RecordProblem> {
        var records: [Record] = []
        records.reserveCapacity(min(expectedCount, payload.count / 2 + 1))
        let problem = payload.withUnsafeBytes { raw -> RecordProblem? in
            var i = 0
            while i < raw.count {
                let index = records.count
                let type = raw[i]
                i += 1
                guard type != 0 else { return .invalidType(record: index) }
                guard let length = decodeVarint(raw, &i) else { return .badBodyLength(record: index) }
                guard length <= UInt64(SpoolLimits.maxRecordBytes) else {
                    return .bodyTooLarge(record: index, bytes: length)
                }
                guard length <= UInt64(raw.count - i) else { return .bodyPastEnd(record: index, bytes: length) }
                let body = payload[i..<i + Int(length)]
                switch RecordType(rawValue: type) {
                case .drops:
                    if case .failure(let p) = DropCounts.parse(body) { return .badDrops(record: index, p) }
                case .seal:
                    guard SealRecord(decoding: body) != nil else { return .badSeal(record: index) }
                default: break
                }
                records.append(Record(type: RecordType(rawValue: type), body: body))
                i += Int(length)
                if records.count > expectedCount { return .tooManyRecords(stated: expectedCount) }
            }
            if records.count > 1, records.contains(where: { $0.type == .seal }) { return .sealNotAlone }
            guard records.count == expectedCount else {
                return .countMismatch(stated: expectedCount, found: records.count)
            }
            return nil
        }
        if let problem { return .failure(problem) }
        return .success(records)
    }
}
