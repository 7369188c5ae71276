extension SpoolUploader.Configuration {
    /// How to reach an OTLP/HTTP traces endpoint.
    ///
    /// Create one in code, or read it from the standard variables with ``fromEnvironment()``: each property names
    /// the variables it is read from (the `TRACES_` variant wins over the generic one), as in the OpenTelemetry OTLP
    /// exporter specification.
    ///
    /// HTTPS verifies certificates and host names against the system trust store (plus ``certificateFilePath``),
    /// and presents a client certificate when ``clientCertificateFilePath`` and ``clientKeyFilePath`` are set (mutual
    /// TLS); connections go through ``proxy`` when one is set, are kept alive and reused; redirects are not followed
    /// (a 3xx is reported as a configuration problem and the batch stays in the spool).
    public struct OTLPHTTPExporter: Sendable {
        /// Request body compression.
        public enum Compression: String, Sendable {
            /// No compression.
            case none
            /// `Content-Encoding: gzip` (system zlib, level 1).
            case gzip
        }

        /// The full traces URL, used as is, e.g. `http://collector:4318/v1/traces`. Must start with `http://` or
        /// `https://`.
        ///
        /// - Environment variables: `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (used as is), else
        ///   `OTEL_EXPORTER_OTLP_ENDPOINT` (a base URL to which `/v1/traces` is appended).
        /// - Default value: none; required.
        public var tracesEndpoint: String

        /// Extra request headers, e.g. authentication. Never logged and never written to disk (not in logs, dead
        /// letters or metrics).
        ///
        /// - Environment variables: `OTEL_EXPORTER_OTLP_TRACES_HEADERS`, else `OTEL_EXPORTER_OTLP_HEADERS`
        ///   (`name1=value1,name2=value2`, names and values percent-decoded).
        /// - Default value: none.
        public var headers: [(name: String, value: String)]

        /// Request body compression.
        ///
        /// - Environment variables: `OTEL_EXPORTER_OTLP_TRACES_COMPRESSION`, else `OTEL_EXPORTER_OTLP_COMPRESSION`
        ///   (`gzip` or `none`).
        /// - Default value: ``Compression/none``.
        public var compression: Compression

        /// The timeout of one request (connecting takes at most 10 s of it).
        ///
        /// - Environment variables: `OTEL_EXPORTER_OTLP_TRACES_TIMEOUT`, else `OTEL_EXPORTER_OTLP_TIMEOUT`
        ///   (milliseconds).
        /// - Default value: 10 s. Must be at least 1 ms.
        public var timeout: Duration

        /// A PEM file of extra trusted CA certificates for HTTPS (a private CA); nil trusts the system store only.
        /// Certificate and host name verification stay on either way. Must be readable and hold at least one PEM
        /// certificate.
        ///
        /// - Environment variables: `OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE`, else `OTEL_EXPORTER_OTLP_CERTIFICATE`.
        /// - Default value: nil.
        public var certificateFilePath: String?

        /// A PEM file with the client certificate (the leaf first, then any intermediates) presented to the server
        /// for mutual TLS. Set both it and ``clientKeyFilePath``, or neither.
        ///
        /// - Environment variables: `OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE`, else
        ///   `OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE`.
        /// - Default value: nil.
        public var clientCertificateFilePath: String?

        /// A PEM file with the private key of ``clientCertificateFilePath`` (unencrypted).
        ///
        /// - Environment variables: `OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY`, else `OTEL_EXPORTER_OTLP_CLIENT_KEY`.
        /// - Default value: nil.
        public var clientKeyFilePath: String?

        /// The HTTP proxy that requests go through (a `CONNECT` tunnel, also for `http://` endpoints); nil connects
        /// directly.
        ///
        /// - Environment variables, as curl reads them: for an `https://` endpoint `https_proxy`, else
        ///   `HTTPS_PROXY`; for an `http://` endpoint `http_proxy`, else `HTTP_PROXY`; none when the endpoint's host
        ///   matches `no_proxy` (else `NO_PROXY`). See ``Proxy/fromEnvironment(_:endpoint:)``.
        /// - Default value: nil.
        public var proxy: Proxy?

        /// The request timeout when none is given (in code, by flag or by `OTEL_EXPORTER_OTLP_TIMEOUT`): 10 s, the
        /// OpenTelemetry specification's default.
        public static let defaultTimeout = Duration.seconds(10)

        /// Creates an exporter configuration for `tracesEndpoint`.
        public init(
            tracesEndpoint: String, headers: [(name: String, value: String)] = [], compression: Compression = .none,
            timeout: Duration = OTLPHTTPExporter.defaultTimeout, certificateFilePath: String? = nil,
            clientCertificateFilePath: String? = nil, clientKeyFilePath: String? = nil, proxy: Proxy? = nil
        ) {
            self.tracesEndpoint = tracesEndpoint
            self.headers = headers
            self.compression = compression
            self.timeout = timeout
            self.certificateFilePath = certificateFilePath
            self.clientCertificateFilePath = clientCertificateFilePath
            self.clientKeyFilePath = clientKeyFilePath
            self.proxy = proxy
        }
    }
}
