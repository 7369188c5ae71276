import Logging

/// `OTEL_LOG_LEVEL`: the log level when `--log-level` is not given.
enum OTelLogLevel {
    /// The variable's name.
    static let variable = "OTEL_LOG_LEVEL"

    /// The swift-log level of an `OTEL_LOG_LEVEL` value, case-insensitive: the OpenTelemetry severity names
    /// `trace`, `debug`, `info`, `warn`, `error`, `fatal` (and swift-log's `notice`, `warning`, `critical`), `all`
    /// (= `trace`) and `none` (only critical events: configuration errors).
    ///
    /// - Returns: nil for any other value.
    static func level(_ value: String) -> Logger.Level? {
        switch value.lowercased() {
        case "trace", "all", "verbose": .trace
        case "debug": .debug
        case "info": .info
        case "notice": .notice
        case "warn", "warning": .warning
        case "error": .error
        case "fatal", "critical", "none": .critical
        default: nil
        }
    }
}
