import SpoolBase

/// What the tracer redacts before a span reaches the disk (`TracerConfiguration.redaction`). Redaction applies to the
/// string values of span, event and link attributes (string arrays element by element), the status message, the
/// captured inputs, outputs and message contents of the agent API, and the resource attributes. Replaced values say
/// so, and each one is counted in `TracerStatistics.valuesRedacted`; the first one is logged once (the rule, never
/// the value). The rules are listed in Docs/Tracer.md, "Redaction".
public struct RedactionConfiguration: Sendable, Equatable {
    /// Attribute keys whose whole value is written as `[REDACTED]`, whatever its type: exact names or globs where
    /// `*` stands for any run of characters (`*password*`, `http.request.header.authorization`); ASCII letters
    /// compare without regard to case (`TRACESPOOL_REDACT_KEYS`, comma-separated, spaces around each entry trimmed,
    /// blank entries skipped; default none).
    public var keys: [String]
    /// Whether string values are scanned for well-known credentials (OpenAI and Anthropic keys, bearer tokens, AWS
    /// access key ids, GitHub tokens, PEM private keys), each replaced inside the value by `[REDACTED:<rule>]`
    /// (`TRACESPOOL_REDACT_DEFAULTS`: `on`/`off`, also `true`/`false`, `1`/`0`, `yes`/`no`; default on). An
    /// unparsable value is reported in `TracerConfiguration.warnings` and leaves it on.
    public var credentialShapes: Bool

    /// Redaction of the `keys` given, and of the credential shapes unless `credentialShapes` is false.
    public init(keys: [String] = [], credentialShapes: Bool = true) {
        self.keys = keys
        self.credentialShapes = credentialShapes
    }

    /// Reads `TRACESPOOL_REDACT_KEYS` and `TRACESPOOL_REDACT_DEFAULTS` from `env` into `self`; what cannot be parsed
    /// is appended to `problems` and leaves the setting as it was.
    mutating func read(_ env: [String: String], problems: inout [String]) {
        if let v = env["TRACESPOOL_REDACT_KEYS"] {
            keys = v.split(separator: ",").map(\.trimmingSpaces).filter { !$0.isEmpty }
        }
        if let v = env["TRACESPOOL_REDACT_DEFAULTS"], !v.isEmpty {
            switch v.trimmingSpaces.lowercased() {
            case "on", "true", "1", "yes": credentialShapes = true
            case "off", "false", "0", "no": credentialShapes = false
            default:
                problems.append(
                    "TRACESPOOL_REDACT_DEFAULTS=\(v) is not on or off; credential shapes stay "
                        + (credentialShapes ? "redacted" : "unredacted"))
            }
        }
    }
}
