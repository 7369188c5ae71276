import SpoolBase

extension SpoolUploader.Configuration.OTLPHTTPExporter {
    /// The exporter configured by this process's `OTEL_EXPORTER_OTLP_*` variables (see each property), or nil when
    /// neither `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` nor `OTEL_EXPORTER_OTLP_ENDPOINT` is set (or both are empty).
    ///
    /// - Throws: `UploadError.invalidConfiguration` for a URL that is not `http://` or `https://`, a malformed header
    ///   list (naming the entry's position, never its value), an unknown compression, a timeout that is not a
    ///   positive number of milliseconds, a TLS file that cannot be read or parsed, a client certificate without
    ///   its key (or the reverse), or a malformed proxy variable.
    public static func fromEnvironment() throws(UploadError) -> Self? {
        try fromEnvironment(ProcessEnvironment.current)
    }

    /// The exporter configured by the `OTEL_EXPORTER_OTLP_*` variables of `environment`; see ``fromEnvironment()``.
    public static func fromEnvironment(_ environment: [String: String]) throws(UploadError) -> Self? {
        try resolve(overrides: Overrides(), environment: environment)
    }

    /// Values given explicitly (for example on a command line) that win over the environment.
    package struct Overrides: Sendable {
        /// A base URL to which `/v1/traces` is appended; wins over both endpoint variables.
        package var endpoint: String?
        /// A traces URL used as is; wins over `endpoint` and both endpoint variables.
        package var tracesEndpoint: String?
        /// Header lists (`name=value,...`), each parsed as `OTEL_EXPORTER_OTLP_HEADERS` is; added after the
        /// environment's headers, replacing those of the same name (case-insensitive).
        package var headers: [String] = []
        /// `gzip` or `none`; wins over the compression variables.
        package var compression: String?
        /// Milliseconds; wins over the timeout variables.
        package var timeoutMillis: Int?
        /// A PEM file of trusted CA certificates (`--ca-file`); wins over the certificate variables.
        package var certificateFile: String?
        /// The client certificate (`--client-cert`); wins over the client certificate variables. Errors name it by
        /// its flag.
        package var clientCertificateFile: String?
        /// The client key (`--client-key`); wins over the client key variables. Errors name it by its flag.
        package var clientKeyFile: String?

        /// No overrides.
        package init() {}
    }

