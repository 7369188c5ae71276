extension Duration {
    /// This duration in whole milliseconds, rounded toward zero and clamped to `Int`'s range.
    package var wholeMilliseconds: Int {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflow || overflow2 { return seconds < 0 ? .min : .max }
        return Int(clamping: total)
    }
}
