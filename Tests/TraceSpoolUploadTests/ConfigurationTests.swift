import Testing
import TraceSpoolUpload

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
        let c = try #require(
            try OTLPHTTPConfiguration.resolve(
                endpoint: nil, tracesEndpoint: nil, headers: [], compression: nil, timeoutMillis: nil,
                environment: env))
        #expect(c.tracesURL == "http://collector:4318/v1/traces")
        #expect(c.headers.map(\.name) == ["api-key", "x-tenant"])
        #expect(c.headers.map(\.value) == ["se=cret", "a b"])
        #expect(c.compression == .gzip)
        #expect(c.timeoutMillis == 2500)

        var traces = env
        traces["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] = "https://x.example/custom/path"
        let t = try #require(
            try OTLPHTTPConfiguration.resolve(
                endpoint: nil, tracesEndpoint: nil, headers: [], compression: nil, timeoutMillis: nil,
                environment: traces))
        #expect(t.tracesURL == "https://x.example/custom/path")

        let flags = try #require(
            try OTLPHTTPConfiguration.resolve(
                endpoint: "http://127.0.0.1:9/", tracesEndpoint: nil, headers: ["api-key=flag"], compression: "none",
                timeoutMillis: 100, environment: traces))
        #expect(flags.tracesURL == "http://127.0.0.1:9/v1/traces")
        #expect(flags.headers.first { $0.name == "api-key" }?.value == "flag")
        #expect(flags.compression == .none)

        #expect(
            try OTLPHTTPConfiguration.resolve(
                endpoint: nil, tracesEndpoint: nil, headers: [], compression: nil, timeoutMillis: nil,
                environment: [:]) == nil)
        #expect(throws: UploadError.self) {
            try OTLPHTTPConfiguration.resolve(
                endpoint: "ftp://x", tracesEndpoint: nil, headers: [], compression: nil, timeoutMillis: nil,
                environment: [:])
        }
        #expect(throws: UploadError.self) { try OTLPHTTPConfiguration.parseHeaders("novalue") }
    }

    @Test func headerListsFollowTheOpenTelemetryFormat() throws {
        let headers = try OTLPHTTPConfiguration.parseHeaders(" api-key = a%20b%2Cc ,, %41uth=x=y,empty=")
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
            #expect(throws: UploadError.invalidConfiguration(message)) { try OTLPHTTPConfiguration.parseHeaders(text) }
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
        #expect(
            UploaderConfiguration(
                spoolPaths: ["x"], maxBatchBytes: 4 << 20, maxInFlightBytes: 24 << 20, parallelSegments: 4
            ).workers == 2)
        #expect(
            UploaderConfiguration(
                spoolPaths: ["x"], maxBatchBytes: 4 << 20, maxInFlightBytes: 4 << 20, parallelSegments: 4
            ).workers == 1)
        #expect(throws: UploadError.self) {
            try UploaderConfiguration(spoolPaths: ["x"], maxBatchBytes: 8 << 20, maxInFlightBytes: 4 << 20).validate()
        }
    }
}
