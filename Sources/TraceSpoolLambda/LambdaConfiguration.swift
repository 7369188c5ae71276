import SpoolBase
package import SpoolFormat
package import TraceSpoolUpload

/// What the extension reads from its environment: the Runtime API address, the spool, the destination, and the
/// `TRACESPOOL_LAMBDA_*` settings (`Docs/Uploader.md`, "AWS Lambda extension").
package struct LambdaConfiguration: Sendable {
    /// When to ship (`TRACESPOOL_LAMBDA_STRATEGY`; default end-of-invocation).
    package var strategy = LambdaStrategy.endOfInvocation
    /// The longest the extension holds the environment after the function is done with an invocation
    /// (`TRACESPOOL_LAMBDA_HOLD_BUDGET_MS`; default 100 ms).
    package var holdBudget = Duration.milliseconds(100)
    /// The interval of the periodic drain (`TRACESPOOL_LAMBDA_PERIOD_MS`; default 1 s).
    package var period = Duration.milliseconds(1000)
    /// How long before SHUTDOWN's deadline the extension stops draining and exits
    /// (`TRACESPOOL_LAMBDA_SHUTDOWN_MARGIN_MS`; default 200 ms).
    package var shutdownMargin = Duration.milliseconds(200)
    /// Adaptive: how many recent invocations are averaged (`TRACESPOOL_LAMBDA_ADAPTIVE_WINDOW`; default 20).
    package var adaptiveWindow = 20
    /// Adaptive: the average gap between invocations below which they count as frequent
    /// (`TRACESPOOL_LAMBDA_ADAPTIVE_MAX_GAP_MS`; default 60 s).
    package var adaptiveMaxGap = Duration.milliseconds(60_000)
    /// The spool directory (`SpoolDirectory.defaultPath`: `TRACESPOOL_DIR`, else `<TMPDIR or /tmp>/tracespool-<uid>`).
    package var spoolPath: String
    /// Where spans go (the `OTEL_EXPORTER_OTLP_*` variables).
    package var exporter: SpoolUploader.Configuration.OTLPHTTPExporter

    /// The largest value of a millisecond variable: one day.
    static let maxMillis = 86_400_000

    /// Creates a configuration with the defaults.
    package init(spoolPath: String, exporter: SpoolUploader.Configuration.OTLPHTTPExporter) {
        self.spoolPath = spoolPath
        self.exporter = exporter
    }

    /// Reads the configuration from `environment`.
    ///
    /// - Throws: `LambdaConfigurationError` naming the first variable at fault (no endpoint configured included).
    package static func fromEnvironment(_ environment: [String: String]) throws(LambdaConfigurationError) -> Self {
        let exporter: SpoolUploader.Configuration.OTLPHTTPExporter?
        do throws(UploadError) {
            exporter = try SpoolUploader.Configuration.OTLPHTTPExporter.fromEnvironment(environment)
            try exporter?.validate()
        } catch {
            throw LambdaConfigurationError(variable: otlpVariable(for: error, environment), problem: "\(error)")
        }
        guard let exporter else {
            throw LambdaConfigurationError(
                variable: "OTEL_EXPORTER_OTLP_ENDPOINT",
                problem:
                    "no OTLP/HTTP endpoint configured: set OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)"
            )
        }
        var configuration = Self(spoolPath: SpoolDirectory.defaultPath(environment: environment), exporter: exporter)
        if let value = environment["TRACESPOOL_LAMBDA_STRATEGY"], !value.isEmpty {
            guard let strategy = LambdaStrategy(variable: value) else {
                throw LambdaConfigurationError(
                    variable: "TRACESPOOL_LAMBDA_STRATEGY",
                    problem: "must be end-of-invocation, periodic or adaptive, not '\(value.prefix(64))'")
            }
            configuration.strategy = strategy
        }
        if let ms = try millis("TRACESPOOL_LAMBDA_HOLD_BUDGET_MS", environment, minimum: 1) {
            configuration.holdBudget = .milliseconds(ms)
        }
        if let ms = try millis("TRACESPOOL_LAMBDA_PERIOD_MS", environment, minimum: 10) {
            configuration.period = .milliseconds(ms)
        }
        if let ms = try millis("TRACESPOOL_LAMBDA_SHUTDOWN_MARGIN_MS", environment, minimum: 0) {
            configuration.shutdownMargin = .milliseconds(ms)
        }
        if let ms = try millis("TRACESPOOL_LAMBDA_ADAPTIVE_MAX_GAP_MS", environment, minimum: 1) {
            configuration.adaptiveMaxGap = .milliseconds(ms)
        }
        if let window = try integer("TRACESPOOL_LAMBDA_ADAPTIVE_WINDOW", environment, minimum: 2, maximum: 1000) {
            configuration.adaptiveWindow = window
        }
        return configuration
    }

    /// The `OTEL_EXPORTER_OTLP_*` variable (or variables) an exporter configuration error is about: the one in force
    /// (the `TRACES_` variant wins when set).
    static func otlpVariable(for error: UploadError, _ environment: [String: String]) -> String {
        func inForce(_ suffix: String) -> String {
            let specific = "OTEL_EXPORTER_OTLP_TRACES_\(suffix)"
            return environment[specific].map { !$0.isEmpty } == true ? specific : "OTEL_EXPORTER_OTLP_\(suffix)"
        }
        guard case .invalidConfiguration(let problem) = error else { return "OTEL_EXPORTER_OTLP_*" }
        switch problem {
        case .endpointScheme, .endpointHost, .endpointPort, .endpointURL: return inForce("ENDPOINT")
        case .unsupportedProtocol(let variable, _): return variable
        case .header: return "OTEL_EXPORTER_OTLP_HEADERS or OTEL_EXPORTER_OTLP_TRACES_HEADERS"
        case .unknownCompression: return inForce("COMPRESSION")
        case .timeoutVariable, .timeoutNotPositive: return inForce("TIMEOUT")
        case .proxyURL(let variable): return variable
        default:
            return "OTEL_EXPORTER_OTLP_* (certificate, client certificate or key)"
        }
    }

    /// A millisecond variable in `minimum ... maxMillis`, or nil when unset or empty.
    private static func millis(_ name: String, _ environment: [String: String], minimum: Int)
        throws(LambdaConfigurationError) -> Int?
    {
        try integer(name, environment, minimum: minimum, maximum: maxMillis)
    }

    /// An integer variable in `minimum ... maximum`, or nil when unset or empty.
    private static func integer(_ name: String, _ environment: [String: String], minimum: Int, maximum: Int)
        throws(LambdaConfigurationError) -> Int?
    {
        guard let raw = environment[name], !raw.isEmpty else { return nil }
        let text = raw.trimmingSpacesAndLowercased
        guard let value = Int(text), value >= minimum, value <= maximum else {
            throw LambdaConfigurationError(
                variable: name,
                problem: "must be a whole number from \(minimum) to \(maximum), not '\(raw.prefix(64))'")
        }
        return value
    }
}
