/// Human-readable byte counts, durations and ratios for the dump tool's tables.
package enum SizeFormat {
    /// `512 B`, `12.0 KiB`, `3.4 MiB`, `1.0 GiB`.
    package static func bytes(_ n: Int) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(n) / 1024
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return fixed(value, 1) + " " + units[unit]
    }

    /// A duration in nanoseconds: `0s`, `850ns`, `12us`, `3.4ms`, `1.250s`, `2m03s`, `1h02m`.
    package static func duration(nanos: UInt64) -> String {
        switch nanos {
        case 0: return "0s"
        case ..<1_000: return "\(nanos)ns"
        case ..<1_000_000: return "\(nanos / 1_000)us"
        case ..<1_000_000_000:
            return fixed(Double(nanos) / 1e6, nanos < 10_000_000 ? 2 : (nanos < 100_000_000 ? 1 : 0)) + "ms"
        case ..<60_000_000_000: return fixed(Double(nanos) / 1e9, 3) + "s"
        case ..<3_600_000_000_000:
            let s = nanos / 1_000_000_000
            return "\(s / 60)m" + two(Int(s % 60)) + "s"
        default:
            let m = nanos / 60_000_000_000
            return "\(m / 60)h" + two(Int(m % 60)) + "m"
        }
    }

    /// `raw / stored` as `2.35x`, or `-` when nothing is stored.
    package static func ratio(raw: Int, stored: Int) -> String {
        stored > 0 ? fixed(Double(raw) / Double(stored), 2) + "x" : "-"
    }

    /// `value` with exactly `digits` decimals (rounded half up), without Foundation.
    package static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "-" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9e15 else { return String(value) }
        let n = UInt64(scaled)
        let whole = n / UInt64(scale)
        var text = (value < 0 && n > 0 ? "-" : "") + String(whole)
        if digits > 0 {
            let frac = String(n % UInt64(scale))
            text += "." + String(repeating: "0", count: digits - frac.count) + frac
        }
        return text
    }

    private static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    /// `text` padded with spaces on the right to `width` characters (left as is when longer).
    static func padRight(_ text: String, _ width: Int) -> String {
        let n = text.count
        return n >= width ? text : text + String(repeating: " ", count: width - n)
    }

    /// `text` padded with spaces on the left to `width` characters (left as is when longer).
    static func padLeft(_ text: String, _ width: Int) -> String {
        let n = text.count
        return n >= width ? text : String(repeating: " ", count: width - n) + text
    }
}
