import SpoolBase

/// The file name of a segment: `<created>-<host>-<pid>-<random>.open` while written, `.seg` once sealed.
///
/// `created` is the creation time in Unix nanoseconds as 20 zero-padded decimal digits, so names sort by creation
/// time; host, pid and 8 random hex digits make names unique across processes and hosts sharing a volume. Host names
/// keep `[A-Za-z0-9.]`; every other byte becomes `_`.
public struct SegmentName: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The state a segment's file name tells.
    public enum State: String, Sendable {
        /// `.open`: being written, or abandoned by a writer that died.
        case open
        /// `.seg`: complete and immutable.
        case sealed = "seg"
    }

    /// The name without its extension.
    public var base: String
    /// The state the extension gives.
    public var state: State
    /// The creation time from the name, Unix nanoseconds.
    public var createdUnixNanos: UInt64
    /// The writer pid from the name.
    public var pid: Int32
    /// The (sanitised) host name from the name.
    public var host: String

    /// The full file name, `base.open` or `base.seg`.
    public var fileName: String { Self.fileName(base: base, state: state) }

    /// The file name of the segment `base` in `state`: `<base>.open` or `<base>.seg`.
    package static func fileName(base: String, state: State) -> String { "\(base).\(state.rawValue)" }
    /// The full file name.
    public var description: String { fileName }

    /// Orders by base name, which is by creation time first.
    public static func < (a: SegmentName, b: SegmentName) -> Bool { a.base < b.base }

    /// A new unique name in the `.open` state.
    package static func make(createdUnixNanos: UInt64, identity: WriterIdentity) -> SegmentName {
        var digits = String(createdUnixNanos)
        digits = String(repeating: "0", count: max(0, 20 - digits.count)) + digits
        let host = sanitize(identity.host)
        let randomPadded = Hex.string(UInt64(UInt32.random(in: .min ... .max)), digits: 8)
        return SegmentName(
            base: "\(digits)-\(host)-\(identity.pid)-\(randomPadded)", state: .open, createdUnixNanos: createdUnixNanos,
            pid: identity.pid, host: host)
    }

    /// This name with another state.
    package func with(state: State) -> SegmentName {
        var copy = self
        copy.state = state
        return copy
    }

    /// The hidden name the segment has while its writer creates it: `.base.tmp`.
    package var temporaryFileName: String { Self.temporaryFileName(base: base) }

    /// The hidden name the segment `base` has while its writer creates it: `.base.tmp`.
    package static func temporaryFileName(base: String) -> String { ".\(base).tmp" }

    /// The state that the extension of `fileName` (`.open` or `.seg`) tells, whether or not the rest of the name is
    /// well-formed; nil for any other extension.
    package static func state(ofFileName fileName: some StringProtocol) -> State? {
        if fileName.hasSuffix("." + State.open.rawValue) { return .open }
        if fileName.hasSuffix("." + State.sealed.rawValue) { return .sealed }
        return nil
    }

    /// `path`, a segment file's path, with its extension changed to that of `state` (`.open` or `.seg`); nil when
    /// `path` has neither.
    package static func path(_ path: String, withState state: State) -> String? {
        guard let current = Self.state(ofFileName: path) else { return nil }
        return String(path.dropLast(current.rawValue.count)) + state.rawValue
    }

    /// The base of the segment file `fileName`, the key of its companion files: a well-formed name's `base`, else
    /// the name without its last extension (a segment file renamed by hand keeps its companions' names consistent).
    package static func base(ofFileName fileName: String) -> String {
        if let name = SegmentName(fileName: fileName) { return name.base }
        guard let dot = fileName.lastIndex(of: ".") else { return fileName }
        return String(fileName[..<dot])
    }

    /// The uploader's checkpoint file of this segment (`SegmentCheckpoint`): `<base>.ack`.
    public var checkpointFileName: String { Self.checkpointFileName(base: base) }

    /// The lease file an uploader locks while it sends this segment (`SegmentLease`): `<base>.lease`.
    public var leaseFileName: String { Self.leaseFileName(base: base) }

    /// The marker `tracespool-dump salvage` leaves beside a salvaged original (`salvagedOriginalFileName`):
    /// `<base>.salvaged`, the names of the new segments, one a line.
    package var salvageMarkerFileName: String { Self.salvageMarkerFileName(base: base) }

    /// The name `tracespool-dump salvage` gives the original once its readable frames are copied into new
    /// segments: `<base>.open.salvaged` or `<base>.seg.salvaged`. Not a segment name, so every reader (uploaders, the
    /// dump tool) skips the original from the instant of that `rename` and delivers its spans from the copies only.
    package var salvagedOriginalFileName: String { fileName + Self.salvagedOriginalSuffix }

    /// The extension of a salvaged original, `.salvaged`, after the segment's own.
    package static let salvagedOriginalSuffix = ".salvaged"

    /// Parses the name of a salvaged original (`<base>.open.salvaged` or `<base>.seg.salvaged`) into the segment
    /// name it had; nil for any other file name.
    package init?(salvagedOriginalFileName fileName: String) {
        guard fileName.hasSuffix(Self.salvagedOriginalSuffix) else { return nil }
        self.init(fileName: String(fileName.dropLast(Self.salvagedOriginalSuffix.count)))
    }

    /// The name this segment gets when an uploader moves it, unreadable, into the dead-letter directory:
    /// `<base>.open.damaged` or `<base>.seg.damaged`.
    package var quarantinedFileName: String { fileName + ".damaged" }

    /// `<base>.ack` for any segment base, also of a segment file with a name of its own.
    package static func checkpointFileName(base: String) -> String { base + ".ack" }

    /// `<base>.lease` for any segment base.
    package static func leaseFileName(base: String) -> String { base + ".lease" }

    /// `<base>.salvaged` for any segment base.
    package static func salvageMarkerFileName(base: String) -> String { base + ".salvaged" }

    /// Parses a temporary name (`.base.tmp`) into the `.open` name it becomes; nil for any other file name.
    package init?(temporaryFileName: String) {
        guard temporaryFileName.hasPrefix("."), temporaryFileName.hasSuffix(".tmp") else { return nil }
        self.init(fileName: Self.fileName(base: String(temporaryFileName.dropFirst().dropLast(4)), state: .open))
    }

    /// Parses a file name; nil when it is not a segment name (other files in a spool directory are ignored).
    public init?(fileName: String) {
        guard let state = Self.state(ofFileName: fileName) else { return nil }
        let base = fileName.dropLast(state.rawValue.count + 1)
        let parts = base.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].count == 20, let created = UInt64(parts[0]),
            let pid = Int32(parts[parts.count - 2]), parts[parts.count - 1].count == 8,
            UInt32(parts[parts.count - 1], radix: 16) != nil
        else { return nil }
        self.init(
            base: String(base), state: state, createdUnixNanos: created, pid: pid,
            host: parts[1..<parts.count - 2].joined(separator: "-"))
    }

    private init(base: String, state: State, createdUnixNanos: UInt64, pid: Int32, host: String) {
        self.base = base
        self.state = state
        self.createdUnixNanos = createdUnixNanos
        self.pid = pid
        self.host = host
    }

    static func sanitize(_ host: String) -> String {
        let bytes = host.utf8.prefix(SpoolLimits.maxHostNameBytes).map { b -> UInt8 in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
                b
            default: UInt8(ascii: "_")
            }
        }
        return bytes.isEmpty ? "unknown" : String(decoding: bytes, as: UTF8.self)
    }
}
