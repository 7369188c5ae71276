/// What the uploader drains and how.
public struct UploaderConfiguration: Sendable {
    /// The spool directories to drain.
    public var spoolPaths: [String]
    /// The most spans per request. Default 8,192.
    public var maxBatchSpans: Int
    /// The largest request body (uncompressed), bytes. Default 4 MiB.
    public var maxBatchBytes: Int
    /// The memory budget for batches in flight, bytes (default 24 MiB). Each concurrently drained segment holds up
    /// to about three times `maxBatchBytes` (frames read, request body, client buffer), so the number of segments
    /// drained at once is `min(parallelSegments, max(1, maxInFlightBytes / (3 * maxBatchBytes)))`.
    public var maxInFlightBytes: Int
    /// The most segments drained at the same time. Default 1: one segment at a time already saturates a loopback
    /// backend and keeps RSS near 45 MB; raise it for high-latency backends (memory grows by about
    /// `3 * maxBatchBytes` per segment, within `maxInFlightBytes`).
    public var parallelSegments: Int
    /// Follow mode: the longest time between a frame reaching the spool and its upload starting, milliseconds.
    public var maxLatencyMillis: Int
    /// Follow mode: use inotify to react to changes at once (true, the default) or only poll every
    /// `maxLatencyMillis` (false; also what happens when inotify is unavailable).
    public var useInotify: Bool

    /// Creates a configuration with the defaults above.
    public init(
        spoolPaths: [String], maxBatchSpans: Int = 8192, maxBatchBytes: Int = 4 << 20,
        maxInFlightBytes: Int = 24 << 20, parallelSegments: Int = 1, maxLatencyMillis: Int = 1000,
        useInotify: Bool = true
    ) {
        self.useInotify = useInotify
        self.spoolPaths = spoolPaths
        self.maxBatchSpans = maxBatchSpans
        self.maxBatchBytes = maxBatchBytes
        self.maxInFlightBytes = maxInFlightBytes
        self.parallelSegments = parallelSegments
        self.maxLatencyMillis = maxLatencyMillis
    }

    /// The number of segments drained concurrently under the memory budget.
    public var workers: Int {
        min(max(1, parallelSegments), max(1, maxInFlightBytes / max(1, 3 * maxBatchBytes)))
    }

    /// Checks the limits.
    /// - Throws: `UploadError.invalidConfiguration` naming the bad value.
    public func validate() throws(UploadError) {
        guard !spoolPaths.isEmpty else { throw .invalidConfiguration("give at least one spool directory") }
        guard maxBatchSpans >= 1 else { throw .invalidConfiguration("--max-batch-spans must be at least 1") }
        guard maxBatchBytes >= 1024 else { throw .invalidConfiguration("--max-batch-bytes must be at least 1024") }
        guard maxInFlightBytes >= maxBatchBytes else {
            throw .invalidConfiguration("--max-in-flight-bytes must be at least --max-batch-bytes")
        }
        guard maxLatencyMillis >= 1 else { throw .invalidConfiguration("--max-latency-ms must be positive") }
    }
}
