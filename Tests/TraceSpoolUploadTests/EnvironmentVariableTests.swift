import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@testable import tracespool_upload

/// `OTEL_LOG_LEVEL` sets `tracespool-upload`'s log level when `--log-level` does not.
@Suite struct EnvironmentVariableTests {
    func run(_ environment: [String: String], _ extra: [String] = []) async throws -> UploaderRun {
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            try TestSpans.write(0..<5, to: spool)
            return try await UploaderRun.run(
                [spool, "--once", "--no-progress", "--sqlite", work.path + "/s.sqlite"] + extra,
                environment: environment)
        }
    }

    @Test func otelLogLevelSetsTheLevel() async throws {
        let quiet = try await run(["OTEL_LOG_LEVEL": "error"])
        #expect(quiet.status == UploadExitCode.success)
        #expect(quiet.log.isEmpty, "nothing at error level or above: \(quiet.log)")

        let verbose = try await run(["OTEL_LOG_LEVEL": "DEBUG"])
        #expect(verbose.status == UploadExitCode.success)
        #expect(!verbose.lines(containing: "level=info").isEmpty, "\(verbose.log)")

        let byDefault = try await run([:])
        #expect(byDefault.lines(containing: "level=info").isEmpty)
        #expect(!byDefault.lines(containing: "upload summary").isEmpty)
    }

    @Test func theFlagWinsOverOTelLogLevel() async throws {
        let run = try await run(["OTEL_LOG_LEVEL": "error"], ["--log-level", "notice"])
        #expect(!run.lines(containing: "upload summary").isEmpty, "\(run.log)")
        let bad = try await self.run(["OTEL_LOG_LEVEL": "loud"], ["--log-level", "notice"])
        #expect(bad.status == UploadExitCode.success, "the variable is not read when the flag is given")
    }

    @Test func anInvalidOTelLogLevelIsAConfigurationErrorNamingIt() async throws {
        let run = try await run(["OTEL_LOG_LEVEL": "loud"])
        #expect(run.status == UploadExitCode.configuration)
        #expect(run.log.contains("OTEL_LOG_LEVEL must be one of"), "\(run.log)")
    }

    @Test func otelLogLevelValues() {
        #expect(OTelLogLevel.level("trace") == .trace)
        #expect(OTelLogLevel.level("debug") == .debug)
        #expect(OTelLogLevel.level("info") == .info)
        #expect(OTelLogLevel.level("warn") == .warning)
        #expect(OTelLogLevel.level("ERROR") == .error)
        #expect(OTelLogLevel.level("fatal") == .critical)
        #expect(OTelLogLevel.level("none") == .critical)
        #expect(OTelLogLevel.level("all") == .trace)
        #expect(OTelLogLevel.level("loud") == nil)
    }
}
