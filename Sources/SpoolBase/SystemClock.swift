#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The system's clocks, read with `clock_gettime` (no allocation, no lock).
package enum SystemClock {
    /// The current wall-clock time in nanoseconds since the Unix epoch (`CLOCK_REALTIME`); it can jump when the
    /// system time is set.
    package static func unixNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// A monotonic time in nanoseconds (`CLOCK_MONOTONIC`), for intervals and deadlines: it never goes backwards;
    /// its origin is unspecified.
    package static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
