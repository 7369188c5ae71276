import ArgumentParser
import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension UploadCommand {
    /// The longest duration a millisecond flag takes: a year, far below where `Duration` arithmetic overflows.
    static let maxMillis = 365 * 24 * 3_600_000

    /// Checks the numeric flags' ranges before anything is opened; each error names its flag (exit status 64).
    func validate() throws {
        if lambdaExtension {
            guard spools.isEmpty else {
                throw ValidationError("--lambda-extension takes no spool directory (it reads TRACESPOOL_DIR)")
            }
            return
        }
        guard !spools.isEmpty else { throw ValidationError("Missing expected argument '<spools> ...'") }
        try Self.check(maxBatchSpans, "--max-batch-spans", atLeast: 1)
        try Self.check(maxBatchBytes, "--max-batch-bytes", atLeast: 1)
        try Self.check(maxInFlightBytes, "--max-in-flight-bytes", atLeast: 1)
        try Self.check(parallelSegments, "--parallel-segments", atLeast: 1, atMost: 1024)
        try Self.check(retryBaseMillis, "--retry-base-ms", atLeast: 1, atMost: Self.maxMillis)
        try Self.check(retryCapMillis, "--retry-cap-ms", atLeast: 1, atMost: Self.maxMillis)
        try Self.check(retryMaxElapsedMillis, "--retry-max-elapsed-ms", atLeast: 0, atMost: Self.maxMillis)
        try Self.check(maxLatencyMillis, "--max-latency-ms", atLeast: 1, atMost: Self.maxMillis)
        try Self.check(drainDeadlineMillis, "--drain-deadline-ms", atLeast: 0, atMost: Self.maxMillis)
        if let timeoutMillis { try Self.check(timeoutMillis, "--timeout-ms", atLeast: 1, atMost: Self.maxMillis) }
        if let maxAgeMillis {
            try Self.check(maxAgeMillis, "--max-age-ms", atLeast: 1, atMost: MaxSegmentAge.maxMillis)
        }
        if let metricsPort { try Self.check(metricsPort, "--metrics-port", atLeast: 0, atMost: 65_535) }
    }

    /// Throws a `ValidationError` naming `flag` when `value` is below `minimum` ("must be positive" for 1, "must
    /// not be negative" for 0) or above `maximum`.
    static func check(_ value: Int, _ flag: String, atLeast minimum: Int, atMost maximum: Int = .max) throws {
        if value < minimum {
            let rule =
                minimum == 1
                ? "must be positive" : minimum == 0 ? "must not be negative" : "must be at least \(minimum)"
            throw ValidationError("\(flag) \(rule) (got \(value))")
        }
        if value > maximum { throw ValidationError("\(flag) must be at most \(maximum) (got \(value))") }
    }

    /// The first of `spools` that does not exist or is not a directory, and which of the two; nil when all are
    /// directories. Follow mode waits for missing ones; `--once` has nothing to drain there.
    static func missingSpool(_ spools: [String]) -> (path: String, reason: String)? {
        for path in spools {
            var st = stat()
            guard stat(path, &st) == 0 else {
                return (
                    path, errno == ENOENT ? "the spool directory does not exist" : "cannot reach the spool directory"
                )
            }
            guard (st.st_mode & S_IFMT) == S_IFDIR else { return (path, "the spool path is not a directory") }
        }
        return nil
    }

    /// The flag or variable that set each OTLP/HTTP setting (flags win; the `TRACES_` variables over the generic
    /// ones), for configuration errors.
    var settingNames: CommandLineConfigurationError.SettingNames {
        var names = CommandLineConfigurationError.SettingNames()
        names.endpoint =
            endpoint != nil
            ? "--endpoint"
            : tracesEndpoint != nil
                ? "--traces-endpoint"
                : ProcessEnvironment.value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != nil
                    ? "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT" : "OTEL_EXPORTER_OTLP_ENDPOINT"
        names.headers = "OTEL_EXPORTER_OTLP_HEADERS, OTEL_EXPORTER_OTLP_TRACES_HEADERS or --header"
        names.compression =
            compression != nil
            ? "--compression"
            : ProcessEnvironment.value("OTEL_EXPORTER_OTLP_TRACES_COMPRESSION") != nil
                ? "OTEL_EXPORTER_OTLP_TRACES_COMPRESSION" : "OTEL_EXPORTER_OTLP_COMPRESSION"
        // Lowest precedence first, so that the setting in force names a path set in several places.
        for suffix in ["CERTIFICATE", "CLIENT_CERTIFICATE", "CLIENT_KEY"] {
            for variable in ["OTEL_EXPORTER_OTLP_\(suffix)", "OTEL_EXPORTER_OTLP_TRACES_\(suffix)"] {
                if let path = ProcessEnvironment.value(variable) { names.tlsFiles[path] = variable }
            }
        }
        for (flag, path) in [("--ca-file", caFile), ("--client-cert", clientCertificate), ("--client-key", clientKey)] {
            if let path { names.tlsFiles[path] = flag }
        }
        return names
    }
}
