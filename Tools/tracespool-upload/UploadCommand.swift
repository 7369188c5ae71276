import ArgumentParser
import Logging
import SpoolBase
import TraceSpoolUpload

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tracespool-upload`: drains TraceSpool spool directories to an OTLP/HTTP backend or a local SQLite file.
@main
struct UploadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracespool-upload",
        abstract: "Drain TraceSpool spool directories to OTLP/HTTP or a local SQLite store, with no loss.",
        discussion: """
            Without --endpoint (or OTEL_EXPORTER_OTLP_ENDPOINT / OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) spans go to \
            a SQLite file. Exit status: 0 all delivered, 1 configuration error, 3 partial delivery (deferred, \
            dead-lettered, rejected or damaged data; see the summary line). See Docs/Uploader.md.
            """)

    @Argument(help: "Spool directories to drain.")
    var spools: [String]

    @Flag(help: "Drain what is present and exit instead of following the spools.")
    var once = false

    @Option(help: "OTLP/HTTP base URL; /v1/traces is appended (overrides OTEL_EXPORTER_OTLP_ENDPOINT).")
    var endpoint: String?

    @Option(help: "Full OTLP/HTTP traces URL, used as is (overrides OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).")
    var tracesEndpoint: String?

    @Option(
        name: .customLong("header"),
        help: "Extra request header name=value (repeatable; adds to OTEL_EXPORTER_OTLP_HEADERS).")
    var headers: [String] = []

    @Option(help: "Request compression: gzip or none (overrides OTEL_EXPORTER_OTLP_COMPRESSION).")
    var compression: String?

    @Option(
        name: .customLong("timeout-ms"),
        help: "Timeout of one request, ms (overrides OTEL_EXPORTER_OTLP_TIMEOUT; default 10000).")
    var timeoutMillis: Int?

    @Option(
        name: .customLong("ca-file"),
        help: "PEM file of extra trusted CA certificates for HTTPS (verification stays on).")
    var caFile: String?

    @Option(help: "SQLite file for the sqlite sink (default: tracespool.sqlite beside the first spool directory).")
    var sqlite: String?

    @Option(help: "Sink: otlp-http or sqlite (default: otlp-http when an endpoint is configured, else sqlite).")
    var sink: String?

    @Option(help: "Most spans per request.")
    var maxBatchSpans = 8192

    @Option(help: "Largest request body, bytes (uncompressed).")
    var maxBatchBytes = 4 << 20

    @Option(help: "Memory budget for batches in flight, bytes.")
    var maxInFlightBytes = 24 << 20

    @Option(help: "Most segments drained at once.")
    var parallelSegments = 1

    @Option(name: .customLong("retry-base-ms"), help: "First backoff ceiling, ms.")
    var retryBaseMillis = 500

    @Option(
        name: .customLong("retry-cap-ms"),
        help: "Largest backoff ceiling, ms (bounds requests per minute to a down backend).")
    var retryCapMillis = 30_000

    @Option(
        name: .customLong("retry-max-elapsed-ms"),
        help: "How long one batch is retried before it is left in the spool for later, ms.")
    var retryMaxElapsedMillis = 300_000

    @Option(name: .customLong("max-latency-ms"), help: "Follow mode: longest delay before new frames are shipped, ms.")
    var maxLatencyMillis = 1000

    @Flag(help: "Follow mode: poll every --max-latency-ms instead of using inotify.")
    var poll = false

    @Option(
        name: .customLong("drain-deadline-ms"), help: "On SIGTERM/SIGINT: time allowed to finish batches in flight, ms."
    )
    var drainDeadlineMillis = 10_000

    @Option(help: "Serve Prometheus metrics on this port at /metrics (off when absent).")
    var metricsPort: Int?

    @Option(help: "Address the metrics endpoint binds to.")
    var metricsHost = "127.0.0.1"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "notice"

    @Flag(help: "Never draw the progress bar.")
    var noProgress = false

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { LogfmtLogHandler(label: $0, level: level) }
        let logger = Logger(label: "tracespool-upload")
        let metrics = UploadMetrics()
        let configuration = UploaderConfiguration(
            spoolPaths: spools, maxBatchSpans: maxBatchSpans, maxBatchBytes: maxBatchBytes,
            maxInFlightBytes: maxInFlightBytes, parallelSegments: parallelSegments, maxLatencyMillis: maxLatencyMillis,
            useInotify: !poll)
        let sink: any SpanSink
        do {
            try configuration.validate()
            sink = try makeSink(metrics: metrics, logger: logger)
        } catch {
            logger.critical("configuration error", metadata: ["error": "\(error)"])
            throw ExitCode(UploadExitCode.configuration)
        }
        var metricsServer: MetricsServer?
        if let metricsPort {
            do {
                metricsServer = try await MetricsServer.start(host: metricsHost, port: metricsPort, metrics: metrics)
                logger.info("metrics endpoint listening", metadata: ["address": "\(metricsHost):\(metricsPort)"])
            } catch {
                logger.critical("cannot start metrics endpoint", metadata: ["error": "\(error)"])
                throw ExitCode(UploadExitCode.configuration)
            }
        }
        let uploader = Uploader(configuration: configuration, sink: sink, metrics: metrics, logger: logger)
        let once = self.once
        let work = Task { once ? await uploader.drainOnce() : await uploader.follow() }
        let deadline = drainDeadlineMillis
        let signals = ShutdownSignals { _ in
            uploader.requestStop()
            Task {
                try? await Task.sleep(for: .milliseconds(deadline))
                work.cancel()
            }
        }
        let progress: Task<Void, Never>? =
            once && !noProgress && ProgressBar.isTerminal ? Task { await ProgressBar(metrics: metrics).run() } : nil
        let summary = await work.value
        progress?.cancel()
        await progress?.value
        await sink.shutdown()
        await metricsServer?.stop()
        withExtendedLifetime(signals) {}
        if once && !summary.allDelivered { throw ExitCode(UploadExitCode.partial) }
    }

    private func makeSink(metrics: UploadMetrics, logger: Logger) throws(UploadError) -> any SpanSink {
        let environment = ProcessEnvironment.current
        var otlp = try OTLPHTTPConfiguration.resolve(
            endpoint: endpoint, tracesEndpoint: tracesEndpoint, headers: headers, compression: compression,
            timeoutMillis: timeoutMillis, environment: environment)
        if let caFile {
            guard access(caFile, R_OK) == 0 else { throw .invalidConfiguration("--ca-file \(caFile) is not readable") }
            otlp?.caFilePath = caFile
        }
        let kind = sink ?? (otlp == nil ? "sqlite" : "otlp-http")
        switch kind {
        case "otlp-http":
            guard let otlp else {
                throw .invalidConfiguration("--sink otlp-http needs --endpoint or OTEL_EXPORTER_OTLP_ENDPOINT")
            }
            let policy = RetryPolicy(
                baseMillis: retryBaseMillis, capMillis: retryCapMillis, maxElapsedMillis: retryMaxElapsedMillis)
            logger.info(
                "sink otlp-http", metadata: ["url": "\(otlp.tracesURL)", "compression": "\(otlp.compression.rawValue)"])
            return OTLPHTTPSink(configuration: otlp, retryPolicy: policy, metrics: metrics, logger: logger)
        case "sqlite":
            let path = sqlite ?? SQLiteSink.defaultPath(forSpool: spools[0])
            logger.info("sink sqlite", metadata: ["path": "\(path)"])
            return try SQLiteSink(path: path, logger: logger, metrics: metrics)
        default:
            throw .invalidConfiguration("--sink must be otlp-http or sqlite, not \(kind)")
        }
    }
}
