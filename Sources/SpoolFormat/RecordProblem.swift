/// Why the records of a frame payload are malformed (`Damage.Reason.malformedRecords`, `Spool/FORMAT.md` §5).
/// Record indexes count from 0 in payload order.
public enum RecordProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A record's type byte is 0.
    case invalidType(record: Int)
    /// A record's body length is cut off by the end of the payload or overflows 64 bits.
    case badBodyLength(record: Int)
    /// A record's body is larger than the 4 MiB record limit.
    case bodyTooLarge(record: Int, bytes: UInt64)
    /// A record's body runs past the end of the payload.
    case bodyPastEnd(record: Int, bytes: UInt64)
    /// A drops record's body does not decode.
    case badDrops(record: Int, DropCounts.Problem)
    /// A seal record's body is not exactly three varints.
    case badSeal(record: Int)
    /// A seal record shares its frame with other records.
    case sealNotAlone
    /// The payload holds more records than the frame header states (parsing stops at the first one too many).
    case tooManyRecords(stated: Int)
    /// The payload holds fewer records than the frame header states.
    case countMismatch(stated: Int, found: Int)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .invalidType(let r): "record \(r) has type 0"
        case .badBodyLength(let r): "record \(r) has an invalid body length (cut off or beyond 64 bits)"
        case .bodyTooLarge(let r, let n):
            "record \(r) claims a \(n)-byte body, beyond the limit of \(SpoolLimits.maxRecordBytes) bytes"
        case .bodyPastEnd(let r, let n): "record \(r) claims a \(n)-byte body that runs past the end of the payload"
        case .badDrops(let r, let p): "drops record \(r): \(p)"
        case .badSeal(let r): "seal record \(r) is not exactly three varints"
        case .sealNotAlone: "a seal record shares its frame with other records"
        case .tooManyRecords(let stated):
            "the frame header says \(stated) record\(stated == 1 ? "" : "s"), the payload holds more"
        case .countMismatch(let stated, let found):
            "the frame header says \(stated) record\(stated == 1 ? "" : "s"), the payload holds \(found)"
        }
    }
}
