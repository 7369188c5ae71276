import SpoolBase

/// How to reach an OTLP/HTTP traces endpoint, from flags and the standard `OTEL_EXPORTER_OTLP_*` variables.
public struct OTLPHTTPConfiguration: Sendable {
    /// Request body compression.
    public enum Compression: String, Sendable {
        /// No compression.
        case none
        /// `Content-Encoding: gzip`.
        case gzip
    }

    /// The full traces URL, e.g. `http://127.0.0.1:4318/v1/traces`.
    public var tracesURL: String
    /// Extra request headers (e.g. authentication). Never logged and never written to disk.
    public var headers: [(name: String, value: String)]
    /// Body compression.
    public var compression: Compression
    /// The timeout of one request, milliseconds.
    public var timeoutMillis: Int
    /// A PEM file of extra trusted CA certificates for HTTPS (a private CA); nil = the system trust store only.
    /// Certificate and host name verification stay on either way.
    public var caFilePath: String?

    /// Creates a configuration.
    public init(
        tracesURL: String, headers: [(name: String, value: String)] = [], compression: Compression = .none,
        timeoutMillis: Int = 10_000, caFilePath: String? = nil
    ) {
        self.caFilePath = caFilePath
        self.tracesURL = tracesURL
        self.headers = headers
        self.compression = compression
        self.timeoutMillis = timeoutMillis
    }

    /// Resolves the configuration: flags override `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is), which overrides
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` (a base URL to which `/v1/traces` is appended).
    ///
    /// - Parameters:
    ///   - endpoint: `--endpoint`, a base URL (`/v1/traces` appended).
    ///   - tracesEndpoint: `--traces-endpoint`, used as is.
    ///   - headers: `--header name=value` values, added after (and overriding) the environment's.
    ///   - compression: `--compression`.
    ///   - timeoutMillis: `--timeout-ms`.
    ///   - environment: the process environment.
    /// - Returns: nil when no endpoint is configured anywhere (the SQLite sink is then the default).
    /// - Throws: `UploadError.invalidConfiguration` for a malformed URL, header list, compression or timeout.
    public static func resolve(
        endpoint: String?, tracesEndpoint: String?, headers: [String], compression: String?, timeoutMillis: Int?,
        environment: [String: String]
    ) throws(UploadError) -> OTLPHTTPConfiguration? {
        let url: String
        if let tracesEndpoint, !tracesEndpoint.isEmpty {
            url = tracesEndpoint
        } else if let endpoint, !endpoint.isEmpty {
            url = appendingTracesPath(endpoint)
        } else if let e = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], !e.isEmpty {
            url = e
        } else if let e = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !e.isEmpty {
            url = appendingTracesPath(e)
        } else {
            return nil
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw .invalidConfiguration("endpoint must start with http:// or https://")
        }
        var parsedHeaders: [(name: String, value: String)] = []
        if let env = environment["OTEL_EXPORTER_OTLP_TRACES_HEADERS"] ?? environment["OTEL_EXPORTER_OTLP_HEADERS"] {
            parsedHeaders = try parseHeaders(env)
        }
        for flag in headers {
            let pair = try parseHeaders(flag)
            for h in pair {
                parsedHeaders.removeAll { $0.name.lowercased() == h.name.lowercased() }
                parsedHeaders.append(h)
            }
        }
        let compressionText =
            compression ?? environment["OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"]
            ?? environment["OTEL_EXPORTER_OTLP_COMPRESSION"] ?? "none"
        guard let c = Compression(rawValue: compressionText.lowercased().trimmingSpaces) else {
            throw .invalidConfiguration("compression must be gzip or none, not \(compressionText)")
        }
        var timeout = 10_000
        if let timeoutMillis {
            timeout = timeoutMillis
        } else if let t = environment["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"] ?? environment["OTEL_EXPORTER_OTLP_TIMEOUT"]
        {
            guard let v = Int(t.trimmingSpaces) else {
                throw .invalidConfiguration("OTEL_EXPORTER_OTLP_TIMEOUT must be milliseconds, not \(t)")
            }
            timeout = v
        }
        guard timeout > 0 else { throw .invalidConfiguration("timeout must be positive milliseconds") }
        return OTLPHTTPConfiguration(tracesURL: url, headers: parsedHeaders, compression: c, timeoutMillis: timeout)
    }

    /// `base` + `/v1/traces` (without doubling the slash).
    public static func appendingTracesPath(_ base: String) -> String {
        base.hasSuffix("/") ? base + "v1/traces" : base + "/v1/traces"
    }

    /// Parses a header list `name1=value1,name2=value2` in the OpenTelemetry format (`KeyValueList`: trimmed,
    /// percent-decoded names and values; blank entries skipped). A name must be visible ASCII without `:`.
    ///
    /// - Throws: `UploadError.invalidConfiguration` naming the position (never the value) of a bad entry.
    public static func parseHeaders(_ text: String) throws(UploadError) -> [(name: String, value: String)] {
        let entries: [KeyValueList.Entry]
        do throws(KeyValueListError) {
            entries = try KeyValueList.parse(text)
        } catch {
            switch error.problem {
            case .missingEquals:
                throw .invalidConfiguration("header entry \(error.position) has no '=' (expected name=value)")
            case .emptyKey:
                throw .invalidConfiguration("header entry \(error.position) has an invalid name")
            case .invalidPercentEncoding, .invalidUTF8:
                throw .invalidConfiguration("header entry \(error.position) has invalid percent-encoding")
            }
        }
        for entry in entries {
            guard entry.key.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else {
                throw .invalidConfiguration("header entry \(entry.position) has an invalid name")
            }
        }
        return entries.map { (name: $0.key, value: $0.value) }
    }
}
