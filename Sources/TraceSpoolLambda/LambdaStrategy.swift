/// When the extension ships what the function spooled (`TRACESPOOL_LAMBDA_STRATEGY`).
package enum LambdaStrategy: String, Sendable, Equatable, CaseIterable {
    /// After the function is done with each invocation, drain within the hold budget, then call `event/next`: spans
    /// arrive right after their invocation; the hold is billed (post-runtime duration).
    case endOfInvocation = "end-of-invocation"
    /// Call `event/next` at once after INVOKE and drain in the background every `TRACESPOOL_LAMBDA_PERIOD_MS` while
    /// the environment is thawed: no post-response hold; what is left at a freeze ships at a later invocation or at
    /// SHUTDOWN.
    case periodic
    /// End of invocation while invocations are rare, periodic while they are frequent (`InvocationCadence`).
    case adaptive

    /// Parses a variable's value, case-insensitively, surrounding spaces ignored; nil for anything else.
    package init?(variable value: String) {
        let trimmed = value.trimmingSpacesAndLowercased
        guard let strategy = Self(rawValue: trimmed) else { return nil }
        self = strategy
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs, lowercased (ASCII).
    var trimmingSpacesAndLowercased: String {
        let bytes = Array(utf8)
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        let lowered = bytes[start..<end].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }
        return String(decoding: lowered, as: UTF8.self)
    }
}
