public import CoreMetrics
public import Logging
public import ServiceLifecycle

/// Drains TraceSpool spool directories to an OTLP/HTTP backend or a local SQLite store, with no loss and few
/// duplicates: a swift-service-lifecycle `Service` that a long-running server can run beside its own services.
///
/// ``run()`` follows the spools (a pass whenever a directory changes, and at least every
/// ``Configuration/Follow/maxLatency``) until the service group shuts down gracefully, then stops taking new work,
/// finishes the batches in flight and returns; task cancellation (for example when the group's
/// `maximumGracefulShutdownDuration` has passed) also ends it, and batches cancelled in flight stay in the spool for
/// the next run. ``drainOnce()`` drains what is present and returns a ``DrainSummary``.
///
/// Per segment the uploader takes a lease (several uploaders may share a spool), reads from its durable checkpoint,
/// sends batches and checkpoints after each settled one; a segment is deleted once every span in it was settled.
/// A process killed at any instant loses nothing and re-sends at most the batches in flight. Transient failures are
/// retried with backoff (``Configuration/Retry``); permanent ones go to the spool's `dead-letter` directory. Disk
/// I/O runs on a thread pool (NIO's shared blocking pool), never on the Swift concurrency pool.
///
/// Metrics (`tracespool_upload_*`, listed in `Docs/Uploader.md`) are recorded through swift-metrics into the factory
/// given at initialisation.
///
/// ```swift
/// let uploader = try SpoolUploader(configuration: configuration, logger: logger)
/// let group = ServiceGroup(
///     configuration: .init(services: [uploader], gracefulShutdownSignals: [.sigterm], logger: logger))
/// try await group.run()
/// ```
public final class SpoolUploader: Service, Sendable {
    /// The configuration.
    public let configuration: Configuration
    private let logger: Logger
    /// The uploader's metrics.
    package let metrics: UploadMetrics
    /// How far the uploader got (for a progress display).
    package let progress: UploadProgress
    private let io: DiskIO
    private let clock: any Clock<Duration>
    /// Makes the sink of one operation; true for ``drainOnce()``.
    private let makeSink: @Sendable (_ once: Bool) -> any SpanSink
    private let maxBytesName: String

    /// Creates an uploader: checks the configuration and, for the SQLite destination, opens (or creates) the store
    /// on the calling thread (the only file I/O outside the uploader's thread pool).
    ///
    /// Nothing is read from the spools or sent before ``run()`` or ``drainOnce()``.
    ///
    /// - Parameters:
    ///   - configuration: what to drain, where to, and how.
    ///   - logger: receives one event per notable step (segment delivered, damage, retry, deferral, dead letter) and
    ///     an `upload summary` at the end of each operation.
    ///   - metricsFactory: where the metrics are recorded (default: swift-metrics' global `MetricsSystem.factory`).
    ///   - clock: the clock of backoff waits, of the retry budget and of the follow loop's timers (default: the
    ///     continuous clock; a test may pass a manual one).
    /// - Throws: `UploadError.invalidConfiguration` for an unusable value (the problem names it);
    ///   `UploadError.sqlite` when the SQLite store cannot be opened, created or migrated.
    public convenience init(
        configuration: Configuration, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory,
        clock: some Clock<Duration> = ContinuousClock()
    ) throws(UploadError) {
        try self.init(
            configuration: configuration, logger: logger, metricsFactory: metricsFactory, clock: clock, io: .shared)
    }

    /// Creates an uploader with the test seams and the executable's wording.
    ///
    /// - Parameters:
    ///   - io: where disk I/O runs.
    ///   - retryJitter: picks a backoff delay in a range of milliseconds (default: uniformly at random).
    ///   - maxBytesName: how dead letters of oversized spans name ``Configuration/Batching/maxBytes``.
    package init(
        configuration: Configuration, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory,
        clock: some Clock<Duration> = ContinuousClock(), io: DiskIO,
        retryJitter: @escaping @Sendable (ClosedRange<Int>) -> Int = { Int.random(in: $0) },
        maxBytesName: String = "batching.maxBytes"
    ) throws(UploadError) {
        try configuration.validate()
        let metrics = UploadMetrics(factory: metricsFactory)
        switch configuration.destination {
        case .otlpHTTP(let exporter):
            let (policy, oncePolicy) = (configuration.retry.policy, configuration.retry.oncePolicy)
            logger.info(
                "sink otlp-http",
                metadata: [
                    "url": "\(exporter.tracesEndpoint)", "compression": "\(exporter.compression.rawValue)",
                    "proxy": "\(exporter.proxy.map { "\($0.host):\($0.port)" } ?? "none")",
                ])
            makeSink = { once in
                OTLPHTTPSink(
                    configuration: exporter, retryPolicy: once ? oncePolicy : policy, metrics: metrics, logger: logger,
                    clock: clock,
                    io: io, jitter: retryJitter)
            }
        case .sqlite(let path):
            logger.info("sink sqlite", metadata: ["path": "\(path)"])
            let sink = try SQLiteSink(path: path, logger: logger, metrics: metrics, io: io)
            makeSink = { _ in sink }
        }
        self.configuration = configuration
        self.logger = logger
        self.metrics = metrics
        self.progress = UploadProgress()
        self.io = io
        self.clock = clock
        self.maxBytesName = maxBytesName
    }

    /// Follows the spools until graceful shutdown or cancellation, then logs the `upload summary` of the whole run
    /// and returns.
    ///
    /// On graceful shutdown no new segment or batch is started and retries stop; the batches in flight finish and
    /// are checkpointed. On cancellation the batches in flight are abandoned unsettled (they stay in the spool and
    /// are sent again by a later run: duplicates, never loss).
    public func run() async {
        let drainer = makeDrainer(once: false)
        await withGracefulShutdownHandler {
            _ = await drainer.follow()
        } onGracefulShutdown: {
            drainer.requestStop()
        }
        await drainer.sink.shutdown()
    }

    /// Drains every segment present once: each is read to its end and its spans settled; open segments of live
    /// writers are drained up to their last complete frame and kept for later. Logs the `upload summary`.
    ///
    /// Inside a service group, a graceful shutdown stops it early as it stops ``run()`` (what is not delivered stays
    /// in the spool and counts as deferred).
    ///
    /// - Returns: what the pass achieved; ``DrainSummary/allDelivered`` tells whether anything is left to look at.
    public func drainOnce() async -> DrainSummary {
        let drainer = makeDrainer(once: true)
        let summary = await withGracefulShutdownHandler {
            await drainer.drainOnce()
        } onGracefulShutdown: {
            drainer.requestStop()
        }
        await drainer.sink.shutdown()
        return summary
    }

    /// A drainer for one operation, with its own sink (OTLP/HTTP: its own HTTP client) and stop signal.
    private func makeDrainer(once: Bool) -> SpoolDrainer {
        SpoolDrainer(
            configuration: configuration, sink: makeSink(once), metrics: metrics, progress: progress, logger: logger,
            io: io, clock: clock, maxBytesName: maxBytesName)
    }
}
