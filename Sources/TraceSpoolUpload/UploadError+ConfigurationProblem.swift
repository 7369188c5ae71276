extension UploadError {
    /// What is wrong with a ``SpoolUploader/Configuration``; the description names the property or environment
    /// variable.
    public enum ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
        /// What is wrong with one entry of a header list.
        public enum HeaderProblem: Sendable, Equatable {
            /// The entry has no `=`.
            case missingEquals
            /// The name is empty, or not visible ASCII without `:`.
            case invalidName
            /// A `%` escape is malformed or does not decode to UTF-8.
            case invalidPercentEncoding
        }

        /// ``SpoolUploader/Configuration/spoolDirectories`` is empty.
        case noSpoolDirectory
        /// ``SpoolUploader/Configuration/Batching/maxSpans`` is below 1.
        case maxSpansBelowOne
        /// ``SpoolUploader/Configuration/Batching/maxBytes`` is below 1,024.
        case maxBytesBelow1024
        /// ``SpoolUploader/Configuration/Batching/maxInFlightBytes`` is below ``SpoolUploader/Configuration/Batching/maxBytes``.
        case maxInFlightBytesBelowMaxBytes
        /// ``SpoolUploader/Configuration/Follow/maxLatency`` is below 1 ms.
        case maxLatencyBelowOneMillisecond
        /// ``SpoolUploader/Configuration/maxSegmentAge`` is set and below 1 ms.
        case maxSegmentAgeBelowOneMillisecond
        /// The traces endpoint does not start with `http://` or `https://`.
        case endpointScheme
        /// The traces endpoint names no host, or a malformed one (an IPv6 address must be in brackets, a host name
        /// must not be percent-encoded).
        case endpointHost
        /// The traces endpoint's port (as given, at most 20 characters) is not a number from 1 to 65535.
        case endpointPort(String)
        /// Entry `entry` (1-based) of a header list (a variable's or one given in code) is malformed.
        case header(entry: Int, HeaderProblem)
        /// The compression (value given) is neither `gzip` nor `none`.
        case unknownCompression(String)
        /// `OTEL_EXPORTER_OTLP_TIMEOUT` (or its `TRACES_` variant; value given) is not a number of milliseconds.
        case timeoutVariable(String)
        /// The request timeout is below 1 ms.
        case timeoutNotPositive
        /// `OTEL_EXPORTER_OTLP_PROTOCOL` or its `TRACES_` variant (named) asks for a protocol (given) other than
        /// `http/protobuf`, the only one the uploader speaks.
        case unsupportedProtocol(variable: String, String)
        /// The traces endpoint is not a URL the HTTP client accepts (for example a space or another character that
        /// must be percent-encoded).
        case endpointURL
        /// What is wrong with a TLS file.
        public enum TLSFileProblem: Sendable, Equatable {
            /// The file does not exist or cannot be read by this process.
            case unreadable
            /// The file holds no PEM certificate.
            case noCertificate
            /// The file holds no unencrypted PEM private key.
            case noPrivateKey
        }
        /// A TLS file (path given: CA certificates, client certificate or client key) is unusable.
        case tlsFile(path: String, TLSFileProblem)
        /// One of the client certificate and the client key is set (`given`, by its setting's name) without the
        /// other (`missing`).
        case clientCertificatePair(given: String, missing: String)
        /// A proxy variable (named; its value is never shown, it may hold credentials) is not a usable proxy URL.
        case proxyURL(variable: String)

        /// The problem, naming the property or variable (never a header value).
        public var description: String {
            switch self {
            case .noSpoolDirectory: "give at least one spool directory"
            case .maxSpansBelowOne: "batching.maxSpans must be at least 1"
            case .maxBytesBelow1024: "batching.maxBytes must be at least 1024"
            case .maxInFlightBytesBelowMaxBytes: "batching.maxInFlightBytes must be at least batching.maxBytes"
            case .maxLatencyBelowOneMillisecond: "follow.maxLatency must be at least 1 ms"
            case .maxSegmentAgeBelowOneMillisecond: "maxSegmentAge must be at least 1 ms (nil turns retention off)"
            case .endpointScheme: "endpoint must start with http:// or https://"
            case .endpointHost:
                "endpoint must name a host after the scheme (an IPv6 address in brackets: http://[::1]:4318)"
            case .endpointPort(let port): "endpoint port must be a number from 1 to 65535, not '\(port)'"
            case .header(let entry, .missingEquals): "header entry \(entry) has no '=' (expected name=value)"
            case .header(let entry, .invalidName): "header entry \(entry) has an invalid name"
            case .header(let entry, .invalidPercentEncoding): "header entry \(entry) has invalid percent-encoding"
            case .unknownCompression(let value): "compression must be gzip or none, not \(value)"
            case .timeoutVariable(let value): "OTEL_EXPORTER_OTLP_TIMEOUT must be milliseconds, not \(value)"
            case .timeoutNotPositive: "timeout must be positive milliseconds"
            case .endpointURL:
                "endpoint is not a valid URL (spaces and other special characters must be percent-encoded)"
            case .tlsFile(let path, .unreadable): "TLS file \(path) cannot be read (check the path and its permissions)"
            case .tlsFile(let path, .noCertificate): "TLS file \(path) holds no PEM certificate"
            case .tlsFile(let path, .noPrivateKey): "TLS file \(path) holds no unencrypted PEM private key"
            case .clientCertificatePair(let given, let missing):
                "\(given) is set but \(missing) is not: give both (mutual TLS) or neither"
            case .proxyURL(let variable):
                "\(variable) is not a usable proxy URL (expected http://[user:password@]host[:port]; the value is not shown)"
            case .unsupportedProtocol(let variable, let value):
                "\(variable)=\(value) is not supported: the uploader sends OTLP/HTTP with protobuf bodies (http/protobuf), "
                    + "usually to port 4318"
            }
        }
    }
}
