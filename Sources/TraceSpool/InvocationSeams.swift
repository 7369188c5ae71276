import SpoolBase

/// The clock and the observation point of `SpoolTracer.withInvocation`, replaceable by tests.
struct InvocationSeams: Sendable {
    /// The current time, Unix epoch milliseconds.
    var nowUnixMillis: @Sendable () -> Int64
    /// Called after the flush, before the marker is written, with the flush timeout used and its result.
    var willWriteMarker: (@Sendable (_ flushTimeoutMillis: Int, _ flushed: Bool) -> Void)?

    /// The real clock, no observer.
    static let live = InvocationSeams(
        nowUnixMillis: { Int64(SystemClock.unixNanos() / 1_000_000) }, willWriteMarker: nil)
}
