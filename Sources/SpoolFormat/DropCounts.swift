/// Why a writer lost spans. Stored as one byte in a drop-accounting record.
public enum DropReason: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// A code this version does not know (a newer writer).
    case other = 0
    /// The in-memory queue to the background writer was full: the writer fell behind.
    case queueFull = 1
    /// The spool directory reached its configured disk cap.
    case diskCap = 2
    /// Writing or syncing the segment failed (disk full, permission denied, read-only file system, ...), or the
    /// writer could not run at all.
    case ioError = 3
    /// One encoded span exceeded `SpoolLimits.maxRecordBytes`.
    case recordTooLarge = 4
    /// The span ended after the tracer was shut down.
    case afterShutdown = 5

    /// A stable lower-case name such as `queue_full`.
    public var description: String {
        switch self {
        case .other: "other"
        case .queueFull: "queue_full"
        case .diskCap: "disk_cap"
        case .ioError: "io_error"
        case .recordTooLarge: "record_too_large"
        case .afterShutdown: "after_shutdown"
        }
    }
}

/// Counts of dropped spans by reason: the body of a `.drops` record.
///
/// Encoding: a LEB128 entry count, then per entry one reason byte and a LEB128 count. Entries with a zero count are
/// not written; unknown reason bytes decode as `.other`.
public struct DropCounts: Sendable, Equatable {
    /// The number of spans dropped for each reason (absent means zero).
    public var counts: [DropReason: UInt64]

    /// Creates drop counts.
    public init(_ counts: [DropReason: UInt64] = [:]) { self.counts = counts }

    /// The sum over all reasons.
    public var total: UInt64 { counts.values.reduce(0, &+) }

    /// Whether no span was dropped.
    public var isEmpty: Bool { counts.values.allSatisfy { $0 == 0 } }

    /// Adds `other` to these counts.
    public mutating func add(_ other: DropCounts) {
        for (reason, n) in other.counts { counts[reason, default: 0] &+= n }
    }

    /// The record body.
    public func encoded() -> [UInt8] {
        let entries = DropReason.allCases.compactMap { r in counts[r].flatMap { $0 > 0 ? (r, $0) : nil } }
        var out: [UInt8] = []
        out.appendVarint(UInt64(entries.count))
        for (reason, n) in entries {
            out.append(reason.rawValue)
            out.appendVarint(n)
        }
        return out
    }

    /// Decodes a record body; returns nil when it is malformed.
    public init?(decoding body: some Collection<UInt8>) {
        let bytes = Array(body)
        var result: [DropReason: UInt64] = [:]
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            var i = 0
            guard let n = decodeVarint(raw, &i), n <= 256 else { return false }
            for _ in 0..<n {
                guard i < raw.count else { return false }
                let reason = DropReason(rawValue: raw[i]) ?? .other
                i += 1
                guard let count = decodeVarint(raw, &i) else { return false }
                result[reason, default: 0] &+= count
            }
            return i == raw.count
        }
        guard ok else { return nil }
        self.counts = result
    }
}
