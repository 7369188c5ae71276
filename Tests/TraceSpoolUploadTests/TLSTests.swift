import Foundation
import NIOSSL
import SpoolFormat
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

/// HTTPS: certificates are verified; a private CA is trusted only when given with `certificateFilePath` (`--ca-file`).
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "needs /usr/bin/openssl"))
struct TLSTests {
    /// A self-signed certificate for IP 127.0.0.1: (certificate path, key path).
    func makeCertificate(in directory: String) throws -> (String, String) {
        let cert = directory + "/cert.pem"
        let key = directory + "/key.pem"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        p.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
        ]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0)
        return (cert, key)
    }

    @Test func untrustedCertificatesAreRefusedAndTrustedOnesWork() async throws {
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            let (cert, key) = try makeCertificate(in: work.path)
            try TestSpans.write(0..<40, to: spool)
            let tls = try NIOSSLContext(
                configuration: .makeServerConfiguration(
                    certificateChain: NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) },
                    privateKey: .privateKey(NIOSSLPrivateKey(file: key, format: .pem))))
            let server = try await TestHTTPServer.start(tls: tls) { _, _ in .ok }
            let retry = retry(baseMillis: 10, capMillis: 50, maxElapsedMillis: 300)

            // Verification is on by default: the self-signed certificate is refused, nothing is sent, nothing is lost.
            let strict = try makeHTTPUploader(
                spool: spool, url: server.httpsURL, retry: retry, timeout: .milliseconds(5000))
            let refused = await strict.drainOnce()
            #expect(refused.segmentsDeferred == 1)
            #expect(server.requests.isEmpty)
            #expect(try SpoolDirectory(path: spool).segments().count == 1)

            // Trusting the certificate as a CA: delivered over TLS.
            let trusting = try makeHTTPUploader(
                spool: spool, url: server.httpsURL, retry: retry, timeout: .milliseconds(5000), certificateFile: cert)
            let delivered = await trusting.drainOnce()
            await server.stop()
            #expect(delivered.allDelivered)
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<40))
        }
    }
}
