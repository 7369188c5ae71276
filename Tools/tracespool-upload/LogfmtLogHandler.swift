import Logging
import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A swift-log handler writing one logfmt line per event to standard error, above the progress bar when one is shown
/// (`StatusLine`): `ts=2026-01-02T03:04:05.678Z level=info msg="segment delivered and removed" segment=... spans=8192`.
struct LogfmtLogHandler: LogHandler {
    /// Handler metadata.
    var metadata: Logger.Metadata = [:]
    /// The minimum level written.
    var logLevel: Logger.Level
    private let label: String

    /// Creates a handler for `label` writing events at `level` and above.
    init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
    }

    /// Reads or writes one metadata value.
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one event.
    func log(event: LogEvent) {
        var line = "ts=\(Self.timestamp()) level=\(event.level.rawValue) msg=\(Self.quote(event.message.description))"
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quote(merged[key]!.description))"
        }
        line += "\n"
        StatusLine.standardError.print(line)
    }

    static func quote(_ value: String) -> String {
        let plain =
            !value.isEmpty
            && value.utf8.allSatisfy { $0 > 32 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") && $0 < 127 }
        if plain { return value }
        var out = "\""
        for c in value.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = time_t(ts.tv_sec)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ v: Int32, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(ts.tv_nsec / 1_000_000), 3))Z"
    }
}
