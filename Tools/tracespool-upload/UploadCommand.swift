import ArgumentParser
import CoreMetrics
import LambdaRuntimeAPI
import Logging
import Prometheus
import ServiceLifecycle
import SpoolBase
import TraceSpoolLambda
import TraceSpoolUpload

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
            """,
        version: PackageVersion.current)

    /// Runs the command line, with `--name -5` read as `--name=-5` (`CommandLineArguments.joiningNegativeValues`).
    ///
    /// With no arguments while `AWS_LAMBDA_RUNTIME_API` is set (how Lambda starts the files of `/opt/extensions`),
    /// runs as a Lambda extension, as `--lambda-extension` does.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty, ProcessEnvironment.value(RuntimeAPIAddress.variable) != nil {
            Self.exit(withError: ExitCode(await LambdaExtensionMode.run()))
        }
        await main(CommandLineArguments.joiningNegativeValues(arguments))
    }

    @Argument(help: "Spool directories to drain (none with --lambda-extension).")
    var spools: [String] = []

    @Flag(
        help: """
            Run as an AWS Lambda extension (the default with no arguments while AWS_LAMBDA_RUNTIME_API is set): \
            the spool, the destination and the TRACESPOOL_LAMBDA_* settings come from the environment. See \
            Docs/Uploader.md, "AWS Lambda extension".
            """)
    var lambdaExtension = false

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
        help: """
            Timeout of one request, ms (overrides OTEL_EXPORTER_OTLP_TIMEOUT; default \
            \(SpoolUploader.Configuration.OTLPHTTPExporter.defaultTimeout.wholeMilliseconds)).
            """)
    var timeoutMillis: Int?

    @Option(
        name: .customLong("ca-file"),
        help: """
            PEM file of extra trusted CA certificates for HTTPS (verification stays on; overrides \
            OTEL_EXPORTER_OTLP_CERTIFICATE).
            """)
    var caFile: String?

    @Option(
        name: .customLong("client-cert"),
        help: """
            PEM client certificate for mutual TLS, with --client-key (overrides \
            OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE).
            """)
    var clientCertificate: String?

    @Option(
        name: .customLong("client-key"),
        help: "PEM private key of --client-cert (overrides OTEL_EXPORTER_OTLP_CLIENT_KEY).")
    var clientKey: String?

    @Option(
        help: """
            SQLite file for the sqlite sink (default: tracespool-store-<uid>/tracespool.sqlite beside the first \
            spool directory, a directory created 0700).
            """)
    var sqlite: String?

    @Option(
        help: """
            Group (name or id) of spool directories shared on purpose with writers running as other users: such a \
            directory may belong to another user and be group-writable (default: TRACESPOOL_SPOOL_GROUP; see \
            Docs/Uploader.md).
            """)
    var spoolGroup: String?

    @Option(help: "Sink: otlp-http or sqlite (default: otlp-http when an endpoint is configured, else sqlite).")
    var sink: String?

    @Option(help: "Most spans per request.")
    var maxBatchSpans = Defaults.batching.maxSpans

    @Option(help: "Largest request body, bytes (uncompressed).")
    var maxBatchBytes = Defaults.batching.maxBytes

    @Option(help: "Memory budget for batches in flight, bytes.")
    var maxInFlightBytes = Defaults.batching.maxInFlightBytes

    @Option(help: "Most segments drained at once.")
    var parallelSegments = Defaults.batching.parallelSegments

    @Option(name: .customLong("retry-base-ms"), help: "First backoff ceiling, ms.")
    var retryBaseMillis = Defaults.retry.initialBackoff.wholeMilliseconds

    @Option(
        name: .customLong("retry-cap-ms"),
        help: "Largest backoff ceiling, ms (bounds requests per minute to a down backend).")
    var retryCapMillis = Defaults.retry.maxBackoff.wholeMilliseconds

    @Option(
        name: .customLong("retry-max-elapsed-ms"),
        help: "How long one batch is retried before it is left in the spool for later, ms.")
    var retryMaxElapsedMillis = Defaults.retry.maxElapsed.wholeMilliseconds

    @Option(
        name: .customLong("give-up-unanswered-ms"),
        help: """
            --once: how long a batch is retried while the backend never answered (refused, unknown host, TLS \
            failure, not OTLP/HTTP), ms (overrides \(UnansweredGiveUp.variable); default \
            \(Defaults.retry.maxElapsedUnanswered.wholeMilliseconds)).
            """)
    var giveUpUnansweredMillis: Int?

    @Option(name: .customLong("max-latency-ms"), help: "Follow mode: longest delay before new frames are shipped, ms.")
    var maxLatencyMillis = Defaults.follow.maxLatency.wholeMilliseconds

    @Flag(help: "Follow mode: poll every --max-latency-ms instead of using inotify.")
    var poll = false

    @Option(
        name: .customLong("max-age-ms"),
        help: """
            Retention by age: remove segments created longer ago than this, ms, without uploading them; their \
            spans count as expired (overrides \(MaxSegmentAge.variable); default: off). See Docs/Uploader.md.
            """)
    var maxAgeMillis: Int?

    @Option(
        name: .customLong("drain-deadline-ms"), help: "On SIGTERM/SIGINT: time allowed to finish batches in flight, ms."
    )
    var drainDeadlineMillis = 10_000

    @Option(help: "Serve Prometheus metrics on this port at /metrics (off when absent).")
    var metricsPort: Int?

    @Option(help: "Address the metrics endpoint binds to.")
    var metricsHost = "127.0.0.1"

    @Option(
        help: """
            Log level: trace, debug, info, notice, warning, error, critical (overrides OTEL_LOG_LEVEL; default \
            notice).
            """)
    var logLevel: String?

    @Flag(help: "Never draw the progress bar.")
    var noProgress = false

    func run() async throws {
        if lambdaExtension {
            throw ExitCode(await LambdaExtensionMode.run())
        }
        var level = Logger.Level.notice
        var levelProblem: String?
        if let logLevel {
            guard let flagLevel = Logger.Level(rawValue: logLevel) else {
                throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
            }
            level = flagLevel
        } else if let value = ProcessEnvironment.current[OTelLogLevel.variable], !value.isEmpty {
            if let variableLevel = OTelLogLevel.level(value) {
                level = variableLevel
            } else {
                levelProblem = """
                    invalid configuration: \(OTelLogLevel.variable) must be one of trace, debug, info, warn, error, \
                    fatal, none, not \(value)
                    """
            }
        }
        let chosenLevel = level
        LoggingSystem.bootstrap { LogfmtLogHandler(label: $0, level: chosenLevel) }
        let logger = Logger(label: "tracespool-upload")
        if let levelProblem {
            logger.critical("configuration error", metadata: ["error": "\(levelProblem)"])
            throw ExitCode(UploadExitCode.configuration)
        }
        var registry: PrometheusCollectorRegistry?
        if metricsPort != nil {
            let metricsRegistry = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusHelpTextFactory(registry: metricsRegistry))
            registry = metricsRegistry
        }
        if once, let problem = Self.missingSpool(spools) {
            logger.critical(
                "nothing to drain: \(problem.reason)",
                metadata: [
                    "spool": "\(problem.path)",
                    "hint": "check the path; without --once the uploader waits for the directory to appear",
                ])
            throw ExitCode(UploadExitCode.missingSpool)
        }
        let uploader: SpoolUploader
        do {
            uploader = try makeUploader(logger: logger)
        } catch {
            logger.critical("configuration error", metadata: ["error": "\(error)"])
            throw ExitCode(UploadExitCode.configuration)
        }
        var metricsServer: MetricsServer?
        if let metricsPort, let registry {
            do {
                metricsServer = try await MetricsServer.start(
                    host: metricsHost, port: metricsPort, registry: registry,
                    beforeScrape: { uploader.metrics.refreshOldestSpanAge(nowUnixNanos: SystemClock.unixNanos()) })
                logger.info("metrics endpoint listening", metadata: ["address": "\(metricsHost):\(metricsPort)"])
            } catch {
                logger.critical("cannot start metrics endpoint", metadata: ["error": "\(error)"])
                throw ExitCode(UploadExitCode.configuration)
            }
        }
        let drainOnce = once ? DrainOnceService(uploader: uploader) : nil
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(service: drainOnce ?? uploader, successTerminationBehavior: .gracefullyShutdownGroup)
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // After a signal, the batches in flight get this long to finish; then they are cancelled.
        groupConfiguration.maximumGracefulShutdownDuration = .milliseconds(drainDeadlineMillis)
        let bar = once && !noProgress && ProgressBar.isTerminal ? ProgressBar(progress: uploader.progress) : nil
        let progress = bar.map { bar in Task { await bar.run() } }
        try await ServiceGroup(configuration: groupConfiguration).run()
        progress?.cancel()
        await progress?.value
        bar?.finish(allDelivered: drainOnce?.summary?.allDelivered ?? false)
        await metricsServer?.stop()
        if let summary = drainOnce?.summary, !summary.allDelivered { throw ExitCode(UploadExitCode.partial) }
    }

    /// The uploader the flags describe: flags win over the `OTEL_EXPORTER_OTLP_*` variables; without an endpoint
    /// the spans go to SQLite.
    ///
    /// - Throws: `CommandLineConfigurationError` naming the flag (or variable) at fault.
    private func makeUploader(logger: Logger) throws(CommandLineConfigurationError) -> SpoolUploader {
        var configuration = SpoolUploader.Configuration(spoolDirectories: spools, destination: .sqlite(path: ""))
        configuration.batching.maxSpans = maxBatchSpans
        configuration.batching.maxBytes = maxBatchBytes
        configuration.batching.maxInFlightBytes = maxInFlightBytes
        configuration.batching.parallelSegments = parallelSegments
        configuration.retry.initialBackoff = .milliseconds(retryBaseMillis)
        configuration.retry.maxBackoff = .milliseconds(retryCapMillis)
        configuration.retry.maxElapsed = .milliseconds(retryMaxElapsedMillis)
        var unanswered = giveUpUnansweredMillis
        if unanswered == nil { unanswered = try UnansweredGiveUp.fromEnvironment(ProcessEnvironment.current) }
        if let unanswered {
            guard unanswered >= 0 else {
                throw CommandLineConfigurationError(message: "--give-up-unanswered-ms must not be negative")
            }
            configuration.retry.maxElapsedUnanswered = .milliseconds(unanswered)
        }
        configuration.follow.maxLatency = .milliseconds(maxLatencyMillis)
        configuration.follow.usesInotify = !poll
        var maxAge = maxAgeMillis
        if maxAge == nil { maxAge = try MaxSegmentAge.fromEnvironment(ProcessEnvironment.current) }
        if let maxAge { configuration.maxSegmentAge = .milliseconds(maxAge) }
        if let group = spoolGroup ?? ProcessEnvironment.value("TRACESPOOL_SPOOL_GROUP") {
            let name = spoolGroup == nil ? "TRACESPOOL_SPOOL_GROUP" : "--spool-group"
            guard let id = POSIX.groupID(named: group) else {
                throw CommandLineConfigurationError(
                    message: "\(name) \(group): no such group (give a group name or id)")
            }
            configuration.spoolGroup = id
        }
        var otlpOnlyFlags: [String] = []
        if !headers.isEmpty { otlpOnlyFlags.append("--header") }
        if compression != nil { otlpOnlyFlags.append("--compression") }
        if timeoutMillis != nil { otlpOnlyFlags.append("--timeout-ms") }
        if caFile != nil { otlpOnlyFlags.append("--ca-file") }
        if clientCertificate != nil { otlpOnlyFlags.append("--client-cert") }
        if clientKey != nil { otlpOnlyFlags.append("--client-key") }
        let choice = try DestinationChoice.make(
            endpoint: endpoint, tracesEndpoint: tracesEndpoint, sqlite: sqlite, sink: sink,
            otlpOnlyFlags: otlpOnlyFlags)
        var otlp: SpoolUploader.Configuration.OTLPHTTPExporter?
        do throws(UploadError) {
            try configuration.validateDrain()
            if choice != .sqlite {
                var overrides = SpoolUploader.Configuration.OTLPHTTPExporter.Overrides()
                overrides.endpoint = endpoint
                overrides.tracesEndpoint = tracesEndpoint
                overrides.headers = headers
                overrides.compression = compression
                overrides.timeoutMillis = timeoutMillis
                overrides.certificateFile = caFile
                overrides.clientCertificateFile = clientCertificate
                overrides.clientKeyFile = clientKey
                otlp = try SpoolUploader.Configuration.OTLPHTTPExporter.resolve(
                    overrides: overrides, environment: ProcessEnvironment.current)
            }
        } catch {
            throw CommandLineConfigurationError(error, naming: settingNames)
        }
        switch (choice, otlp) {
        case (.otlpHTTP, nil):
            throw CommandLineConfigurationError(
                message: "--sink otlp-http needs --endpoint, --traces-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT")
        case (.otlpHTTP, let otlp?), (.fromEnvironment, let otlp?):
            configuration.destination = .otlpHTTP(otlp)
        case (.fromEnvironment, nil) where !otlpOnlyFlags.isEmpty:
            throw CommandLineConfigurationError(
                message: """
                    \(otlpOnlyFlags[0]) applies to OTLP/HTTP only, and no endpoint is configured (--endpoint, \
                    --traces-endpoint or OTEL_EXPORTER_OTLP_ENDPOINT)
                    """)
        case (.fromEnvironment, nil), (.sqlite, _):
            configuration.destination = .sqlite(path: sqlite ?? SQLiteSink.defaultPath(forSpool: spools[0]))
        }
        do throws(UploadError) {
            return try SpoolUploader(
                configuration: configuration, logger: logger, io: .shared, maxBytesName: "--max-batch-bytes")
        } catch {
            throw CommandLineConfigurationError(error)
        }
    }
}

/// The library's defaults, which the flags' defaults are.
private enum Defaults {
    static let batching = SpoolUploader.Configuration.Batching()
    static let retry = SpoolUploader.Configuration.Retry()
    static let follow = SpoolUploader.Configuration.Follow()
}
