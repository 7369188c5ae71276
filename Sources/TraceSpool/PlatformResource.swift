import SpoolBase

/// Resource attributes of the serverless platform a process runs on, read from the variables the platform sets
/// (OpenTelemetry semantic conventions 1.44: `cloud.*`, `faas.*`, `gcp.cloud_run.job.*`). Never any network call:
/// what only a metadata server knows (the AWS account id, the Cloud Run region, project and instance id) is not
/// detected; set it in `OTEL_RESOURCE_ATTRIBUTES`.
///
/// - AWS Lambda (`AWS_LAMBDA_FUNCTION_NAME` set): `cloud.provider` aws, `cloud.platform` aws_lambda, `cloud.region`
///   (`AWS_REGION`), `faas.name`, `faas.version` (`AWS_LAMBDA_FUNCTION_VERSION`), `faas.instance`
///   (`AWS_LAMBDA_LOG_STREAM_NAME`, as the conventions say for Lambda) and `faas.max_memory` in bytes
///   (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE` is in MiB: "must be multiplied by 1,048,576"). Variables:
///   https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
/// - Google Cloud Run service (`K_CONFIGURATION` set): `cloud.provider` gcp, `cloud.platform` gcp_cloud_run,
///   `faas.name` (`K_SERVICE`), `faas.version` (`K_REVISION`). Job (`CLOUD_RUN_JOB` set): `cloud.provider` gcp,
///   `cloud.platform` gcp_cloud_run, `faas.name` (`CLOUD_RUN_JOB`), `gcp.cloud_run.job.execution`
///   (`CLOUD_RUN_EXECUTION`), `gcp.cloud_run.job.task_index` (`CLOUD_RUN_TASK_INDEX`, an integer). The same variables
///   and mapping as OpenTelemetry's GCP detector (GoogleCloudPlatform/opentelemetry-operations-go,
///   `detectors/gcp/faas.go`); variables: https://cloud.google.com/run/docs/container-contract#env-vars.
///   `CLOUD_RUN_TASK_ATTEMPT` has no attribute in the conventions and is not recorded.
///
/// Empty variables count as unset; an integer variable that does not parse is left out.
public struct PlatformResource: Sendable, Equatable {
    /// One detected attribute.
    public struct Attribute: Sendable, Equatable {
        /// The attribute key, e.g. `faas.name`.
        public var key: String
        /// The value.
        public var value: Value

        /// An attribute `key` = `value`.
        public init(_ key: String, _ value: Value) {
            self.key = key
            self.value = value
        }
    }

    /// A detected value: the conventions type these attributes as strings or integers.
    public enum Value: Sendable, Equatable {
        /// A string.
        case string(String)
        /// An integer.
        case int(Int64)
    }

    /// The detected attributes, in detection order (empty when no platform was recognised).
    public var attributes: [Attribute]

    /// A resource of `attributes`.
    public init(attributes: [Attribute] = []) {
        self.attributes = attributes
    }

    /// The string value of `key`, if detected.
    public func string(_ key: String) -> String? {
        for attribute in attributes where attribute.key == key {
            if case .string(let value) = attribute.value { return value }
        }
        return nil
    }

    /// The attributes the variables in `environment` describe (see the type's documentation).
    public static func detect(_ environment: [String: String]) -> PlatformResource {
        func value(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        var found: [Attribute] = []
        func add(_ key: String, _ variable: String) {
            if let v = value(variable) { found.append(Attribute(key, .string(v))) }
        }
        if let function = value("AWS_LAMBDA_FUNCTION_NAME") {
            found.append(Attribute("cloud.provider", .string("aws")))
            found.append(Attribute("cloud.platform", .string("aws_lambda")))
            add("cloud.region", "AWS_REGION")
            found.append(Attribute("faas.name", .string(function)))
            add("faas.version", "AWS_LAMBDA_FUNCTION_VERSION")
            add("faas.instance", "AWS_LAMBDA_LOG_STREAM_NAME")
            if let raw = value("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
                let mebibytes = Int64(raw.trimmingSpaces), mebibytes > 0,
                case (let bytes, false) = mebibytes.multipliedReportingOverflow(by: 1 << 20)
            {
                found.append(Attribute("faas.max_memory", .int(bytes)))
            }
        } else if let job = value("CLOUD_RUN_JOB") {
            found.append(Attribute("cloud.provider", .string("gcp")))
            found.append(Attribute("cloud.platform", .string("gcp_cloud_run")))
            found.append(Attribute("faas.name", .string(job)))
            add("gcp.cloud_run.job.execution", "CLOUD_RUN_EXECUTION")
            if let raw = value("CLOUD_RUN_TASK_INDEX"), let index = Int64(raw.trimmingSpaces), index >= 0 {
                found.append(Attribute("gcp.cloud_run.job.task_index", .int(index)))
            }
        } else if value("K_CONFIGURATION") != nil {
            found.append(Attribute("cloud.provider", .string("gcp")))
            found.append(Attribute("cloud.platform", .string("gcp_cloud_run")))
            add("faas.name", "K_SERVICE")
            add("faas.version", "K_REVISION")
        }
        return PlatformResource(attributes: found)
    }
}
