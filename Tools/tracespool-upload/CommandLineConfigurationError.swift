import TraceSpoolUpload

/// A configuration error as `tracespool-upload` words it: the library's problems, with the flag instead of the
/// property where a flag sets it, and the command line's own (sink selection).
struct CommandLineConfigurationError: Error, CustomStringConvertible {
    /// The explanation, with the next step.
    let description: String

    private init(description: String) {
        self.description = description
    }

    /// An error of the command line itself, described as `invalid configuration: <message>`.
    init(message: String) {
        self.init(description: "invalid configuration: \(message)")
    }

    /// Where the OTLP/HTTP settings came from: the flag or the variable that set each, as a message names it.
    struct SettingNames {
        /// The endpoint's flag or variable.
        var endpoint = "the endpoint"
        /// The header list's flag and variables.
        var headers = "the headers"
        /// The compression's flag or variable.
        var compression = "the compression"
        /// The flag or variable that named each TLS file (CA, client certificate, client key), by path.
        var tlsFiles: [String: String] = [:]
    }

    /// A library error, naming the flag or variable that set the value at fault (`names`).
    init(_ error: UploadError, naming names: SettingNames) {
        switch error {
        case .invalidConfiguration(let problem):
            switch problem {
            case .endpointScheme, .endpointHost, .endpointPort:
                self.init(message: "\(names.endpoint): \(problem)")
            case .header:
                self.init(message: "\(names.headers): \(problem)")
            case .unknownCompression:
                self.init(message: "\(names.compression): \(problem)")
            case .tlsFile(let path, _) where names.tlsFiles[path] != nil:
                self.init(message: "\(names.tlsFiles[path]!): \(problem)")
            default:
                self.init(error)
            }
        default:
            self.init(error)
        }
    }

    /// A library error, naming the flag where one sets the value.
    init(_ error: UploadError) {
        guard case .invalidConfiguration(let problem) = error else {
            self.init(description: error.description)
            return
        }
        switch problem {
        case .maxSpansBelowOne: self.init(message: "--max-batch-spans must be at least 1")
        case .maxBytesBelow1024: self.init(message: "--max-batch-bytes must be at least 1024")
        case .maxInFlightBytesBelowMaxBytes:
            self.init(message: "--max-in-flight-bytes must be at least --max-batch-bytes")
        case .maxLatencyBelowOneMillisecond: self.init(message: "--max-latency-ms must be positive")
        case .maxSegmentAgeBelowOneMillisecond: self.init(message: "--max-age-ms must be positive")
        case .noSpoolDirectory, .endpointScheme, .endpointHost, .endpointPort, .header, .unknownCompression,
            .timeoutVariable, .timeoutNotPositive, .unsupportedProtocol, .endpointURL, .tlsFile, .clientCertificatePair,
            .proxyURL:
            self.init(description: error.description)
        }
    }
}
