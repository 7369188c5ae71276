/// A configuration the extension cannot run with; reported to Lambda with `POST /extension/init/error` (error type
/// `Extension.ConfigurationError`), which fails the environment's init.
package struct LambdaConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The variable at fault (`TRACESPOOL_LAMBDA_HOLD_BUDGET_MS`, `OTEL_EXPORTER_OTLP_ENDPOINT`, ...).
    package var variable: String
    /// What is wrong and what to do.
    package var problem: String

    /// Creates the error.
    package init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    /// `<variable>: <problem>`.
    package var description: String { "\(variable): \(problem)" }

    /// The error type Lambda records (`Lambda-Extension-Function-Error-Type`).
    package static let errorType = "Extension.ConfigurationError"
}
