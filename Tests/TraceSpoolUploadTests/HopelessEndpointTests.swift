import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@testable import tracespool_upload

/// `tracespool-upload --once` against backends that never answer HTTP: the first failure is logged at once with the
/// URL and a hint, the pass gives up after `--give-up-unanswered-ms` (not the five-minute retry budget), the exit
/// status is 3 and the segments stay in the spool.
@Suite struct HopelessEndpointTests {
    /// The flags of every run: a give-up limit of 200 ms, and a retry budget of an hour that the test would wait
    /// for if the give-up limit did not apply.
    static let flags = [
        "--once", "--no-progress", "--give-up-unanswered-ms", "200", "--retry-max-elapsed-ms", "3600000",
    ]

    /// Runs `--once` on a spool of 20 spans against `endpoint` and checks what every hopeless endpoint has in
    /// common; returns the first-failure log line.
    func expectGivesUp(
        endpoint: String, extra: [String] = [], environment: [String: String] = [:]
    ) async throws -> String {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<20, to: spool.path)
            let run = try await UploaderRun.run(
                [spool.path, "--traces-endpoint", endpoint] + Self.flags + extra, environment: environment,
                timeoutSeconds: 90)
            #expect(run.status == UploadExitCode.partial, "log:\n\(run.log)")
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1, "the segment stays for the next run")
            let first = run.lines(containing: "cannot deliver to \(endpoint)")
            #expect(first.count == 1, "one first-failure line; log:\n\(run.log)")
            #expect(first.first?.contains("level=error") == true)
            #expect(run.log.contains("limit 200 ms"), "the give-up follows --give-up-unanswered-ms; log:\n\(run.log)")
            return String(first.first ?? "")
        }
    }

    @Test(.timeLimit(.minutes(3))) func refusedConnection() async throws {
        let port = try await Self.closedPort()
        let line = try await expectGivesUp(endpoint: "http://127.0.0.1:\(port)/v1/traces")
        #expect(line.contains("connection refused: nothing listens at 127.0.0.1:\(port)"), "\(line)")
        #expect(!line.contains("error set"), "no NIO socket error text: \(line)")
    }

    @Test(.timeLimit(.minutes(3))) func unresolvableHost() async throws {
        let line = try await expectGivesUp(endpoint: "http://collector.tracespool-test.invalid:4318/v1/traces")
        #expect(line.contains("cannot resolve the host name collector.tracespool-test.invalid"), "\(line)")
    }

    /// Serves HTTPS with the certificate `make` returns (made with the test CA) and returns the first-failure
    /// line of an upload that trusts the test CA when `trustCA` is set.
    func certificateFailureLine(
        trustCA: Bool, _ make: (TestCertificates) throws -> (String, String)
    ) async throws -> String {
        try await withTemporarySpool { work in
            let certificates = try TestCertificates(directory: work.path)
            let (cert, key) = try make(certificates)
            let server = try await TestHTTPServer.start(tls: try Self.serverContext(cert: cert, key: key)) { _, _ in .ok
            }
            let line = try await expectGivesUp(
                endpoint: server.httpsURL + "/v1/traces",
                extra: trustCA ? ["--ca-file", certificates.caCertificate] : [])
            await server.stop()
            #expect(server.requests.isEmpty)
            return line
        }
    }

    @Test(.timeLimit(.minutes(3)), .enabled(if: TestCertificates.available, "needs /usr/bin/openssl"))
    func untrustedCertificate() async throws {
        let line = try await certificateFailureLine(trustCA: false) {
            try $0.selfSigned("selfsigned", subjectAltName: "IP:127.0.0.1")
        }
        #expect(line.contains("not issued by a trusted CA"), "\(line)")
    }

    @Test(.timeLimit(.minutes(3)), .enabled(if: TestCertificates.available, "needs /usr/bin/openssl"))
    func certificateForAnotherHost() async throws {
        let line = try await certificateFailureLine(trustCA: true) {
            try $0.leaf("other", subjectAltName: "DNS:other.example")
        }
        #expect(line.contains("does not name the host 127.0.0.1"), "\(line)")
    }

    @Test(.timeLimit(.minutes(3)), .enabled(if: TestCertificates.available, "needs /usr/bin/openssl"))
    func expiredCertificate() async throws {
        let line = try await certificateFailureLine(trustCA: true) {
            try $0.expired("expired", subjectAltName: "IP:127.0.0.1")
        }
        #expect(line.contains("the certificate expired on 2020-01-02"), "\(line)")
    }

    @Test("an HTTP/2 answer (the OTLP/gRPC port) is named as such", .timeLimit(.minutes(3)))
    func grpcPort() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTP2SettingsAnswer())
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = server.localAddress!.port!
        let line = try await expectGivesUp(endpoint: "http://127.0.0.1:\(port)/v1/traces")
        try? await server.close()
        #expect(line.contains("this is the OTLP/gRPC port; OTLP/HTTP is usually 4318"), "\(line)")
    }

    @Test("a gRPC server's refusal (HTTP/2 over TLS: 415, application/grpc) defers instead of dead-lettering")
    func grpcRefusalIsNotDeadLettered() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<20, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in
                .status(415, headers: [("content-type", "application/grpc"), ("grpc-status", "3")])
            }
            let run = try await UploaderRun.run([spool.path, "--endpoint", server.url] + Self.flags)
            await server.stop()
            #expect(run.status == UploadExitCode.partial, "\(run.log)")
            #expect(server.requests.count == 1, "not retried")
            #expect(!FileManager.default.fileExists(atPath: spool.path + "/dead-letter"), "nothing dead-lettered")
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
            let line = run.lines(containing: "cannot deliver to")
            #expect(line.count == 1 && line[0].contains("this is the OTLP/gRPC port; OTLP/HTTP is usually 4318"))
        }
    }

    @Test("a backend that answers 503 keeps the whole retry budget", .timeLimit(.minutes(3)))
    func answeringBackendKeepsRetrying() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<20, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .status(503) }
            let run = try await UploaderRun.run([
                spool.path, "--endpoint", server.url, "--once", "--no-progress", "--give-up-unanswered-ms", "0",
                "--retry-base-ms", "1", "--retry-cap-ms", "5", "--retry-max-elapsed-ms", "400",
            ])
            await server.stop()
            #expect(run.status == UploadExitCode.partial)
            #expect(server.requests.count >= 2, "retried although --give-up-unanswered-ms is 0")
            #expect(run.lines(containing: "cannot deliver to").first?.contains("level=warning") == true, "\(run.log)")
        }
    }

    @Test(
        "following the spools keeps retrying a backend that never answered, whatever the once-only limit",
        .timeLimit(.minutes(1)))
    func followModeKeepsItsBackoff() async throws {
        let port = try await Self.closedPort()
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<5, to: spool.path)
            var configuration = SpoolUploader.Configuration(
                spoolDirectories: [spool.path],
                destination: .otlpHTTP(.init(tracesEndpoint: "http://127.0.0.1:\(port)/v1/traces")))
            configuration.retry.initialBackoff = .milliseconds(1)
            configuration.retry.maxBackoff = .milliseconds(2)
            configuration.retry.maxElapsed = .seconds(3600)
            configuration.retry.maxElapsedUnanswered = .zero
            let logs = CapturedLogs()
            let uploader = try SpoolUploader(configuration: configuration, logger: logs.logger())
            let group = ServiceGroup(services: [uploader], logger: quietLogger())
            let running = Task { try await group.run() }
            // With the once-only limit of zero, a drainOnce would give up before its first retry.
            await logs.waitFor("transient failure, retrying", count: 5)
            await group.triggerGracefulShutdown()
            try await running.valueUnlessCancelled
            #expect(!logs.entries.contains { $0.metadata["reason"]?.contains("never answered") == true })
            #expect(logs.entries.filter { $0.message.hasPrefix("cannot deliver to") }.count == 1)
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
        }
    }

    @Test("TRACESPOOL_GIVE_UP_UNANSWERED_MS sets the limit; malformed values are configuration errors")
    func unansweredLimitVariable() async throws {
        let port = try await Self.closedPort()
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<5, to: spool.path)
            let arguments = [
                spool.path, "--endpoint", "http://127.0.0.1:\(port)", "--once", "--no-progress",
                "--retry-max-elapsed-ms", "3600000",
            ]
            let run = try await UploaderRun.run(
                arguments, environment: [UnansweredGiveUp.variable: "150"], timeoutSeconds: 90)
            #expect(run.status == UploadExitCode.partial)
            #expect(run.log.contains("limit 150 ms"), "\(run.log)")
            for bad in ["soon", "-1"] {
                let bad = try await UploaderRun.run(arguments, environment: [UnansweredGiveUp.variable: bad])
                #expect(bad.status == UploadExitCode.configuration)
                #expect(bad.log.contains(UnansweredGiveUp.variable))
            }
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
        }
    }

    @Test("percent-encoded host names, which no resolver knows, are configuration errors, not DNS failures")
    func percentEncodedHostNames() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<5, to: spool.path)
            for endpoint in ["http://collector%2Eexample:4318/v1/traces", "http://%41:4318/v1/traces"] {
                let run = try await UploaderRun.run([
                    spool.path, "--once", "--no-progress", "--traces-endpoint", endpoint,
                ])
                #expect(run.status == UploadExitCode.configuration, "\(run.log)")
                #expect(run.log.contains("endpoint must name a host"), "\(run.log)")
            }
        }
    }

    @Test func http2FramesAreRecognised() {
        let settings: [UInt8] = [0, 0, 6, 0x04, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100]
        #expect(DeliveryFailure.isHTTP2Frame(settings))
        #expect(!DeliveryFailure.isHTTP2Frame(Array("HTTP/1.1 200 OK\r\n".utf8)))
        #expect(!DeliveryFailure.isHTTP2Frame([0, 0, 0, 0x04, 0, 0, 0, 0, 1]), "SETTINGS on a stream is no preface")
    }

    /// A loopback port with nothing listening (bound, then closed).
    static func closedPort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }

    static func serverContext(cert: String, key: String) throws -> NIOSSLContext {
        try NIOSSLContext(
            configuration: .makeServerConfiguration(
                certificateChain: NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
                privateKey: .privateKey(NIOSSLPrivateKey(file: key, format: .pem))))
    }
}

/// Answers whatever arrives as an HTTP/2-only server (gRPC) does: its SETTINGS frame, then GOAWAY, then closes.
private final class HTTP2SettingsAnswer: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    private var answered = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        answered = true
        let settings: [UInt8] = [0, 0, 6, 0x04, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 100]
        let goAway: [UInt8] = [0, 0, 8, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: settings + goAway)), promise: nil)
        context.close(promise: nil)
    }
}
