import AsyncHTTPClient
import Foundation
import ServiceLifecycle
import SpoolBase
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@testable import tracespool_upload

/// The `tracespool-upload` executable: default sink, exit codes, configuration messages.
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
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            try TestSpans.write(0..<50, to: spool)
            let status = try await run(
                [spool, "--once", "--no-progress"],
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ""])
            #expect(status == UploadExitCode.success)
            let store = work.path + "/tracespool-store-\(geteuid())/tracespool.sqlite"
            #expect(FileManager.default.fileExists(atPath: store))
            #expect(try SpoolDirectory(path: spool).segments().isEmpty)
        }
    }

    @Test func partialDeliveryExitsWithThree() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<50, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .status(403) }
            let status = try await run([spool.path, "--once", "--no-progress", "--endpoint", server.url])
            await server.stop()
            #expect(status == UploadExitCode.partial)
            #expect(files(in: spool.path + "/dead-letter", suffix: ".pb").count == 1)
        }
    }

    @Test func aMissingSpoolDirectoryIsAnErrorOfOnceAndAForeignOneFails() async throws {
        try await withTemporarySpool { work in
            // --once has nothing to drain in a directory that does not exist: exit 2, and no store is created.
            #expect(
                try await run([work.path + "/never-created", "--once", "--sqlite", work.path + "/s.sqlite"])
                    == UploadExitCode.missingSpool)
            #expect(!FileManager.default.fileExists(atPath: work.path + "/s.sqlite"))
            try FileManager.default.createSymbolicLink(atPath: work.path + "/link", withDestinationPath: work.path)
            #expect(
                try await run([work.path + "/link", "--once", "--sqlite", work.path + "/s.sqlite"])
                    == UploadExitCode.partial)
        }
    }

    @Test func configurationErrorsExitWithOne() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<5, to: spool.path)
            #expect(
                try await run([spool.path, "--once", "--endpoint", "http://127.0.0.1:9", "--compression", "brotli"])
                    == UploadExitCode.configuration)
            #expect(
                try await run(
                    [spool.path, "--once"],
                    environment: [
                        "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:9",
                        "OTEL_EXPORTER_OTLP_HEADERS": "no-equals-sign",
                    ])
                    == UploadExitCode.configuration)
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
        }
    }

    @Test("after --once the SQLite file alone holds every span: the write-ahead log is checkpointed")
    func onceLeavesACompleteStoreFile() async throws {
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            let store = work.path + "/traces.sqlite"
            try TestSpans.write(0..<50, to: spool)
            let status = try await run([spool, "--once", "--no-progress", "--sqlite", store])
            #expect(status == UploadExitCode.success)
            let walSize = (try? FileManager.default.attributesOfItem(atPath: store + "-wal")[.size] as? Int) ?? 0
            #expect(walSize == 0)
            // A copy of the database file without its -wal file, as a backup or another tool would take it.
            let copy = work.path + "/copy.sqlite"
            try FileManager.default.copyItem(atPath: store, toPath: copy)
            #expect(try TestDatabase.query(copy, "SELECT count(*) FROM spans") == [["50"]])
        }
    }

    @Test("every tool prints the package version with --version and exits 0")
    func versionFlag() async throws {
        let directory = URL(fileURLWithPath: ChildProcess.uploaderBinary).deletingLastPathComponent()
        for tool in ["tracespool-upload", "tracespool-dump", "tracespool-demo"] {
            let binary = directory.appendingPathComponent(tool).path
            try #require(FileManager.default.isExecutableFile(atPath: binary), "build \(tool) first (swift build)")
            let pipe = Pipe()
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = ["--version"]
            p.standardOutput = pipe
            try p.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "\(tool)")
            #expect(output == PackageVersion.current + "\n", "\(tool): \(output)")
        }
    }

    @Test("an empty --endpoint (an unset shell variable) is an error: nothing is drained into SQLite")
    func emptyEndpointLeavesTheSpool() async throws {
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            try TestSpans.write(0..<5, to: spool)
            for arguments in [["--endpoint", ""], ["--traces-endpoint", ""], ["--sqlite", ""]] {
                let status = try await run(
                    [spool, "--once", "--no-progress"] + arguments,
                    environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ""])
                #expect(status == UploadExitCode.configuration, "\(arguments)")
            }
            #expect(try SpoolDirectory(path: spool).segments().count == 1)
            #expect(!FileManager.default.fileExists(atPath: work.path + "/tracespool-store-\(geteuid())"))
        }
    }

    @Test("flags that choose a destination never conflict silently, and none is ignored")
    func destinationFlags() throws {
        func choice(
            endpoint: String? = nil, tracesEndpoint: String? = nil, sqlite: String? = nil, sink: String? = nil,
            otlpOnly: [String] = []
        ) -> Result<DestinationChoice, CommandLineConfigurationError> {
            Result { () throws(CommandLineConfigurationError) in
                try DestinationChoice.make(
                    endpoint: endpoint, tracesEndpoint: tracesEndpoint, sqlite: sqlite, sink: sink,
                    otlpOnlyFlags: otlpOnly)
            }
        }
        func message(_ result: Result<DestinationChoice, CommandLineConfigurationError>) -> String? {
            if case .failure(let error) = result { return error.description }
            return nil
        }
        #expect(try choice().get() == .fromEnvironment)
        #expect(try choice(endpoint: "http://c:4318").get() == .otlpHTTP)
        #expect(try choice(sqlite: "/x.sqlite").get() == .sqlite)
        #expect(try choice(sink: "sqlite").get() == .sqlite)
        #expect(try choice(tracesEndpoint: "http://c/v1/traces", sink: "otlp-http").get() == .otlpHTTP)
        #expect(
            message(choice(endpoint: ""))
                == "invalid configuration: --endpoint is empty (an unset shell variable?): give a value or leave the flag out"
        )
        #expect(message(choice(sink: "")).map { $0.contains("--sink is empty") } == true)
        #expect(
            message(choice(endpoint: "http://c", sqlite: "/x"))
                == "invalid configuration: --sqlite and --endpoint choose different destinations: give one of them")
        #expect(
            message(choice(tracesEndpoint: "http://c", sink: "sqlite")).map {
                $0.contains("--sink sqlite and --traces-endpoint")
            } == true)
        #expect(
            message(choice(sqlite: "/x", sink: "otlp-http")).map { $0.contains("--sink otlp-http and --sqlite") }
                == true)
        #expect(
            message(choice(sqlite: "/x", otlpOnly: ["--header"])).map {
                $0.contains("--header applies to OTLP/HTTP only")
            } == true)
        #expect(
            message(choice(sink: "kafka")) == "invalid configuration: --sink must be otlp-http or sqlite, not kafka")
    }

    @Test("OTLP-only flags without any endpoint are an error, not ignored")
    func otlpFlagsWithoutEndpoint() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<5, to: spool.path)
            let status = try await run(
                [spool.path, "--once", "--no-progress", "--header", "api-key=x"],
                environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": ""])
            #expect(status == UploadExitCode.configuration)
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
        }
    }

    @Test("endpoints the HTTP client cannot connect to are configuration errors, not a crash at the first request")
    func malformedEndpointsExitWithOne() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<5, to: spool.path)
            for endpoint in [
                "http://127.0.0.1:99999", "http://127.0.0.1:0", "http://[::1", "http://:4318", "http://h:x",
            ] {
                let status = try await run([spool.path, "--once", "--no-progress", "--endpoint", endpoint])
                #expect(status == UploadExitCode.configuration, "\(endpoint) exited with \(status)")
                let variable = try await run(
                    [spool.path, "--once", "--no-progress"], environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": endpoint])
                #expect(
                    variable == UploadExitCode.configuration, "OTEL_EXPORTER_OTLP_ENDPOINT=\(endpoint): \(variable)")
            }
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
        }
    }

    /// `--metrics-port`: the uploader's metrics, with their help texts, in Prometheus text format at `/metrics`.
    @Test(.timeLimit(.minutes(2))) func metricsAreServedAtMetrics() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<50, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            // Bind then close a server to get a free port.
            let probe = try await TestHTTPServer.start { _, _ in .ok }
            let port = probe.port
            await probe.stop()
            let p = try ChildProcess.start(
                ChildProcess.uploaderBinary, [spool.path, "--endpoint", server.url, "--metrics-port", String(port)])
            await server.waitForDeliveredSpans(50)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            // The child counts the segment once it has removed it (polled: a child process).
            var text = ""
            while !text.contains("tracespool_upload_segments_completed_total 1\n") {
                try await Task.sleep(for: .milliseconds(20))
                let response = try await client.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(30))
                #expect(response.status == .ok)
                #expect(response.headers.first(name: "content-type") == "text/plain; version=0.0.4")
                text = String(buffer: try await response.body.collect(upTo: 1 << 20))
            }
            let missing = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/other"), timeout: .seconds(30))
            try await client.shutdown()
            kill(p.processIdentifier, SIGTERM)
            #expect(await ChildProcess.wait(p))
            await server.stop()
            #expect(missing.status == .notFound)
            for definition in UploadMetrics.definitions {
                let kind = definition.kind == .counter ? "counter" : "gauge"
                #expect(
                    text.contains("# HELP \(definition.name) \(definition.help)\n# TYPE \(definition.name) \(kind)\n"))
            }
            #expect(text.contains("tracespool_upload_spans_sent_total 50\n"))
            #expect(text.contains("tracespool_upload_requests_total 1\n"))
            #expect(p.terminationStatus == 0)
        }
    }

    /// The executable names its flags where the library names its properties.
    @Test func configurationMessagesNameTheFlags() {
        let messages: [(UploadError, String)] = [
            (.invalidConfiguration(.maxSpansBelowOne), "--max-batch-spans must be at least 1"),
            (.invalidConfiguration(.maxBytesBelow1024), "--max-batch-bytes must be at least 1024"),
            (
                .invalidConfiguration(.maxInFlightBytesBelowMaxBytes),
                "--max-in-flight-bytes must be at least --max-batch-bytes"
            ),
            (.invalidConfiguration(.maxLatencyBelowOneMillisecond), "--max-latency-ms must be positive"),
            (.invalidConfiguration(.noSpoolDirectory), "give at least one spool directory"),
            (.invalidConfiguration(.unknownCompression("brotli")), "compression must be gzip or none, not brotli"),
            (
                .invalidConfiguration(.header(entry: 2, .missingEquals)),
                "header entry 2 has no '=' (expected name=value)"
            ),
        ]
        for (error, message) in messages {
            #expect(CommandLineConfigurationError(error).description == "invalid configuration: \(message)")
        }
        #expect(
            CommandLineConfigurationError(message: "--sink must be otlp-http or sqlite, not x").description
                == "invalid configuration: --sink must be otlp-http or sqlite, not x")
        let sqlite = UploadError.sqlite(operation: "open /x", code: 14, message: "unable to open database file")
        #expect(CommandLineConfigurationError(sqlite).description == sqlite.description)
    }
}

