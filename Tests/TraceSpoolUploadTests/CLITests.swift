import Foundation
import SpoolFormat
import Testing
import TraceSpoolUpload

/// The `tracespool-upload` executable: default sink, exit codes.
@Suite struct CLITests {
    func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Int32 {
        let binary = ChildProcess.uploaderBinary
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build tracespool-upload first (swift build)")
        let p = try ChildProcess.start(binary, arguments, environment: environment)
        #expect(await ChildProcess.wait(p))
        return p.terminationStatus
    }

    @Test func withoutAnEndpointSpansGoToSQLiteBesideTheSpool() async throws {
        let tmp = TempDirectory("cli-sqlite")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<50, to: tmp.spool)
        let status = try await run(
            [tmp.spool, "--once", "--no-progress"],
            environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ""])
        #expect(status == UploadExitCode.success)
        #expect(FileManager.default.fileExists(atPath: tmp.path + "/tracespool.sqlite"))
        #expect(try SpoolDirectory(path: tmp.spool).segments().isEmpty)
    }

    @Test func partialDeliveryExitsWithThree() async throws {
        let tmp = TempDirectory("cli-partial")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<50, to: tmp.spool)
        let server = try await TestHTTPServer.start { _, _ in .status(403) }
        let status = try await run([tmp.spool, "--once", "--no-progress", "--endpoint", server.url])
        await server.stop()
        #expect(status == UploadExitCode.partial)
        #expect(files(in: tmp.spool + "/dead-letter", suffix: ".pb").count == 1)
    }

    @Test func aMissingSpoolDirectoryIsNothingToDoButAForeignOneFails() async throws {
        let tmp = TempDirectory("cli-missing")
        defer { tmp.cleanup() }
        #expect(try await run([tmp.path + "/never-created", "--once", "--sqlite", tmp.path + "/s.sqlite"]) == 0)
        try FileManager.default.createSymbolicLink(atPath: tmp.path + "/link", withDestinationPath: tmp.path)
        #expect(
            try await run([tmp.path + "/link", "--once", "--sqlite", tmp.path + "/s.sqlite"])
                == UploadExitCode.partial)
    }

    @Test func configurationErrorsExitWithOne() async throws {
        let tmp = TempDirectory("cli-config")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<5, to: tmp.spool)
        #expect(
            try await run([tmp.spool, "--once", "--endpoint", "http://127.0.0.1:9", "--compression", "brotli"])
                == UploadExitCode.configuration)
        #expect(
            try await run(
                [tmp.spool, "--once"],
                environment: [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9", "OTEL_EXPORTER_OTLP_HEADERS": "no-equals-sign",
                ])
                == UploadExitCode.configuration)
        #expect(try SpoolDirectory(path: tmp.spool).segments().count == 1)
    }
}

@Suite struct FollowModeTests {
    @Test func pollingFollowerShipsSpansWrittenAfterItStarted() async throws {
        let tmp = TempDirectory("poll")
        defer { tmp.cleanup() }
        _ = try SpoolDirectory(path: tmp.spool)
        let server = try await TestHTTPServer.start { _, _ in .ok }
        let metrics = UploadMetrics()
        let sink = OTLPHTTPSink(
            configuration: OTLPHTTPConfiguration(tracesURL: server.url + "/v1/traces"), retryPolicy: RetryPolicy(),
            metrics: metrics, logger: quietLogger())
        let uploader = Uploader(
            configuration: UploaderConfiguration(spoolPaths: [tmp.spool], maxLatencyMillis: 100, useInotify: false),
            sink: sink, metrics: metrics, logger: quietLogger())
        let follower = Task { await uploader.follow() }
        try TestSpans.write(0..<300, to: tmp.spool)
        let deadline = ContinuousClock.now + .seconds(60)
        while try SpoolDirectory(path: tmp.spool).segments().count > 0 || server.requests.isEmpty,
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        uploader.requestStop()
        let summary = await follower.value
        await sink.shutdown()
        await server.stop()
        #expect(summary.report.delivered == 300)
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<300))
    }
}
