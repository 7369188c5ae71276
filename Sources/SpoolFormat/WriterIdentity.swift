import SpoolBase

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

    private static let processStart: UInt64 = SystemClock.unixNanos()

    private static let hostName: String = HostName.current
}
