import SpoolBase

extension TracerConfiguration {
    /// The warning for an `OTEL_PROPAGATORS` value (a comma-separated list, case-insensitive, blanks ignored), or
    /// nil when there is nothing to say. The tracer always propagates W3C trace context (`traceparent`,
    /// `tracestate`) and W3C baggage (`baggage`): `tracecontext` and `baggage` are what it does; every other
    /// propagator (`b3`, `b3multi`, `jaeger`, `xray`, `ottrace`, ...) is ignored and named in the warning; `none` is
    /// reported too, as the tracer has no switch that turns propagation off. The tracer logs the warning once, at
    /// start, and never throws.
    static func propagatorWarning(_ value: String?) -> String? {
        guard let value else { return nil }
        let names = value.split(separator: ",").map { $0.trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
        let ignored = names.filter { $0 != "tracecontext" && $0 != "baggage" && $0 != "none" }
        var parts: [String] = []
        if !ignored.isEmpty {
            parts.append(
                "\(ignored.joined(separator: ", ")) not supported and ignored (only tracecontext and baggage are)")
        }
        if names.contains("none") {
            parts.append("none cannot turn propagation off")
        }
        guard !parts.isEmpty else { return nil }
        return "OTEL_PROPAGATORS=\(value): \(parts.joined(separator: "; ")); W3C trace context and baggage stay on"
    }
}
