import SpoolBase

/// Which traces are recorded. Decisions depend only on the trace id and the parent, so a trace is kept or dropped
/// whole, consistently across threads and processes.
public enum TraceSampler: Sendable, Equatable {
    /// Record everything (`always_on`).
    case alwaysOn
    /// Record nothing (`always_off`); contexts still propagate.
    case alwaysOff
    /// Record a trace when its id falls under `ratio` (0...1) (`traceidratio`). Children of a remote parent are
    /// decided by their trace id too, so every process agrees.
    case traceIDRatio(Double)
    /// Follow the parent's sampled flag; roots use `root` (`parentbased_*`).
    indirect case parentBased(root: TraceSampler)

    /// Whether a span of `traceID` with the given parent is recorded.
    @inlinable
    func shouldSample(traceID: TraceID, parent: SpoolSpanContext?) -> Bool {
        switch self {
        case .alwaysOn: return true
        case .alwaysOff: return false
        case .traceIDRatio(let ratio): return Self.ratioKeeps(traceID, ratio)
        case .parentBased(let root):
            if let parent { return parent.isSampled }
            return root.shouldSample(traceID: traceID, parent: nil)
        }
    }

    /// Whether a trace known only by its id (a score or record attached later) may have been recorded. A trace-id
    /// ratio decides from the id alone, as it decided for the trace; under a parent-based sampler a remote parent
    /// may have decided for the trace whatever the root rule says, so the answer is yes (a score is not lost).
    func mayHaveRecorded(traceID: TraceID) -> Bool {
        switch self {
        case .alwaysOn, .parentBased: return true
        case .alwaysOff: return false
        case .traceIDRatio(let ratio): return Self.ratioKeeps(traceID, ratio)
        }
    }

    /// The OTel rule: keep when the lower 8 bytes of the trace id (as a 63-bit number) are below `ratio * 2^63`.
    /// A ratio that is not a number keeps everything (as an unparsable `OTEL_TRACES_SAMPLER_ARG` does).
    @inlinable
    static func ratioKeeps(_ traceID: TraceID, _ ratio: Double) -> Bool {
        if !(ratio < 1) { return true }  // also NaN, which would trap in the conversion below
        if ratio <= 0 { return false }
        let bound = UInt64(ratio * 9_223_372_036_854_775_808.0)
        return (traceID.low >> 1) < bound
    }

    /// Parses `OTEL_TRACES_SAMPLER` and `OTEL_TRACES_SAMPLER_ARG`; nil for an unknown name.
    /// The ratio argument defaults to 1.0 when absent, empty or not a finite number, and is clamped to 0...1.
    static func parse(name: String, argument: String?) -> TraceSampler? {
        var problem: String?
        return parse(name: name, argument: argument, problem: &problem)
    }

    /// `parse(name:argument:)`, also saying what was wrong with a ratio argument (not a finite number: 1.0 is used;
    /// outside 0...1: clamped). Samplers without a ratio ignore the argument, as the OTel specification says.
    static func parse(name: String, argument: String?, problem: inout String?) -> TraceSampler? {
        func ratio() -> Double {
            guard let argument, !argument.trimmingSpaces.isEmpty else { return 1 }
            guard let value = Double(argument.trimmingSpaces), value.isFinite else {
                problem = "OTEL_TRACES_SAMPLER_ARG=\(argument) is not a ratio in 0...1; using 1.0"
                return 1
            }
            if !(0...1).contains(value) { problem = "OTEL_TRACES_SAMPLER_ARG=\(argument) is outside 0...1; clamped" }
            return min(max(value, 0), 1)
        }
        switch name.trimmingSpaces.lowercased() {
        case "always_on": return .alwaysOn
        case "always_off": return .alwaysOff
        case "traceidratio": return .traceIDRatio(ratio())
        case "parentbased_always_on": return .parentBased(root: .alwaysOn)
        case "parentbased_always_off": return .parentBased(root: .alwaysOff)
        case "parentbased_traceidratio": return .parentBased(root: .traceIDRatio(ratio()))
        default: return nil
        }
    }
}
