import Foundation
import NIOSSL
import SpoolFormat
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@testable import tracespool_upload

/// The certificate variables (`OTEL_EXPORTER_OTLP_[TRACES_]CERTIFICATE`, `..._CLIENT_CERTIFICATE`, `..._CLIENT_KEY`)
/// and flags (`--ca-file`, `--client-cert`, `--client-key`) against a loopback HTTPS server that requires a client
/// certificate signed by the test CA.
@Suite(.enabled(if: TestCertificates.available, "needs /usr/bin/openssl"), .timeLimit(.minutes(5)))
struct MutualTLSTests {
    /// The CA, the server's certificate, a client certificate and the running server.
    struct Setup {
        let certificates: TestCertificates
        let client: (certificate: String, key: String)
        let server: TestHTTPServer
    }

    func withMutualTLSServer(_ body: (Setup, String) async throws -> Void) async throws {
        try await withTemporarySpool { work in
            let certificates = try TestCertificates(directory: work.path)
            let (serverCert, serverKey) = try certificates.leaf("server", subjectAltName: "IP:127.0.0.1")
            let client = try certificates.leaf("client", subjectAltName: "DNS:client.example", clientAuth: true)
            var tls = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(serverCert).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: serverKey, format: .pem)))
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificates.caCertificate))
            let server = try await TestHTTPServer.start(tls: try NIOSSLContext(configuration: tls)) { _, _ in .ok }
            let spool = work.path + "/spool"
            try TestSpans.write(0..<30, to: spool)
            try await body(Setup(certificates: certificates, client: client, server: server), spool)
            await server.stop()
        }
    }

    func upload(_ spool: String, _ setup: Setup, _ extra: [String] = [], environment: [String: String] = [:])
        async throws -> UploaderRun
    {
        try await UploaderRun.run(
            [spool, "--once", "--no-progress", "--endpoint", setup.server.httpsURL, "--give-up-unanswered-ms", "100"]
                + extra, environment: environment)
    }

    @Test func refusedWithoutAClientCertificateDeliveredWithOneFromTheVariables() async throws {
        try await withMutualTLSServer { setup, spool in
            let ca = ["OTEL_EXPORTER_OTLP_CERTIFICATE": setup.certificates.caCertificate]
            let refused = try await upload(spool, setup, environment: ca)
            #expect(refused.status == UploadExitCode.partial, "\(refused.log)")
            let hint = refused.lines(containing: "cannot deliver to")
            #expect(hint.count == 1 && hint[0].contains("the server refused the client certificate or requires one"))
            #expect(setup.server.requests.isEmpty)
            #expect(try SpoolDirectory(path: spool).segments().count == 1)

            var mutual = ca
            mutual["OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE"] = setup.client.certificate
            mutual["OTEL_EXPORTER_OTLP_CLIENT_KEY"] = setup.client.key
            let delivered = try await upload(spool, setup, environment: mutual)
            #expect(delivered.status == UploadExitCode.success, "\(delivered.log)")
            #expect(try TestSpans.indexes(setup.server.deliveredSpans()).sorted() == Array(0..<30))
        }
    }

    @Test("the TRACES_ variables win over the generic ones") func tracesVariablesWin() async throws {
        try await withMutualTLSServer { setup, spool in
            let missing = "/nonexistent/tracespool-test.pem"
            let run = try await upload(
                spool, setup,
                environment: [
                    "OTEL_EXPORTER_OTLP_CERTIFICATE": missing,
                    "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE": setup.certificates.caCertificate,
                    "OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE": missing,
                    "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE": setup.client.certificate,
                    "OTEL_EXPORTER_OTLP_CLIENT_KEY": missing,
                    "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY": setup.client.key,
                ])
            #expect(run.status == UploadExitCode.success, "\(run.log)")
        }
    }

    @Test("flags win over the variables") func flagsWin() async throws {
        try await withMutualTLSServer { setup, spool in
            let missing = "/nonexistent/tracespool-test.pem"
            let run = try await upload(
                spool, setup,
                [
                    "--ca-file", setup.certificates.caCertificate, "--client-cert", setup.client.certificate,
                    "--client-key", setup.client.key,
                ],
                environment: [
                    "OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE": missing,
                    "OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE": missing,
                    "OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY": missing,
                ])
            #expect(run.status == UploadExitCode.success, "\(run.log)")
        }
    }

    @Test("a client certificate without its key (or the reverse), and unusable files, are configuration errors")
    func unusableSettings() async throws {
        try await withMutualTLSServer { setup, spool in
            let certOnly = try await upload(spool, setup, ["--client-cert", setup.client.certificate])
            #expect(certOnly.status == UploadExitCode.configuration)
            #expect(certOnly.log.contains("--client-cert is set but --client-key"), "\(certOnly.log)")

            let keyOnly = try await upload(
                spool, setup, environment: ["OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY": setup.client.key])
            #expect(keyOnly.status == UploadExitCode.configuration)
            #expect(keyOnly.log.contains("OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY is set but"), "\(keyOnly.log)")

            let missing = "/nonexistent/tracespool-ca.pem"
            let unreadable = try await upload(spool, setup, environment: ["OTEL_EXPORTER_OTLP_CERTIFICATE": missing])
            #expect(unreadable.status == UploadExitCode.configuration)
            #expect(unreadable.log.contains(missing), "\(unreadable.log)")

            // A key where a certificate belongs, and a certificate where the key belongs.
            let swapped = try await upload(
                spool, setup, ["--client-cert", setup.client.key, "--client-key", setup.client.certificate])
            #expect(swapped.status == UploadExitCode.configuration)
            #expect(swapped.log.contains("\(setup.client.key) holds no PEM certificate"), "\(swapped.log)")
            let badKey = try await upload(
                spool, setup, ["--client-cert", setup.client.certificate, "--client-key", setup.client.certificate])
            #expect(badKey.status == UploadExitCode.configuration)
            #expect(badKey.log.contains("\(setup.client.certificate) holds no unencrypted PEM private key"))
            #expect(try SpoolDirectory(path: spool).segments().count == 1)
        }
    }
}
