#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who wrote a segment: process id, host name and the time the process started writing.
public struct WriterIdentity: Sendable, Equatable {
    /// The writer's process id.
    public var pid: Int32
    /// The writer's host name (at most `SpoolLimits.maxHostNameBytes` bytes are stored).
    public var host: String
    /// When the writing process first used the spool library, Unix nanoseconds.
    public var startUnixNanos: UInt64

    /// Creates an identity.
    public init(pid: Int32, host: String, startUnixNanos: UInt64) {
        self.pid = pid
        self.host = host
        self.startUnixNanos = startUnixNanos
    }

    /// The identity of this process. The pid is read on every call, so a forked child gets its own.
    public static var current: WriterIdentity {
        WriterIdentity(pid: getpid(), host: hostName, startUnixNanos: processStart)
    }

    private static let processStart: UInt64 = Clock.unixNanos()

    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "unknown" : name
    }()
}

/// Wall-clock time.
public enum Clock {
    /// The current wall-clock time in Unix nanoseconds (CLOCK_REALTIME).
    public static func unixNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// A monotonic time in nanoseconds (CLOCK_MONOTONIC), for deadlines.
    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}
