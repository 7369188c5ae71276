extension Duration {
    /// This duration in whole milliseconds, rounded toward zero and clamped to `Int`'s range.
    package var wholeMilliseconds: Int {
        let (value, overflow) = wholeUnits(perSecond: 1000)
        if overflow { return self < .zero ? .min : .max }
        return Int(clamping: value)
    }

    /// This duration in whole units of which a second has `perSecond` (1,000 for milliseconds, 10⁹ for
    /// nanoseconds), rounded toward zero; `overflow` is true when the count does not fit in an `Int64` (`value` is
    /// then meaningless). `perSecond` must divide 10¹⁸.
    package func wholeUnits(perSecond: Int64) -> (value: Int64, overflow: Bool) {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: perSecond)
        let (total, overflow2) = scaled.addingReportingOverflow(attoseconds / (1_000_000_000_000_000_000 / perSecond))
        return (total, overflow || overflow2)
    }
}
