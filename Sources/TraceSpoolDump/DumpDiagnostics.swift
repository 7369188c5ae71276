/// Problems met while reading a spool for display (damage, unreadable headers, undecodable records): kept out of
/// the main output so that it stays parseable; the first `limit` messages are kept, all are counted.
package struct DumpDiagnostics: Sendable, Equatable {
    /// The messages kept, in order.
    package private(set) var messages: [String] = []
    /// How many problems were met in all.
    package private(set) var count = 0
    /// How many messages are kept at most.
    package let limit: Int

    /// Creates an empty list keeping at most `limit` messages.
    package init(limit: Int = 100) { self.limit = limit }

    /// Records one problem.
    package mutating func add(_ message: String) {
        count += 1
        if messages.count < limit { messages.append(message) }
    }

    /// Records the problem a scan event stands for, if it is one.
    mutating func note(_ event: ScanEvent) {
        switch event {
        case .segmentUnreadable(let s, let e): add("\(s.fileName): unreadable: \(e)")
        case .segmentVanished(let s): add("\(s.fileName): removed while reading (uploaded?); skipped")
        case .damage(let d, let s): add("\(s.fileName)@\(d.offset)+\(d.length): \(d.reason.code): \(d.reason)")
        case .undecodableSpan(let s, let offset, let index, let e):
            add("\(s.fileName)@\(offset): record \(index) is not a valid OTLP span: \(e)")
        case .malformedDrops(let s, let offset, let index):
            add("\(s.fileName)@\(offset): record \(index) is a malformed drop-accounting record")
        default: break
        }
    }

    /// The messages as `warning: ...` lines, plus a count of those not kept.
    package func rendered() -> String {
        var out = ""
        for m in messages { out += "warning: \(m)\n" }
        if count > messages.count { out += "warning: ... and \(count - messages.count) more problems\n" }
        return out
    }
}
