import Dispatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exit statuses of `tracespool-upload`.
public enum UploadExitCode {
    /// Everything read was delivered.
    public static let success: Int32 = 0
    /// Usage or configuration error.
    public static let configuration: Int32 = 1
    /// Partial delivery: something was deferred (backend unreachable), dead-lettered, rejected by the backend,
    /// or damaged in the spool. Details are in the summary line.
    public static let partial: Int32 = 3
}

/// Runs a handler on SIGTERM and SIGINT (the default actions are disabled while installed).
/// (`@unchecked Sendable`: the sources are immutable after `init`, and cancelling a source is thread-safe.)
public final class ShutdownSignals: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    /// Installs the handler; it runs on a private queue, once per signal received.
    public init(handler: @escaping @Sendable (Int32) -> Void) {
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: DispatchQueue(label: "tracespool.signals"))
            source.setEventHandler { handler(sig) }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    deinit { for s in sources { s.cancel() } }
}
