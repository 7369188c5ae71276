import SpoolBase
import SpoolFormat

extension TracerConfiguration {
    /// The variable that switches platform detection off (`detectsPlatform`).
    static let detectPlatformVariable = "TRACESPOOL_DETECT_PLATFORM"

    /// Reads `TRACESPOOL_DETECT_PLATFORM` and, unless it is off, detects the platform from `environment` and, when
    /// neither `OTEL_SERVICE_NAME` nor a `service.name` in `OTEL_RESOURCE_ATTRIBUTES` names the service, names it
    /// after the detected function (`faas.name`). The OpenTelemetry Lambda layers do the same: their wrapper sets
    /// `service.name` to `AWS_LAMBDA_FUNCTION_NAME` unless the user set one (open-telemetry/opentelemetry-lambda,
    /// `python/src/otel/otel_sdk/otel-instrument`).
    mutating func detectPlatform(_ environment: [String: String], problems: inout [String]) {
        if let raw = environment[Self.detectPlatformVariable], !raw.isEmpty {
            switch raw.trimmingSpaces.lowercased() {
            case "off", "false", "0", "no": detectsPlatform = false
            case "on", "true", "1", "yes": detectsPlatform = true
            default: problems.append("\(Self.detectPlatformVariable)=\(raw) is not on or off; detection stays on")
            }
        }
        guard detectsPlatform else { return }
        platformResource = PlatformResource.detect(environment)
        let named =
            (environment["OTEL_SERVICE_NAME"].map { !$0.isEmpty } ?? false)
            || resourceAttributes.contains { $0.0 == AttributeNames.serviceName }
        if !named, let function = platformResource.string("faas.name") { serviceName = function }
    }
}
