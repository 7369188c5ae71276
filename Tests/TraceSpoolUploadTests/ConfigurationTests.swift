import Testing
import TraceSpoolUpload

private typealias Exporter = SpoolUploader.Configuration.OTLPHTTPExporter

@Suite struct ConfigurationTests {
    @Test func retryAfterParsesSecondsAndAllHTTPDateForms() {
        #expect(RetryAfter.millis("3") == 3000)
        #expect(RetryAfter.millis(" 0 ") == 0)
        let now = 784_111_777  // Sun, 06 Nov 1994 08:49:37 GMT
        #expect(RetryAfter.millis("Sun, 06 Nov 1994 08:49:47 GMT", nowUnixSeconds: now) == 10_000)
        #expect(RetryAfter.millis("Sunday, 06-Nov-94 08:49:57 GMT", nowUnixSeconds: now) == 20_000)
        #expect(RetryAfter.millis("Sun Nov  6 08:50:37 1994", nowUnixSeconds: now) == 60_000)
        #expect(RetryAfter.millis("Sun, 06 Nov 1994 08:00:00 GMT", nowUnixSeconds: now) == 0)
        #expect(RetryAfter.millis("soon") == nil)
        #expect(RetryAfter.millis("-5") == nil)
    }

    @Test func fullJitterStaysUnderTheCappedCeiling() {
        let policy = RetryPolicy(baseMillis: 100, capMillis: 1000, maxElapsedMillis: 10_000)
        #expect(policy.ceilingMillis(attempt: 0) == 100)
        #expect(policy.ceilingMillis(attempt: 3) == 800)
        #expect(policy.ceilingMillis(attempt: 4) == 1000)
        #expect(policy.ceilingMillis(attempt: 500) == 1000)
        for attempt in 0..<20 {
            let d = policy.jitteredDelayMillis(attempt: attempt)
            #expect(d >= 0 && d <= policy.ceilingMillis(attempt: attempt))
        }
        #expect(policy.delayMillis(attempt: 0, retryAfterMillis: 5000) == 5000)
        #expect(RetryPolicy(maxRetryAfterMillis: 2000).delayMillis(attempt: 0, retryAfterMillis: 99_000) <= 2000)
    }

