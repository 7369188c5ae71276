import Foundation
import Logging
import ServiceLifecycle
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

// The code of every `swift` block of Docs/Uploader.md, verbatim: compiled here, run by the tests below, and checked
// against the document by `DocumentationTests`
// (Tests/TraceSpoolTestingTests/DocumentationTests.swift).

/// Your server's services, with the uploader beside them: it drains `spoolDirectory` to the collector until the
/// group shuts down (SIGTERM, SIGINT or `triggerGracefulShutdown()`), then finishes the batches in flight.
func makeServiceGroup(spoolDirectory: String, collector: String, logger: Logger) throws -> ServiceGroup {
    var configuration = SpoolUploader.Configuration(
        spoolDirectories: [spoolDirectory],
        destination: .otlpHTTP(.init(tracesEndpoint: collector + "/v1/traces")))
    configuration.follow.maxLatency = .milliseconds(500)
    let uploader = try SpoolUploader(configuration: configuration, logger: logger)
    var group = ServiceGroupConfiguration(
        services: [uploader],  // and your server's own services
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger)
    group.maximumGracefulShutdownDuration = .seconds(10)  // then the batches in flight are cancelled
    return ServiceGroup(configuration: group)
}

/// The collector, its headers, compression and timeout from the standard `OTEL_EXPORTER_OTLP_*` variables; a
/// local SQLite store when none is set.
func makeUploader(spoolDirectory: String, store: String, logger: Logger) throws -> SpoolUploader {
    let destination: SpoolUploader.Configuration.Destination
    if let exporter = try SpoolUploader.Configuration.OTLPHTTPExporter.fromEnvironment() {
        destination = .otlpHTTP(exporter)
    } else {
        destination = .sqlite(path: store)
    }
    return try SpoolUploader(
        configuration: .init(spoolDirectories: [spoolDirectory], destination: destination), logger: logger)
}

/// Drains what a job left behind, once, and says whether everything went out.
func drainAtTheEndOfAJob(_ uploader: SpoolUploader) async -> Bool {
    let summary = await uploader.drainOnce()
    return summary.allDelivered  // else: summary.segmentsDeferred, .spansDeadLettered, ...
}

// The `swift` blocks of the `///` comments of Sources/TraceSpoolUpload.

/// The configuration's example; its uploader in a `ServiceGroup` is the uploader's example (compiled only: the group
/// runs until the process is signalled).
func uploaderDocumentationExample(logger: Logger) async throws {
    var configuration = SpoolUploader.Configuration(
        spoolDirectories: ["/var/spool/app/traces"],
        destination: .otlpHTTP(.init(tracesEndpoint: "http://collector:4318/v1/traces")))
    configuration.batching.parallelSegments = 2  // a high-latency backend
    configuration.follow.maxLatency = .milliseconds(200)

    let uploader = try SpoolUploader(configuration: configuration, logger: logger)
    let group = ServiceGroup(
        configuration: .init(services: [uploader], gracefulShutdownSignals: [.sigterm], logger: logger))
    try await group.run()
}

@Suite(.timeLimit(.minutes(1))) struct DocumentationExampleTests {
    @Test func theServiceGroupExampleDeliversAndStops() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<500, to: spool.path, perFrame: 100)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let logs = CapturedLogs()
            let group = try makeServiceGroup(spoolDirectory: spool.path, collector: server.url, logger: logs.logger())
            let running = Task { try await group.run() }
            // The group ends when the uploader stopped.
            let summary = try await shutDownAfterDelivery(
                of: 500, server: server, logs: logs, group: group, running: running)
            await server.stop()
            #expect(logs.entries.contains { $0.message == "stop requested, finishing the batches in flight" })
            #expect(summary["spans_sent"] == "500")
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<500))
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }

    @Test func theEnvironmentExampleFallsBackToSQLiteAndDrainsOnce() async throws {
        try #require(
            ProcessInfo.processInfo.environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == nil
                && ProcessInfo.processInfo.environment["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] == nil,
            "the test process has no OTLP endpoint configured")
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            try TestSpans.write(0..<50, to: spool)
            let store = work.path + "/tracespool.sqlite"
            let uploader = try makeUploader(spoolDirectory: spool, store: store, logger: quietLogger())
            #expect(await drainAtTheEndOfAJob(uploader))
            #expect(FileManager.default.fileExists(atPath: store))
            #expect(try SpoolDirectory(path: spool).segments().isEmpty)
        }
    }
}

@Suite("Docs/Uploader.md")
struct UploaderDocumentationTests {
    /// The package root (this file is `Tests/TraceSpoolUploadTests/DocumentationExampleTests.swift`).
    static let packageRoot: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    @Test("the metrics the document lists are the uploader's")
    func documentListsTheMetrics() throws {
        let document = try String(contentsOfFile: Self.packageRoot + "/Docs/Uploader.md", encoding: .utf8)
        for definition in UploadMetrics.definitions {
            #expect(
                document.contains("`\(definition.name)`"), "Docs/Uploader.md does not list \(definition.name)")
            #expect(document.contains(definition.help), "Docs/Uploader.md lacks the help of \(definition.name)")
        }
    }
}
