import Logging
import SpoolBase
import TraceSpoolLambda

/// `tracespool-upload` as an AWS Lambda extension (`Docs/Uploader.md`, "AWS Lambda extension").
enum LambdaExtensionMode {
    /// Runs the extension with logfmt logs on standard error at `OTEL_LOG_LEVEL` (default notice) and returns its
    /// exit status.
    static func run() async -> Int32 {
        var level = Logger.Level.notice
        var levelProblem: LambdaConfigurationError?
        if let value = ProcessEnvironment.value(OTelLogLevel.variable), !value.isEmpty {
            if let variableLevel = OTelLogLevel.level(value) {
                level = variableLevel
            } else {
                levelProblem = LambdaConfigurationError(
                    variable: OTelLogLevel.variable,
                    problem: "must be one of trace, debug, info, warn, error, fatal, none, not '\(value.prefix(64))'")
            }
        }
        let chosen = level
        LoggingSystem.bootstrap { LogfmtLogHandler(label: $0, level: chosen) }
        let logger = Logger(label: "tracespool-upload")
        let executable = CommandLine.arguments.first ?? "tracespool-upload"
        let name = executable.split(separator: "/").last.map(String.init) ?? executable
        var lambdaExtension = LambdaExtension(
            environment: ProcessEnvironment.current, name: name, clock: ContinuousClock(), logger: logger)
        lambdaExtension.startupProblem = levelProblem
        return await lambdaExtension.run()
    }
}
