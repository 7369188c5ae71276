import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exponential backoff with full jitter for transient delivery failures.
///
/// Attempt `n` (0-based) waits a uniformly random time in `0 ... min(capMillis, baseMillis * 2^n)`, or the server's
/// `Retry-After` when that is longer. A batch is retried until `maxElapsedMillis` have passed since its first
/// attempt; it then stays in the spool (nothing is lost) and is tried again later.
package struct RetryPolicy: Sendable, Equatable {
    /// The first backoff ceiling, milliseconds.
    package var baseMillis: Int
    /// The largest backoff ceiling, milliseconds. Bounds the request rate against a backend that stays down.
    package var capMillis: Int
    /// How long one batch is retried before the uploader gives up on it for now, milliseconds.
    package var maxElapsedMillis: Int
    /// The longest `Retry-After` honoured, milliseconds (longer values are clamped to it).
    package var maxRetryAfterMillis: Int
    /// How long one batch is retried while the backend never answered HTTP (connection refused, unresolvable host,
    /// TLS failure, another protocol), milliseconds; nil retries such failures for `maxElapsedMillis` like any other.
    package var maxUnansweredMillis: Int?

    /// Creates a policy. Defaults: base 500 ms, cap 30 s, 5 minutes per batch, `Retry-After` up to 5 minutes, no
    /// early give-up on a backend that never answered.
    package init(
        baseMillis: Int = 500, capMillis: Int = 30_000, maxElapsedMillis: Int = 300_000,
        maxRetryAfterMillis: Int = 300_000, maxUnansweredMillis: Int? = nil
    ) {
        self.baseMillis = max(1, baseMillis)
        self.capMillis = max(self.baseMillis, capMillis)
        self.maxElapsedMillis = max(0, maxElapsedMillis)
        self.maxRetryAfterMillis = max(0, maxRetryAfterMillis)
        self.maxUnansweredMillis = maxUnansweredMillis.map { max(0, $0) }
    }

    /// The full-jitter delay before retry number `attempt` (0-based), milliseconds.
    package func jitteredDelayMillis<G: RandomNumberGenerator>(attempt: Int, using generator: inout G) -> Int {
        let ceiling = ceilingMillis(attempt: attempt)
        return Int.random(in: 0...ceiling, using: &generator)
    }

    /// The full-jitter delay before retry number `attempt` (0-based), milliseconds.
    package func jitteredDelayMillis(attempt: Int) -> Int {
        var g = SystemRandomNumberGenerator()
        return jitteredDelayMillis(attempt: attempt, using: &g)
    }

    /// The backoff ceiling for retry number `attempt`: `min(cap, base * 2^attempt)`, milliseconds.
    package func ceilingMillis(attempt: Int) -> Int {
        let shift = min(max(attempt, 0), 40)
        let (product, overflow) = baseMillis.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? capMillis : min(capMillis, product)
    }

    /// The delay before the next retry, honouring `Retry-After`: the larger of the jittered delay and the
    /// server's value (clamped to `maxRetryAfterMillis`), milliseconds.
    ///
    /// - Parameter jitter: picks the jittered delay in `0 ... ceilingMillis(attempt:)` (default: uniformly at random).
    package func delayMillis(
        attempt: Int, retryAfterMillis: Int?, jitter: (ClosedRange<Int>) -> Int = { Int.random(in: $0) }
    ) -> Int {
        let jittered = jitter(0...ceilingMillis(attempt: attempt))
        guard let retryAfterMillis else { return jittered }
        return max(jittered, min(retryAfterMillis, maxRetryAfterMillis))
    }
}

/// Parses HTTP `Retry-After` values.
package enum RetryAfter {
    /// The wait a `Retry-After` value asks for, milliseconds: delta-seconds (`120`) or an HTTP-date
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`, also the obsolete RFC 850 and asctime forms), relative to `nowUnixSeconds`.
    ///
    /// - Returns: nil when the value is not valid; 0 for a date in the past.
    package static func millis(_ value: String, nowUnixSeconds: Int? = nil) -> Int? {
        let trimmed = value.trimmingSpaces
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let seconds = Int(trimmed) else { return Int.max / 2 }
            return seconds > Int.max / 2000 ? Int.max / 2 : seconds * 1000
        }
        return HTTPDate.parse(trimmed).map { max(0, $0 - (nowUnixSeconds ?? Int(time(nil)))) * 1000 }
    }
}
