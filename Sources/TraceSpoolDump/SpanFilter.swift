package import OTLPWire
import SpoolBase

/// Which spans `spans`, `tree` and `--follow` show. Every set criterion must match.
package struct SpanFilter: Sendable, Equatable {
    /// A trace id or a prefix of one, lowercase hex (`--trace`).
    package var tracePrefix: String?
    /// `session.id` (or `gen_ai.conversation.id`) equals this (`--session`).
    package var session: String?
    /// `user.id` equals this (`--user`).
    package var user: String?
    /// The span name contains this, case-sensitively (`--name`).
    package var nameContains: String?
    /// The span started at or after this time, Unix nanoseconds (`--since`).
    package var sinceUnixNanos: UInt64?
    /// The span started before this time, Unix nanoseconds (`--until`).
    package var untilUnixNanos: UInt64?
    /// Only failed spans: status ERROR or `tracespool.level` ERROR (`--errors`).
    package var errorsOnly: Bool

    /// Creates a filter; the defaults match every span.
    ///
    /// - Throws: `DumpError.invalidTraceID` when `trace` is not 1 to 32 hexadecimal digits.
    package init(
        trace: String? = nil, session: String? = nil, user: String? = nil, nameContains: String? = nil,
        sinceUnixNanos: UInt64? = nil, untilUnixNanos: UInt64? = nil, errorsOnly: Bool = false
    ) throws(DumpError) {
        if let trace {
            let lower = trace.lowercased()
            guard !lower.isEmpty, lower.count <= 32,
                lower.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
            else {
                throw .invalidTraceID(trace)
            }
            tracePrefix = lower
        }
        self.session = session
        self.user = user
        self.nameContains = nameContains
        self.sinceUnixNanos = sinceUnixNanos
        self.untilUnixNanos = untilUnixNanos
        self.errorsOnly = errorsOnly
    }

    /// The filter that matches every span.
    package static let all = SpanFilter(unchecked: ())

    private init(unchecked: Void) {
        errorsOnly = false
    }

    /// Whether no criterion is set.
    package var matchesEverything: Bool {
        tracePrefix == nil && session == nil && user == nil && nameContains == nil && sinceUnixNanos == nil
            && untilUnixNanos == nil && !errorsOnly
    }

    /// Whether `span` (with its `facts`) passes.
    package func matches(_ span: OTLPSpan, _ facts: SpanFacts) -> Bool {
        if let tracePrefix, !Hex.string(of: span.traceID).hasPrefix(tracePrefix) { return false }
        if let session, facts.sessionID != session { return false }
        if let user, facts.userID != user { return false }
        if let nameContains, !span.name.contains(nameContains) { return false }
        if let sinceUnixNanos, span.startTimeUnixNano < sinceUnixNanos { return false }
        if let untilUnixNanos, span.startTimeUnixNano >= untilUnixNanos { return false }
        if errorsOnly, !facts.isError { return false }
        return true
    }
}
