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

    /// The most entries a drops record may hold (`Spool/FORMAT.md` §6).
    public static let maxEntries = 256

    /// Why a drops record body does not decode.
    public enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        /// The entry count or an entry is cut off by the end of the body, or a varint overflows 64 bits.
        case truncated
        /// The entry count is beyond `DropCounts.maxEntries`.
        case tooManyEntries(UInt64)
        /// Bytes follow the last entry.
        case trailingBytes(Int)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .truncated: "an entry is cut off or a count is not a valid varint"
            case .tooManyEntries(let n): "\(n) entries, more than the limit of \(DropCounts.maxEntries)"
            case .trailingBytes(let n): "\(n) byte\(n == 1 ? "" : "s") after the last entry"
            }
        }
    }

    /// Decodes a record body; returns nil when it is malformed (see `parse(_:)`).
    public init?(decoding body: some Collection<UInt8>) {
        guard case .success(let counts) = Self.parse(body) else { return nil }
        self = counts
    }

    /// Decodes a record body: the counts, or why the body is malformed (more than `maxEntries` entries, an entry
    /// cut off, a varint that overflows, bytes after the last entry).
    public static func parse(_ body: some Collection<UInt8>) -> Result<DropCounts, Problem> {
        let bytes = Array(body)
        var result: [DropReason: UInt64] = [:]
        let problem = bytes.withUnsafeBytes { raw -> Problem? in
            var i = 0
            guard let n = decodeVarint(raw, &i) else { return .truncated }
            guard n <= UInt64(maxEntries) else { return .tooManyEntries(n) }
            for _ in 0..<n {
                guard i < raw.count else { return .truncated }
                let reason = DropReason(rawValue: raw[i]) ?? .other
                i += 1
                guard let count = decodeVarint(raw, &i) else { return .truncated }
                result[reason, default: 0] &+= count
            }
            return i == raw.count ? nil : .trailingBytes(raw.count - i)
        }
        if let problem { return .failure(problem) }
        return .success(DropCounts(result))
    }
}
