import SpoolBase

/// The AWS X-Ray trace header (`X-Amzn-Trace-Id`, on Lambda the `Lambda-Runtime-Trace-Id` header of the Runtime API
/// and the `_X_AMZN_TRACE_ID` variable): `Root=1-<8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0|1`, read as W3C ids.
/// The X-Ray trace id `1-5759e988-bd862e3fe1be46a994272793` is the W3C trace id `5759e988bd862e3fe1be46a994272793`
/// (https://docs.aws.amazon.com/xray/latest/devguide/xray-concepts.html#xray-concepts-tracingheader).
enum XRayTraceHeader {
    /// The span context the header names, or nil unless it holds a valid `Root` and `Parent`.
    ///
    /// Lenient in form, strict in content: fields in any order, separated by `;` with spaces around them ignored,
    /// keys in any case, unknown fields (`Lineage`, `Self`) skipped, the first of repeated fields used; `Sampled`
    /// other than `1` (missing, `0`, `?`) reads as not sampled. A root that is not version 1 with 8 + 24 hex digits,
    /// a parent that is not 16 hex digits, or all-zero ids make the whole header nil. Never traps.
    static func parse(_ header: some StringProtocol) -> SpoolSpanContext? {
        var root: Substring?
        var parent: Substring?
        var sampled: Substring?
        for field in header.split(separator: ";", omittingEmptySubsequences: true) {
            guard let equals = field.firstIndex(of: "=") else { continue }
            let key = field[..<equals].trimmingSpaces.lowercased()
            let value = Substring(field[field.index(after: equals)...].trimmingSpaces)
            switch key {
            case "root" where root == nil: root = value
            case "parent" where parent == nil: parent = value
            case "sampled" where sampled == nil: sampled = value
            default: continue
            }
        }
        guard let root, let parent else { return nil }
        let r = Array(root.utf8)
        guard r.count == 35, r[0] == UInt8(ascii: "1"), r[1] == UInt8(ascii: "-"), r[10] == UInt8(ascii: "-"),
            let time = Hex.parseUInt64(r[2..<10]), let middle = Hex.parseUInt64(r[11..<19]),
            let low = Hex.parseUInt64(r[19..<35])
        else { return nil }
        let p = Array(parent.utf8)
        guard p.count == 16, let span = Hex.parseUInt64(p), span != 0 else { return nil }
        let traceID = TraceID(high: time << 32 | middle, low: low)
        guard traceID.isValid else { return nil }
        return SpoolSpanContext(
            traceID: traceID, spanID: SpanID(span), traceFlags: sampled == "1" ? 1 : 0, traceState: "", isRemote: true)
    }
}
