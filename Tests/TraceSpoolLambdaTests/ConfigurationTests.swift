import LambdaRuntimeAPI
import Testing

@testable import TraceSpoolLambda

/// `LambdaConfiguration.fromEnvironment`, `RuntimeAPIAddress` and event parsing: every bad value names its variable;
/// no input traps.
@Suite struct ConfigurationTests {
    let endpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"]

    @Test func defaults() throws {
        let c = try LambdaConfiguration.fromEnvironment(endpoint.merging(["TMPDIR": "/tmp/x"]) { $1 })
        #expect(c.strategy == .endOfInvocation)
        #expect(c.holdBudget == .milliseconds(100))
        #expect(c.shutdownMargin == .milliseconds(200))
        #expect(c.period == .seconds(1))
        #expect(c.adaptiveWindow == 20)
        #expect(c.adaptiveMaxGap == .seconds(60))
        #expect(c.spoolPath.hasPrefix("/tmp/x/tracespool-"))
        #expect(c.exporter.tracesEndpoint == "http://127.0.0.1:4318/v1/traces")
    }

    @Test func values() throws {
        let c = try LambdaConfiguration.fromEnvironment(
            endpoint.merging([
                "TRACESPOOL_LAMBDA_STRATEGY": "adaptive", "TRACESPOOL_LAMBDA_HOLD_BUDGET_MS": "250",
                "TRACESPOOL_LAMBDA_PERIOD_MS": "500", "TRACESPOOL_LAMBDA_SHUTDOWN_MARGIN_MS": "0",
                "TRACESPOOL_LAMBDA_ADAPTIVE_WINDOW": "5", "TRACESPOOL_LAMBDA_ADAPTIVE_MAX_GAP_MS": "1000",
                "TRACESPOOL_DIR": "/var/spool/x",
            ]) { $1 })
        #expect(c.strategy == .adaptive)
        #expect(c.holdBudget == .milliseconds(250))
        #expect(c.period == .milliseconds(500))
        #expect(c.shutdownMargin == .zero)
        #expect(c.adaptiveWindow == 5)
        #expect(c.adaptiveMaxGap == .seconds(1))
        #expect(c.spoolPath == "/var/spool/x")
    }

