import AsyncHTTPClient
import Foundation
import NIOCore
import SpoolFormat
import Testing
import TraceSpoolTesting

/// `tracespool-upload` as an AWS Lambda extension, run as a real process against a loopback fake of the Extensions
/// and Telemetry APIs (`FakeExtensionsAPI`) and a loopback OTLP backend (`TestHTTPServer`).
///
/// Holds are checked by ordering, not by timing: what the backend had received (or not answered) when the extension
/// called `event/next` again. Where a test must bound a wait, the bound is far below what the behaviour under test
/// would take without the code that is checked (an invocation deadline and a request timeout of 60 s against a
/// 30 s wait), so a slow machine does not make it fail.
@Suite(.serialized, .timeLimit(.minutes(2))) struct LambdaExtensionTests {
    /// Waits for `condition` at most `seconds`; false when it did not come (the condition's task is then left
    /// behind: the fake's waits cannot be cancelled).
    static func within(_ seconds: Double, _ condition: @escaping @Sendable () async -> Void) async -> Bool {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self)
        Task {
            await condition()
            continuation.yield(true)
        }
        let timer = Task {
            try? await Task.sleep(for: .seconds(seconds))
            continuation.yield(false)
        }
        var iterator = stream.makeAsyncIterator()
        let result = await iterator.next() ?? false
        timer.cancel()
        continuation.finish()
        return result
    }

    /// Posts a Telemetry API batch to the extension's listener; returns the status.
    static func postTelemetry(_ uri: String, _ body: String) async throws -> Int {
        // Lambda posts to sandbox.localdomain; where the name does not resolve the listener binds 127.0.0.1, and the
        // platform stand-in maps the name there too.
        var target = uri
        var result: UnsafeMutablePointer<addrinfo>?
        if getaddrinfo("sandbox.localdomain", nil, nil, &result) == 0 {
            freeaddrinfo(result)
        } else {
            target = uri.replacingOccurrences(of: "sandbox.localdomain", with: "127.0.0.1")
        }
        var request = HTTPClientRequest(url: target)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(Array(body.utf8))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return Int(response.status.code)
    }

    static func runtimeDone(_ requestID: String) -> String {
        #"[{"time":"2026-01-01T00:00:00.000Z","type":"platform.runtimeDone","record":{"requestId":"\#(requestID)","status":"success","metrics":{"durationMs":1.0}}}]"#
    }

    /// Starts the extension (as a process) against `api` and waits for its first `event/next`: registered,
    /// subscribed, ready. The caller kills it when done (`defer { ext.kill() }`).
    static func startExtension(
        api: FakeExtensionsAPI, work: String, arguments: [String] = [], environment: [String: String?]
    ) async throws -> LambdaExtensionProcess {
        let ext = try LambdaExtensionProcess.start(
            api: api, work: work, arguments: arguments, environment: environment)
        #expect(await within(30) { await api.waitForNext(1) }, "\(ext.stderr)")
        return ext
    }

    /// One invocation the way a function with `withInvocation` makes it: INVOKE `requestID`, the function's `spans`
    /// and its marker in `spool`, then the extension's `event/next` (its `nextCount`-th) ending the hold.
    static func invokeWithMarker(
        _ requestID: String, spans: Range<Int>, api: FakeExtensionsAPI, ext: LambdaExtensionProcess, spool: String,
        nextCount: Int
    ) async throws {
        api.invoke(requestID)
        try TestSpans.write(spans, to: spool)
        try InvocationMarker.write(requestID: requestID, in: spool)
        #expect(await within(30) { await api.waitForNext(nextCount) }, "\(ext.stderr)")
    }

    /// SHUTDOWN with `inMs` to its deadline; the extension must exit 0 within `seconds`.
    static func shutDown(
        api: FakeExtensionsAPI, ext: LambdaExtensionProcess, inMs: Int64 = 2000, seconds: Double = 10
    ) async {
        api.shutdown(inMs: inMs)
        #expect(await ext.waitForExit(seconds: seconds) == 0, "\(ext.stderr)")
        await api.stop()
    }

    @Test func registersAsItsFileNameAndShipsWhenTheInvocationMarkerAppears() async throws {
        try await withTemporarySpool { work in
            let backend = try await TestHTTPServer.start { _, _ in .ok }
            let api = try await FakeExtensionsAPI.start()
            // No arguments: AWS_LAMBDA_RUNTIME_API alone selects the extension mode.
            let ext = try await Self.startExtension(
                api: api, work: work.path, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": backend.url])
            defer { ext.kill() }
            let register = try #require(api.calls.first)
            #expect(register.path == "/2020-01-01/extension/register")
            #expect(register.headers["lambda-extension-name"] == "tracespool-upload")
            #expect(register.bodyText.contains("INVOKE") && register.bodyText.contains("SHUTDOWN"))
            let subscribe = try #require(api.calls(to: "/2022-07-01/telemetry").first)
            #expect(subscribe.method == "PUT")
            #expect(subscribe.bodyText.contains(#""schemaVersion":"2022-12-13""#))
            #expect(subscribe.bodyText.contains(#""timeoutMs":25"#))
            #expect(api.telemetryURI?.hasPrefix("http://sandbox.localdomain:") == true)
            #expect(subscribe.headers["lambda-extension-identifier"] == "fake-extension-id")
            #expect(api.calls(to: "event/next").first?.headers["lambda-extension-identifier"] == "fake-extension-id")
            let spool = LambdaExtensionProcess.spool(in: work.path)
            for i in 0..<3 {
                try await Self.invokeWithMarker(
                    "req-\(i)", spans: (i * 20)..<(i * 20 + 20), api: api, ext: ext, spool: spool, nextCount: i + 2)
                // The hold ended after the invocation's spans were delivered, and its marker is gone.
                #expect(try backend.deliveredSpans().count == i * 20 + 20)
                #expect(!FileManager.default.fileExists(atPath: spool + "/invocation-req-\(i).done"))
            }
            await Self.shutDown(api: api, ext: ext)
            await backend.stop()
        }
    }

    @Test func everyInvocationReusesOneBackendConnection() async throws {
        try await withTemporarySpool { work in
            let backend = try await CountingBackend.start()
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": backend.url])
            defer { ext.kill() }
            let spool = LambdaExtensionProcess.spool(in: work.path)
            for i in 0..<5 {
                try await Self.invokeWithMarker(
                    "req-\(i)", spans: (i * 20)..<(i * 20 + 20), api: api, ext: ext, spool: spool, nextCount: i + 2)
            }
            #expect(backend.requests == 5)
            #expect(backend.connections == 1)
            await Self.shutDown(api: api, ext: ext)
            await backend.stop()
        }
    }

    @Test func runtimeDoneEndsTheHoldWithoutAMarker() async throws {
        try await withTemporarySpool { work in
            let backend = try await TestHTTPServer.start { _, _ in .ok }
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path, arguments: ["--lambda-extension"],
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": backend.url])
            defer { ext.kill() }
            let uri = try #require(api.telemetryURI)
            let spool = LambdaExtensionProcess.spool(in: work.path)
            api.invoke("req-a")
            try TestSpans.write(0..<20, to: spool)
            // Other event types, and a runtimeDone for another request, do not end the hold.
            #expect(
                try await Self.postTelemetry(
                    uri, #"[{"time":"x","type":"platform.start","record":{"requestId":"req-a"}}]"#) == 200)
            #expect(try await Self.postTelemetry(uri, Self.runtimeDone("req-old")) == 200)
            #expect(api.calls(to: "event/next").count == 1)
            #expect(try await Self.postTelemetry(uri, Self.runtimeDone("req-a")) == 200)
            #expect(await Self.within(30) { await api.waitForNext(2) }, "\(ext.stderr)")
            #expect(try backend.deliveredSpans().count == 20)
            // Malformed and oversized batches are answered and change nothing.
            #expect(try await Self.postTelemetry(uri, "not json") == 200)
            #expect(try await Self.postTelemetry(uri, #"[{"type":"platform.runtimeDone","record":42}]"#) == 200)
            #expect(
                try await Self.postTelemetry(uri, "[" + String(repeating: "1,", count: 600_000) + "1]") == 413)
            await Self.shutDown(api: api, ext: ext)
            await backend.stop()
        }
    }

    @Test func withoutTheTelemetryAPITheMarkerAloneEndsTheHold() async throws {
        try await withTemporarySpool { work in
            let backend = try await TestHTTPServer.start { _, _ in .ok }
            let api = try await FakeExtensionsAPI.start(telemetry: .notSupported)
            let ext = try await Self.startExtension(
                api: api, work: work.path,
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": backend.url, "OTEL_LOG_LEVEL": "info"])
            defer { ext.kill() }
            let spool = LambdaExtensionProcess.spool(in: work.path)
            try await Self.invokeWithMarker("req-1", spans: 0..<20, api: api, ext: ext, spool: spool, nextCount: 2)
            #expect(try backend.deliveredSpans().count == 20)
            #expect(ext.stderr.contains("Telemetry API unavailable"))
            #expect(ext.stderr.contains("msg=invocation"))
            await Self.shutDown(api: api, ext: ext)
            await backend.stop()
        }
    }

    @Test func aBackendThatNeverAnswersDoesNotHoldPastTheBudget() async throws {
        try await withTemporarySpool { work in
            let backend = try await TestHTTPServer.start { _, _ in .hang }
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path,
                environment: [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": backend.url, "OTEL_EXPORTER_OTLP_TIMEOUT": "60000",
                    "TRACESPOOL_LAMBDA_HOLD_BUDGET_MS": "100",
                ])
            defer { ext.kill() }
            let spool = LambdaExtensionProcess.spool(in: work.path)
            api.invoke("req-1", timeoutMs: 60_000)
            try TestSpans.write(0..<20, to: spool)
            try InvocationMarker.write(requestID: "req-1", in: spool)
            // Without the budget the request would wait for its 60 s timeout and the hold for the 60 s deadline.
            #expect(await Self.within(30) { await api.waitForNext(2) }, "\(ext.stderr)")
            #expect(backend.requests.count >= 1)
            #expect(backend.requests.allSatisfy { $0.answered == 0 })
            // The batch stays in the spool, unsettled.
            #expect(try SpoolDirectory(path: spool, create: false).segments().count == 1)
            api.shutdown(inMs: 1500)
            #expect(await ext.waitForExit(seconds: 5) == 0, "\(ext.stderr)")
            #expect(ext.stderr.contains("segments left"))
            await api.stop()
            await backend.stop()
        }
    }

    @Test func aRefusingBackendIsProbedOncePerBackoffNotOncePerInvocation() async throws {
        try await withTemporarySpool { work in
            let backend = try await TestHTTPServer.start { _, _ in .status(503) }
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": backend.url])
            defer { ext.kill() }
            let spool = LambdaExtensionProcess.spool(in: work.path)
            for i in 0..<3 {
                try await Self.invokeWithMarker(
                    "req-\(i)", spans: (i * 20)..<(i * 20 + 20), api: api, ext: ext, spool: spool, nextCount: i + 2)
            }
            // One request in the first hold (no retry inside a hold); the next two are within the backoff.
            #expect(backend.requests.count == 1)
            await Self.shutDown(api: api, ext: ext, inMs: 1500, seconds: 5)
            await backend.stop()
        }
    }

    @Test func aClosedBackendPortDoesNotHoldTheInvocation() async throws {
        try await withTemporarySpool { work in
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"])
            defer { ext.kill() }
            let spool = LambdaExtensionProcess.spool(in: work.path)
            try await Self.invokeWithMarker("req-1", spans: 0..<20, api: api, ext: ext, spool: spool, nextCount: 2)
            await Self.shutDown(api: api, ext: ext, inMs: 1000, seconds: 5)
        }
    }

    @Test func shutdownDrainsTheBacklogAndExitsBeforeTheDeadline() async throws {
        try await withTemporarySpool { work in
            let backend = try await TestHTTPServer.start { _, _ in .ok }
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": backend.url])
            defer { ext.kill() }
            let spool = LambdaExtensionProcess.spool(in: work.path)
            try TestSpans.write(0..<10_000, to: spool, perFrame: 500, maxSegmentBytes: 1 << 20)
            // Reason matched case-insensitively; Lambda SIGKILLs at the deadline, and so does the test.
            api.shutdown(reason: "SPINDOWN", inMs: 2000)
            #expect(await ext.waitForExit(seconds: 2) == 0, "\(ext.stderr)")
            #expect(try backend.deliveredSpans().count == 10_000)
            #expect(try SpoolDirectory(path: spool, create: false).segments().isEmpty)
            #expect(ext.stderr.contains("spool drained") && ext.stderr.contains("reason=spindown"))
            await api.stop()
            await backend.stop()
        }
    }

    @Test func periodicStrategyCallsNextAtOnceAndShipsInTheBackground() async throws {
        try await withTemporarySpool { work in
            let backend = try await TestHTTPServer.start { _, _ in .ok }
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path,
                environment: [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": backend.url, "TRACESPOOL_LAMBDA_STRATEGY": "Periodic",
                    "TRACESPOOL_LAMBDA_PERIOD_MS": "50",
                ])
            defer { ext.kill() }
            // No subscription: periodic never waits for runtimeDone.
            #expect(api.calls(to: "/telemetry").isEmpty)
            let spool = LambdaExtensionProcess.spool(in: work.path)
            api.invoke("req-1")
            // No hold: next comes without any marker or runtimeDone (invocation deadline 60 s).
            #expect(await Self.within(30) { await api.waitForNext(2) }, "\(ext.stderr)")
            try TestSpans.write(0..<20, to: spool)
            #expect(await Self.within(30) { await backend.waitForDeliveredSpans(20) }, "\(ext.stderr)")
            await Self.shutDown(api: api, ext: ext)
            await backend.stop()
        }
    }

    @Test func adaptiveStrategyStopsHoldingWhenInvocationsAreFrequent() async throws {
        try await withTemporarySpool { work in
            let backend = try await TestHTTPServer.start { _, _ in .ok }
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path,
                environment: [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": backend.url, "TRACESPOOL_LAMBDA_STRATEGY": "adaptive",
                    "TRACESPOOL_LAMBDA_ADAPTIVE_WINDOW": "2", "TRACESPOOL_LAMBDA_PERIOD_MS": "50",
                ])
            defer { ext.kill() }
            let spool = LambdaExtensionProcess.spool(in: work.path)
            // The first invocation: end-of-invocation, it waits for the marker.
            try await Self.invokeWithMarker("req-1", spans: 0..<20, api: api, ext: ext, spool: spool, nextCount: 2)
            #expect(try backend.deliveredSpans().count == 20)
            // The second, right after: frequent, so periodic: next at once, no marker needed (deadline 60 s).
            api.invoke("req-2")
            #expect(await Self.within(30) { await api.waitForNext(3) }, "\(ext.stderr)")
            try TestSpans.write(20..<40, to: spool)
            #expect(await Self.within(30) { await backend.waitForDeliveredSpans(40) }, "\(ext.stderr)")
            await Self.shutDown(api: api, ext: ext)
            await backend.stop()
        }
    }

    @Test(arguments: [
        ("TRACESPOOL_LAMBDA_STRATEGY", "sometimes"), ("TRACESPOOL_LAMBDA_HOLD_BUDGET_MS", "abc"),
        ("TRACESPOOL_LAMBDA_HOLD_BUDGET_MS", "0"), ("TRACESPOOL_LAMBDA_PERIOD_MS", "-1"),
        ("TRACESPOOL_LAMBDA_SHUTDOWN_MARGIN_MS", "1e309"), ("TRACESPOOL_LAMBDA_ADAPTIVE_WINDOW", "1"),
        ("TRACESPOOL_LAMBDA_ADAPTIVE_MAX_GAP_MS", "99999999999999999999"), ("OTEL_LOG_LEVEL", "loud"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://example.com"), ("OTEL_EXPORTER_OTLP_ENDPOINT", ""),
        ("TRACESPOOL_DIR", "/proc/version/spool"),
    ])
    func aBadVariableIsReportedWithInitErrorNamingIt(variable: String, value: String) async throws {
        try await withTemporarySpool { work in
            let api = try await FakeExtensionsAPI.start()
            var environment: [String: String?] = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"]
            environment[variable] = value
            let ext = try LambdaExtensionProcess.start(api: api, work: work.path, environment: environment)
            defer { ext.kill() }
            #expect(await ext.waitForExit(seconds: 30) == 1, "\(ext.stderr)")
            let report = try #require(api.calls(to: "/extension/init/error").first, "\(ext.stderr)")
            #expect(report.headers["lambda-extension-function-error-type"] == "Extension.ConfigurationError")
            #expect(report.headers["lambda-extension-identifier"] == "fake-extension-id")
            #expect(report.bodyText.contains(variable), "\(report.bodyText)")
            #expect(ext.stderr.contains(variable))
            #expect(api.calls(to: "event/next").isEmpty)
            await api.stop()
        }
    }

    @Test func malformedEventsAreSkippedAndUnexpectedStatusesEndWithExitError() async throws {
        try await withTemporarySpool { work in
            let api = try await FakeExtensionsAPI.start()
            let ext = try await Self.startExtension(
                api: api, work: work.path, environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9"])
            defer { ext.kill() }
            let bodies: [[UInt8]] = [
                Array("not json".utf8), Array(#"{"eventType":"INVOKE"}"#.utf8),
                Array(#"{"eventType":"INVOKE","deadlineMs":"soon","requestId":"r"}"#.utf8),
                Array(repeating: UInt8(ascii: "["), count: 2 << 20),
                // Valid, with a deadline long past (and out of any real range): no hold at all.
                Array(#"{"eventType":"INVOKE","deadlineMs":-9223372036854775808,"requestId":"r1"}"#.utf8),
            ]
            for (i, body) in bodies.enumerated() {
                api.send(body: body)
                #expect(await Self.within(30) { await api.waitForNext(i + 2) }, "\(ext.stderr)")
            }
            api.send(status: 500, body: Array(#"{"errorType":"Boom"}"#.utf8))
            #expect(await ext.waitForExit(seconds: 30) == 1, "\(ext.stderr)")
            #expect(api.calls(to: "/extension/exit/error").count == 1)
            await api.stop()
        }
    }

    @Test func aMissingOrBadRuntimeAPIEndsWithAMessage() async throws {
        try await withTemporarySpool { work in
            let missing = try LambdaExtensionProcess.start(
                api: nil, work: work.path, arguments: ["--lambda-extension"])
            #expect(await missing.waitForExit(seconds: 30) == 1)
            #expect(missing.stderr.contains("AWS_LAMBDA_RUNTIME_API"))
            let scheme = try LambdaExtensionProcess.start(
                api: nil, work: work.path, environment: ["AWS_LAMBDA_RUNTIME_API": "http://127.0.0.1:9001"])
            #expect(await scheme.waitForExit(seconds: 30) == 1)
            #expect(scheme.stderr.contains("AWS_LAMBDA_RUNTIME_API"))
            let closed = try LambdaExtensionProcess.start(
                api: nil, work: work.path, environment: ["AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9"])
            #expect(await closed.waitForExit(seconds: 30) == 1)
            #expect(closed.stderr.contains("cannot register"))
        }
    }
}