    /// Resolves the exporter: `overrides` win over `OTEL_EXPORTER_OTLP_TRACES_*`, which win over
    /// `OTEL_EXPORTER_OTLP_*`. Values that an override replaces are not read (a malformed variable then is no
    /// error).
    ///
    /// - Returns: nil when no endpoint is configured anywhere.
    /// - Throws: `UploadError.invalidConfiguration` for a malformed URL, a protocol other than `http/protobuf`
    ///   (`OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`), header list, compression,
    ///   timeout, TLS files (`OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE`, `..._CLIENT_CERTIFICATE`, `..._CLIENT_KEY`;
    ///   a client certificate and key both or neither, named by flag or variable) or proxy variable, in that order.
    package static func resolve(overrides: Overrides, environment: [String: String]) throws(UploadError) -> Self? {
        let url: String
        if let tracesEndpoint = overrides.tracesEndpoint, !tracesEndpoint.isEmpty {
            url = tracesEndpoint
        } else if let endpoint = overrides.endpoint, !endpoint.isEmpty {
            url = appendingTracesPath(endpoint)
        } else if let e = environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"], !e.isEmpty {
            url = e
        } else if let e = environment["OTEL_EXPORTER_OTLP_ENDPOINT"], !e.isEmpty {
            url = appendingTracesPath(e)
        } else {
            return nil
        }
        try checkEndpoint(url)
        for name in ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            guard value == "http/protobuf" else {
                throw .invalidConfiguration(.unsupportedProtocol(variable: name, value))
            }
            break
        }
        var parsedHeaders: [(name: String, value: String)] = []
        if let env = environment["OTEL_EXPORTER_OTLP_TRACES_HEADERS"] ?? environment["OTEL_EXPORTER_OTLP_HEADERS"] {
            parsedHeaders = try parseHeaders(env)
        }
        for list in overrides.headers {
            for h in try parseHeaders(list) {
                parsedHeaders.removeAll { $0.name.lowercased() == h.name.lowercased() }
                parsedHeaders.append(h)
            }
        }
        let compressionText =
            overrides.compression ?? environment["OTEL_EXPORTER_OTLP_TRACES_COMPRESSION"]
            ?? environment["OTEL_EXPORTER_OTLP_COMPRESSION"] ?? "none"
        guard let compression = Compression(rawValue: compressionText.lowercased().trimmingSpaces) else {
            throw .invalidConfiguration(.unknownCompression(compressionText))
        }
        var timeoutMillis = defaultTimeout.wholeMilliseconds
        if let override = overrides.timeoutMillis {
            timeoutMillis = override
        } else if let t = environment["OTEL_EXPORTER_OTLP_TRACES_TIMEOUT"] ?? environment["OTEL_EXPORTER_OTLP_TIMEOUT"]
        {
            guard let v = Int(t.trimmingSpaces) else { throw .invalidConfiguration(.timeoutVariable(t)) }
            timeoutMillis = v
        }
        let timeout = Duration.milliseconds(timeoutMillis)
        try checkTimeout(timeout)
        var exporter = Self(tracesEndpoint: url, headers: parsedHeaders, compression: compression, timeout: timeout)
        /// The override, else the `TRACES_` variable, else the generic one (empty values count as unset), and the
        /// name of the setting that gave it.
        func setting(_ override: String?, flag: String, variable: String) -> (value: String, name: String)? {
            if let override { return (override, flag) }
            for name in ["OTEL_EXPORTER_OTLP_TRACES_\(variable)", "OTEL_EXPORTER_OTLP_\(variable)"] {
                if let value = environment[name], !value.isEmpty { return (value, name) }
            }
            return nil
        }
        exporter.certificateFilePath =
            setting(overrides.certificateFile, flag: "--ca-file", variable: "CERTIFICATE")?.value
        let certificate = setting(
            overrides.clientCertificateFile, flag: "--client-cert", variable: "CLIENT_CERTIFICATE")
        let key = setting(overrides.clientKeyFile, flag: "--client-key", variable: "CLIENT_KEY")
        exporter.clientCertificateFilePath = certificate?.value
        exporter.clientKeyFilePath = key?.value
        let names = ClientCertificateNames(
            certificate: certificate?.name ?? "--client-cert or OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE",
            key: key?.name ?? "--client-key or OTEL_EXPORTER_OTLP_CLIENT_KEY")
        _ = try exporter.tlsConfiguration(names: names)
        exporter.proxy = try Proxy.fromEnvironment(environment, endpoint: url)
        return exporter
    }

    /// `base` + `/v1/traces` (without doubling the slash).
    package static func appendingTracesPath(_ base: String) -> String {
        base.hasSuffix("/") ? base + "v1/traces" : base + "/v1/traces"
    }

    /// Checks that a traces URL is one the HTTP client can connect to: `http://` or `https://`, then a host (a name,
    /// an IPv4 address, or an IPv6 address in brackets), then optionally `:` and a port from 1 to 65535, then the
    /// path.
    ///
    /// - Throws: `UploadError.invalidConfiguration` with `.endpointScheme`, `.endpointHost` or `.endpointPort`.
    package static func checkEndpoint(_ url: String) throws(UploadError) {
        _ = try EndpointAddress(url: url)
    }

    /// Checks that a request timeout is at least one millisecond.
    ///
    /// - Throws: `UploadError.invalidConfiguration(.timeoutNotPositive)` when it is not.
    package static func checkTimeout(_ timeout: Duration) throws(UploadError) {
        guard timeout.wholeMilliseconds >= 1 else { throw .invalidConfiguration(.timeoutNotPositive) }
    }

    /// Parses a header list `name1=value1,name2=value2` in the OpenTelemetry format (`KeyValueList`: trimmed,
    /// percent-decoded names and values; blank entries skipped). A name must be visible ASCII without `:`.
    ///
    /// - Throws: `UploadError.invalidConfiguration(.header)` naming the position (never the value) of a bad entry.
    package static func parseHeaders(_ text: String) throws(UploadError) -> [(name: String, value: String)] {
        let entries: [KeyValueList.Entry]
        do throws(KeyValueListError) {
            entries = try KeyValueList.parse(text)
        } catch {
            switch error.problem {
            case .missingEquals:
                throw .invalidConfiguration(.header(entry: error.position, .missingEquals))
            case .emptyKey:
                throw .invalidConfiguration(.header(entry: error.position, .invalidName))
            case .invalidPercentEncoding, .invalidUTF8:
                throw .invalidConfiguration(.header(entry: error.position, .invalidPercentEncoding))
            }
        }
        for entry in entries {
            guard entry.key.utf8.allSatisfy({ $0 > 32 && $0 < 127 && $0 != UInt8(ascii: ":") }) else {
                throw .invalidConfiguration(.header(entry: entry.position, .invalidName))
            }
        }
        return entries.map { (name: $0.key, value: $0.value) }
    }
}