    @Test(arguments: [
        "TRACESPOOL_LAMBDA_STRATEGY", "TRACESPOOL_LAMBDA_HOLD_BUDGET_MS", "TRACESPOOL_LAMBDA_PERIOD_MS",
        "TRACESPOOL_LAMBDA_SHUTDOWN_MARGIN_MS", "TRACESPOOL_LAMBDA_ADAPTIVE_WINDOW",
        "TRACESPOOL_LAMBDA_ADAPTIVE_MAX_GAP_MS",
    ])
    func badValuesNameTheVariable(variable: String) {
        for value in ["abc", "-1", "99999999999999999999", "1e309", "nan", String(repeating: "9", count: 8192)] {
            #expect(throws: LambdaConfigurationError.self) {
                try LambdaConfiguration.fromEnvironment(endpoint.merging([variable: value]) { $1 })
            }
            do {
                _ = try LambdaConfiguration.fromEnvironment(endpoint.merging([variable: value]) { $1 })
            } catch {
                #expect(error.variable == variable)
                #expect(error.description.count < 400)
            }
        }
    }

    @Test func noEndpointIsAConfigurationError() {
        #expect(
            throws: LambdaConfigurationError(
                variable: "OTEL_EXPORTER_OTLP_ENDPOINT",
                problem:
                    "no OTLP/HTTP endpoint configured: set OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT)"
            )
        ) {
            try LambdaConfiguration.fromEnvironment([:])
        }
    }

    @Test func runtimeAPIAddresses() throws {
        #expect(try RuntimeAPIAddress("127.0.0.1:9001") == RuntimeAPIAddress("127.0.0.1:9001"))
        let a = try RuntimeAPIAddress("localhost:9001")
        #expect(a.host == "localhost" && a.port == 9001 && a.baseURL == "http://localhost:9001")
        #expect(try RuntimeAPIAddress("[::1]:9001").host == "[::1]")
        for bad in [
            "", "http://127.0.0.1:9001", "127.0.0.1", "127.0.0.1:", ":9001", "127.0.0.1:0", "127.0.0.1:65536",
            "127.0.0.1:9001/path", "::1:9001", "127.0.0.1:+90", "127.0.0.1:99999999999999999999",
            "user@127.0.0.1:9001", "local host:9001", "h\u{FFFD}st:9001", "[]:9001", "[::g]:9001",
            String(repeating: "a", count: 256) + ":9001",
        ] {
            #expect(throws: RuntimeAPIAddress.Invalid.self, "\(bad)") { try RuntimeAPIAddress(bad) }
            #expect((try? RuntimeAPIAddress(bad)) == nil)
        }
        #expect(throws: RuntimeAPIAddress.Invalid.self) { try RuntimeAPIAddress("abc") }
        do throws(RuntimeAPIAddress.Invalid) {
            _ = try RuntimeAPIAddress("abc")
        } catch {
            #expect("\(error)" == "AWS_LAMBDA_RUNTIME_API must be host:port without a scheme (no port), not 'abc'")
        }
    }

    @Test func eventsParse() throws {
        #expect(
            try ExtensionEvent(
                json: Array(
                    #"{"eventType":"INVOKE","deadlineMs":1700000000123,"requestId":"r-1","invokedFunctionArn":"a","tracing":{}}"#
                        .utf8)) == .invoke(requestID: "r-1", deadlineMs: 1_700_000_000_123))
        for (text, reason) in [
            ("spindown", ExtensionEvent.ShutdownReason.spindown), ("TIMEOUT", .timeout), ("Failure", .failure),
            ("reboot", .other),
        ] {
            #expect(
                try ExtensionEvent(
                    json: Array(#"{"eventType":"SHUTDOWN","shutdownReason":"\#(text)","deadlineMs":5}"#.utf8))
                    == .shutdown(reason: reason, deadlineMs: 5))
        }
    }

    @Test func outOfRangeDeadlinesAreClamped() throws {
        #expect(
            try ExtensionEvent(
                json: Array(#"{"eventType":"INVOKE","deadlineMs":-9223372036854775808,"requestId":"r"}"#.utf8))
                == .invoke(requestID: "r", deadlineMs: 0))
        #expect(
            try ExtensionEvent(
                json: Array(
                    #"{"eventType":"SHUTDOWN","shutdownReason":"timeout","deadlineMs":9223372036854775807}"#.utf8))
                == .shutdown(reason: .timeout, deadlineMs: ExtensionEvent.maxDeadlineMs))
    }

    @Test func malformedEventsThrowWithoutTrapping() {
        let bodies = [
            "", "null", "[]", "{}", #"{"eventType":"INVOKE"}"#, #"{"eventType":"INVOKE","deadlineMs":1}"#,
            #"{"eventType":"INVOKE","deadlineMs":1e400,"requestId":"r"}"#,
            #"{"eventType":"INVOKE","deadlineMs":"1","requestId":"r"}"#, #"{"eventType":"PAUSE","deadlineMs":1}"#,
            #"{"eventType":7,"deadlineMs":1}"#, String(repeating: "[", count: 100_000),
            #"{"eventType":"INVOKE","deadlineMs":-99999999999999999999999,"requestId":"r"}"#,
        ]
        for body in bodies {
            #expect(throws: ExtensionsAPIError.self, "\(body.prefix(60))") {
                try ExtensionEvent(json: Array(body.utf8))
            }
        }
    }

    @Test func telemetryBatchesYieldRuntimeDoneOnly() {
        let batch = #"""
            [{"time":"t","type":"platform.start","record":{"requestId":"a"}},
             {"time":"t","type":"platform.runtimeDone","record":{"requestId":"a","status":"success"}},
             {"time":"t","type":"platform.runtimeDone","record":{"requestId":"b","status":"timeout"}},
             {"time":"t","type":"platform.runtimeDone","record":{"status":"error"}},
             {"time":"t","type":"platform.runtimeDone","record":"x"},
             {"type":"platform.runtimeDone"}, 7, null]
            """#
        let events = TelemetryListener.runtimeDoneEvents(in: Array(batch.utf8))
        #expect(events.map(\.requestID) == ["a", "b"])
        #expect(events.map(\.status) == ["success", "timeout"])
        for junk in ["", "{}", "not json", "[", String(repeating: "[", count: 10_000)] {
            #expect(TelemetryListener.runtimeDoneEvents(in: Array(junk.utf8)).isEmpty)
        }
    }
}
