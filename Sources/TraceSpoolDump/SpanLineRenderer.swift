package import OTLPWire
import SpoolBase

/// Renders one span as one line of text (the `spans` command), or as one OTLP/JSON line (`spans --json`).
///
/// Line layout: start time (RFC 3339 UTC), duration, trace id, span id, parent span id (`-` for a root), kind,
/// status, name, then key attributes as `key=value` (`type`, `model`, `tokens`, `cost`, `tool`, `session`, `user`,
/// `error`).
package struct SpanLineRenderer: Sendable {
    /// Creates a renderer.
    package init() {}

    /// The text line for `span`, without a trailing newline.
    package func line(_ span: OTLPSpan, facts: SpanFacts) -> String {
        var parts: [String] = []
        parts.append(TimeFormat.rfc3339(unixNanos: span.startTimeUnixNano))
        parts.append(SizeFormat.padLeft(SizeFormat.duration(nanos: Self.duration(span)), 8))
        parts.append(SizeFormat.padRight(Hex.string(of: span.traceID.prefix(16)), 32))
        parts.append(SizeFormat.padRight(Hex.string(of: span.spanID.prefix(8)), 16))
        parts.append(
            SizeFormat.padRight(
                span.parentSpanID.isEmpty ? "-" : Hex.string(of: span.parentSpanID.prefix(8)), 16))
        parts.append(SizeFormat.padRight(Self.kindName(span.kind), 8))
        parts.append(SizeFormat.padRight(Self.statusName(span.status.code), 5))
        parts.append(TerminalText.token(span.name, maxCharacters: 120))
        parts.append(contentsOf: Self.keyAttributes(facts))
        return parts.joined(separator: " ")
    }

    /// The OTLP/JSON object of `span` (hex ids, 64-bit integers as strings), without a trailing newline.
    package func json(_ span: OTLPSpan) -> String { OTLPJSON.encode(span) }

    /// `key=value` tokens of the attributes worth a glance.
    static func keyAttributes(_ facts: SpanFacts) -> [String] {
        var parts: [String] = []
        if let t = facts.spanType { parts.append("type=" + TerminalText.token(t)) }
        if let m = facts.model { parts.append("model=" + TerminalText.token(m)) }
        if let t = facts.tokenSummary { parts.append("tokens=" + t.split(separator: " ")[0]) }
        if let c = facts.costUSD { parts.append("cost=$" + SizeFormat.fixed(c, 4)) }
        if let t = facts.toolName { parts.append("tool=" + TerminalText.token(t)) }
        if let s = facts.sessionID { parts.append("session=" + TerminalText.token(s)) }
        if let u = facts.userID { parts.append("user=" + TerminalText.token(u)) }
        if facts.isError, let e = facts.errorMessage { parts.append("error=" + TerminalText.token(e)) }
        return parts
    }

    /// The span's duration in nanoseconds (0 when the end precedes the start).
    static func duration(_ span: OTLPSpan) -> UInt64 {
        span.endTimeUnixNano > span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0
    }

    /// `internal`, `server`, `client`, `producer`, `consumer`, `unspec` or `kind-N`.
    static func kindName(_ kind: OTLPSpanKind) -> String {
        switch kind {
        case .unspecified: "unspec"
        case .internal: "internal"
        case .server: "server"
        case .client: "client"
        case .producer: "producer"
        case .consumer: "consumer"
        default: "kind-\(kind.rawValue)"
        }
    }

    /// `OK`, `ERROR`, `-` (unset) or `S-N`.
    static func statusName(_ code: OTLPStatusCode) -> String {
        switch code {
        case .unset: "-"
        case .ok: "OK"
        case .error: "ERROR"
        default: "S-\(code.rawValue)"
        }
    }
}