@Suite struct FollowModeTests {
    /// Follow mode without inotify, on a manual clock: spans written while the uploader waits are shipped when the
    /// clock reaches the end of the wait, not before; a graceful shutdown of its service group then stops it.
    @Test(.timeLimit(.minutes(1))) func pollingFollowerShipsSpansWrittenAfterItStarted() async throws {
        try await withTemporarySpool { spool in
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let logs = CapturedLogs()
            let clock = ManualClock()
            var configuration = SpoolUploader.Configuration(
                spoolDirectories: [spool.path],
                destination: .otlpHTTP(.init(tracesEndpoint: server.url + "/v1/traces")))
            configuration.follow.maxLatency = .milliseconds(100)
            configuration.follow.usesInotify = false
            let uploader = try SpoolUploader(configuration: configuration, logger: logs.logger(), clock: clock)
            let group = ServiceGroup(services: [uploader], logger: quietLogger())
            let running = Task { try await group.run() }

            // The first pass found nothing; the loop waits 10 ms (a tenth of the latency), then up to 90 ms more.
            await clock.waitForSleepers(count: 1)
            #expect(clock.sleepDeadlines == [clock.now.advanced(by: .milliseconds(10))])
            try TestSpans.write(0..<300, to: spool.path)
            clock.advance(by: .milliseconds(10))
            await clock.waitForSleepers(count: 1)
            #expect(clock.sleepDeadlines == [clock.now.advanced(by: .milliseconds(90))])
            #expect(server.requests.isEmpty, "nothing is shipped before the wait ends")
            clock.advance(by: .milliseconds(90))

            // The next pass ships the spans and removes the segment, then the loop waits again.
            let summary = try await shutDownAfterDelivery(
                of: 300, server: server, logs: logs, group: group, running: running)
            await server.stop()
            #expect(summary["spans_sent"] == "300")
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<300))
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }
}