    @Test func endpointVariablesFollowTheOTLPExporterSpec() throws {
        let env = [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318",
            "OTEL_EXPORTER_OTLP_HEADERS": "api-key=se%3Dcret, x-tenant = a%20b",
            "OTEL_EXPORTER_OTLP_COMPRESSION": "gzip",
            "OTEL_EXPORTER_OTLP_TIMEOUT": "2500",
        ]
        let c = try #require(try Exporter.fromEnvironment(env))
        #expect(c.tracesEndpoint == "http://collector:4318/v1/traces")
        #expect(c.headers.map(\.name) == ["api-key", "x-tenant"])
        #expect(c.headers.map(\.value) == ["se=cret", "a b"])
        #expect(c.compression == .gzip)
        #expect(c.timeout == .milliseconds(2500))

        var traces = env
        traces["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "https://x.example/custom/path"
        let t = try #require(try Exporter.fromEnvironment(traces))
        #expect(t.tracesEndpoint == "https://x.example/custom/path")

        var overrides = Exporter.Overrides()
        overrides.endpoint = "http://127.0.0.1:9/"
        overrides.headers = ["api-key=flag"]
        overrides.compression = "none"
        overrides.timeoutMillis = 100
        let flags = try #require(try Exporter.resolve(overrides: overrides, environment: traces))
        #expect(flags.tracesEndpoint == "http://127.0.0.1:9/v1/traces")
        #expect(flags.headers.first { $0.name == "api-key" }?.value == "flag")
        #expect(flags.compression == .none)
        #expect(flags.timeout == .milliseconds(100))

        #expect(try Exporter.fromEnvironment([:]) == nil)
        var ftp = Exporter.Overrides()
        ftp.endpoint = "ftp://x"
        #expect(throws: UploadError.invalidConfiguration(.endpointScheme)) {
            try Exporter.resolve(overrides: ftp, environment: [:])
        }
        #expect(throws: UploadError.self) { try Exporter.parseHeaders("novalue") }
        // A variable an override replaces is not read.
        var badEnvironment = env
        badEnvironment["OTEL_EXPORTER_OTLP_COMPRESSION"] = "brotli"
        badEnvironment["OTEL_EXPORTER_OTLP_TIMEOUT"] = "soon"
        var replacing = Exporter.Overrides()
        replacing.compression = "gzip"
        replacing.timeoutMillis = 5
        #expect(try Exporter.resolve(overrides: replacing, environment: badEnvironment)?.compression == .gzip)
        #expect(throws: UploadError.invalidConfiguration(.unknownCompression("brotli"))) {
            try Exporter.fromEnvironment(badEnvironment)
        }
    }

    @Test("a protocol other than http/protobuf is a configuration error naming the variable; the TRACES_ one wins")
    func protocolVariables() throws {
        typealias Exporter = SpoolUploader.Configuration.OTLPHTTPExporter
        let endpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"]
        #expect(
            try Exporter.fromEnvironment(endpoint.merging(["OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"]) { $1 })
                != nil)
        #expect(try Exporter.fromEnvironment(endpoint.merging(["OTEL_EXPORTER_OTLP_PROTOCOL": ""]) { $1 }) != nil)
        #expect(
            throws: UploadError.invalidConfiguration(
                .unsupportedProtocol(variable: "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))
        ) {
            try Exporter.fromEnvironment(endpoint.merging(["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]) { $1 })
        }
        #expect(
            throws: UploadError.invalidConfiguration(
                .unsupportedProtocol(variable: "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/json"))
        ) {
            try Exporter.fromEnvironment(
                endpoint.merging([
                    "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/json", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf",
                ]) { $1 })
        }
        let specificWins = endpoint.merging(
            ["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "http/protobuf", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]) { $1 }
        #expect(try Exporter.fromEnvironment(specificWins) != nil)
        // Without an endpoint nothing is sent, and the protocol is not read.
        #expect(try Exporter.fromEnvironment(["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]) == nil)
        #expect(
            UploadError.invalidConfiguration(.unsupportedProtocol(variable: "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"))
                .description
                == "invalid configuration: OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported: the uploader sends OTLP/HTTP "
                + "with protobuf bodies (http/protobuf), usually to port 4318")
    }

    @Test("endpoints are checked whole: scheme, host (IPv6 in brackets) and port range")
    func endpointsAreCheckedWhole() throws {
        typealias Exporter = SpoolUploader.Configuration.OTLPHTTPExporter
        for valid in [
            "http://127.0.0.1:4318/v1/traces", "https://otlp.example.com/v1/traces", "http://[::1]:4318/v1/traces",
            "http://[fe80::1%25eth0]:4318", "http://user@collector:1/x", "http://collector:65535?a=b", "http://c#f",
        ] {
            #expect(throws: Never.self, "\(valid)") { try Exporter.checkEndpoint(valid) }
        }
        let invalid: [(String, UploadError.ConfigurationProblem)] = [
            ("ftp://x", .endpointScheme), ("http:/x", .endpointScheme), ("collector:4318", .endpointScheme),
            ("http://", .endpointHost), ("http://:4318", .endpointHost), ("http://::1:4318", .endpointHost),
            ("http://[::1", .endpointHost), ("http://[]:4318", .endpointHost), ("http://[::1]x", .endpointHost),
            ("http://a b", .endpointHost), ("http://127.0.0.1:99999", .endpointPort("99999")),
            ("http://h:0", .endpointPort("0")), ("http://h:", .endpointPort("")), ("http://h:-1", .endpointPort("-1")),
            ("http://h:4318x/v1", .endpointPort("4318x")), ("http://[::1]:70000", .endpointPort("70000")),
            ("http://h:+80", .endpointPort("+80")),
        ]
        for (url, problem) in invalid {
            #expect(throws: UploadError.invalidConfiguration(problem), "\(url)") { try Exporter.checkEndpoint(url) }
        }
        // The configuration an uploader is made with is checked the same way.
        let configuration = SpoolUploader.Configuration(
            spoolDirectories: ["/nonexistent"], destination: .otlpHTTP(.init(tracesEndpoint: "http://127.0.0.1:99999")))
        #expect(throws: UploadError.invalidConfiguration(.endpointPort("99999"))) { try configuration.validate() }
    }

    @Test func problemsNameThePropertyOrVariable() {
        let messages: [(UploadError.ConfigurationProblem, String)] = [
            (.noSpoolDirectory, "give at least one spool directory"),
            (.maxSpansBelowOne, "batching.maxSpans must be at least 1"),
            (.maxBytesBelow1024, "batching.maxBytes must be at least 1024"),
            (.maxInFlightBytesBelowMaxBytes, "batching.maxInFlightBytes must be at least batching.maxBytes"),
            (.maxLatencyBelowOneMillisecond, "follow.maxLatency must be at least 1 ms"),
            (.endpointScheme, "endpoint must start with http:// or https://"),
            (
                .endpointHost,
                "endpoint must name a host after the scheme (an IPv6 address in brackets: http://[::1]:4318)"
            ),
            (.endpointPort("99999"), "endpoint port must be a number from 1 to 65535, not '99999'"),
            (.unknownCompression("brotli"), "compression must be gzip or none, not brotli"),
            (.timeoutVariable("soon"), "OTEL_EXPORTER_OTLP_TIMEOUT must be milliseconds, not soon"),
            (.timeoutNotPositive, "timeout must be positive milliseconds"),
        ]
        for (problem, message) in messages {
            #expect(UploadError.invalidConfiguration(problem).description == "invalid configuration: \(message)")
        }
    }

    @Test func headerListsFollowTheOpenTelemetryFormat() throws {
        let headers = try Exporter.parseHeaders(" api-key = a%20b%2Cc ,, %41uth=x=y,empty=")
        #expect(headers.map(\.name) == ["api-key", "Auth", "empty"])
        #expect(headers.map(\.value) == ["a b,c", "x=y", ""])
        let problems = [
            ("a=1,secret", "header entry 2 has no '=' (expected name=value)"),
            ("=secret", "header entry 1 has an invalid name"),
            ("a b=secret", "header entry 1 has an invalid name"),
            ("a=1,n%20m=secret", "header entry 2 has an invalid name"),
            ("a:b=secret", "header entry 1 has an invalid name"),
            ("k=secret%zz", "header entry 1 has invalid percent-encoding"),
            ("k=secret%ff", "header entry 1 has invalid percent-encoding"),
        ]
        for (text, message) in problems {
            let error = #expect(throws: UploadError.self) { try Exporter.parseHeaders(text) }
            #expect(error?.description == "invalid configuration: \(message)")
        }
    }

    @Test func gzipRoundTrips() throws {
        let input = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 7 % 13) }
        let compressed = try #require(Gzip.compress(input))
        #expect(compressed.count < input.count)
        #expect(compressed.prefix(2) == [0x1F, 0x8B])
        #expect(Gzip.decompress(compressed) == input)
    }

    @Test func workersRespectTheInFlightBudget() {
        var batching = SpoolUploader.Configuration.Batching()
        batching.maxBytes = 4 << 20
        batching.maxInFlightBytes = 24 << 20
        batching.parallelSegments = 4
        #expect(batching.workers == 2)
        batching.maxInFlightBytes = 4 << 20
        #expect(batching.workers == 1)
        var configuration = SpoolUploader.Configuration(spoolDirectories: ["x"], destination: .sqlite(path: "x"))
        configuration.batching.maxBytes = 8 << 20
        configuration.batching.maxInFlightBytes = 4 << 20
        #expect(throws: UploadError.invalidConfiguration(.maxInFlightBytesBelowMaxBytes)) {
            try configuration.validate()
        }
    }

    /// `SpoolUploader.init` refuses an unusable configuration before it opens anything.
    @Test func theUploaderChecksItsConfiguration() throws {
        var configuration = SpoolUploader.Configuration(spoolDirectories: [], destination: .sqlite(path: "/nowhere"))
        #expect(throws: UploadError.invalidConfiguration(.noSpoolDirectory)) {
            try SpoolUploader(configuration: configuration, logger: quietLogger())
        }
        configuration.spoolDirectories = ["/tmp/spool"]
        configuration.follow.maxLatency = .microseconds(500)
        #expect(throws: UploadError.invalidConfiguration(.maxLatencyBelowOneMillisecond)) {
            try SpoolUploader(configuration: configuration, logger: quietLogger())
        }
        configuration.follow.maxLatency = .seconds(1)
        configuration.destination = .otlpHTTP(.init(tracesEndpoint: "http://x/v1/traces", timeout: .zero))
        #expect(throws: UploadError.invalidConfiguration(.timeoutNotPositive)) {
            try SpoolUploader(configuration: configuration, logger: quietLogger())
        }
        configuration.destination = .otlpHTTP(
            .init(tracesEndpoint: "http://x/v1/traces", certificateFilePath: "/nonexistent/ca.pem"))
        #expect(throws: UploadError.invalidConfiguration(.tlsFile(path: "/nonexistent/ca.pem", .unreadable))) {
            try SpoolUploader(configuration: configuration, logger: quietLogger())
        }
        configuration.destination = .sqlite(path: "/nonexistent/dir/store.sqlite")
        let error = #expect(throws: UploadError.self) {
            try SpoolUploader(configuration: configuration, logger: quietLogger())
        }
        guard case .sqlite = error else {
            Issue.record("expected a SQLite error, got \(String(describing: error))")
            return
        }
    }
}
