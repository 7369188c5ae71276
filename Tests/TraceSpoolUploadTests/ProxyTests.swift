import Foundation
import NIOSSL
import SpoolFormat
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@testable import tracespool_upload

/// Proxies from the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY` and their lowercase forms): uploads go
/// through a real loopback `CONNECT` proxy, or around it when `NO_PROXY` matches the endpoint's host.
@Suite(.enabled(if: ConnectProxy.available, "needs /usr/bin/python3"), .timeLimit(.minutes(5)))
struct ProxyTests {
    typealias Proxy = SpoolUploader.Configuration.OTLPHTTPExporter.Proxy

    @Test("HTTP_PROXY tunnels an http:// upload, with its credentials as Proxy-Authorization, never logged")
    func httpEndpointThroughTheProxy() async throws {
        try await withTemporarySpool { work in
            let proxy = try ConnectProxy(directory: work.path)
            defer { proxy.stop() }
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let spool = work.path + "/spool"
            try TestSpans.write(0..<25, to: spool)
            let run = try await UploaderRun.run(
                [spool, "--once", "--no-progress", "--endpoint", server.url, "--log-level", "trace"],
                environment: ["HTTP_PROXY": "http://tracer:s%40cret-pw@127.0.0.1:\(proxy.port)"])
            await server.stop()
            #expect(run.status == UploadExitCode.success, "\(run.log)")
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<25))
            let basic = "Basic " + Data("tracer:s@cret-pw".utf8).base64EncodedString()
            #expect(proxy.requests == ["CONNECT 127.0.0.1:\(server.port) \(basic)"])
            #expect(!run.log.contains("cret-pw"), "the proxy password is never logged")
            #expect(run.lines(containing: "sink otlp-http").first?.contains("proxy=127.0.0.1:\(proxy.port)") == true)
        }
    }

    @Test("HTTPS_PROXY tunnels an https:// upload (TLS verified against the endpoint); NO_PROXY bypasses it")
    func httpsEndpointThroughTheProxyAndBypass() async throws {
        try await withTemporarySpool { work in
            guard TestCertificates.available else { return }
            let certificates = try TestCertificates(directory: work.path)
            let (cert, key) = try certificates.leaf("server", subjectAltName: "IP:127.0.0.1")
            let server = try await TestHTTPServer.start(
                tls: try HopelessEndpointTests.serverContext(cert: cert, key: key)
            ) { _, _ in .ok }
            let proxy = try ConnectProxy(directory: work.path)
            defer { proxy.stop() }
            let spool = work.path + "/spool"
            var environment = [
                "https_proxy": "127.0.0.1:\(proxy.port)", "OTEL_EXPORTER_OTLP_CERTIFICATE": certificates.caCertificate,
            ]
            try TestSpans.write(0..<10, to: spool)
            let proxied = try await UploaderRun.run(
                [spool, "--once", "--no-progress", "--endpoint", server.httpsURL], environment: environment)
            #expect(proxied.status == UploadExitCode.success, "\(proxied.log)")
            #expect(proxy.requests == ["CONNECT 127.0.0.1:\(server.port) -"])

            environment["NO_PROXY"] = "localhost, 127.0.0.0/8"
            try TestSpans.write(10..<20, to: spool)
            let direct = try await UploaderRun.run(
                [spool, "--once", "--no-progress", "--endpoint", server.httpsURL], environment: environment)
            await server.stop()
            #expect(direct.status == UploadExitCode.success, "\(direct.log)")
            #expect(proxy.requests.count == 1, "NO_PROXY matched: no new CONNECT")
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<20))
        }
    }

    @Test("a malformed proxy variable is a configuration error naming the variable, not its value")
    func malformedProxyVariable() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<5, to: spool.path)
            let run = try await UploaderRun.run(
                [spool.path, "--once", "--no-progress", "--endpoint", "https://collector.example:4318"],
                environment: ["HTTPS_PROXY": "socks5://user:hunter2@proxy:1080"])
            #expect(run.status == UploadExitCode.configuration)
            #expect(run.log.contains("HTTPS_PROXY is not a usable proxy URL"), "\(run.log)")
            #expect(!run.log.contains("hunter2"))
        }
    }

    @Test func proxyVariablesAreChosenAsCurlDoes() throws {
        func proxy(_ environment: [String: String], _ endpoint: String) throws -> String? {
            try Proxy.fromEnvironment(environment, endpoint: endpoint).map { "\($0.host):\($0.port)" }
        }
        let https = "https://collector.example.com:4318/v1/traces"
        let http = "http://collector.example.com:4318/v1/traces"
        #expect(try proxy(["HTTPS_PROXY": "http://p:3128"], https) == "p:3128")
        #expect(try proxy(["HTTPS_PROXY": "http://p:3128"], http) == nil, "HTTPS_PROXY is for https:// only")
        #expect(try proxy(["HTTP_PROXY": "p:8080"], http) == "p:8080")
        #expect(try proxy(["https_proxy": "lower:1", "HTTPS_PROXY": "upper:2"], https) == "lower:1")
        #expect(try proxy(["http_proxy": "lower:1", "HTTP_PROXY": "upper:2"], http) == "lower:1")
        #expect(try proxy(["ALL_PROXY": "all"], https) == "all:1080", "curl's default proxy port")
        #expect(try proxy(["all_proxy": "lower:1", "ALL_PROXY": "upper:2"], http) == "lower:1")
        #expect(try proxy(["HTTPS_PROXY": "", "ALL_PROXY": "all:3"], https) == "all:3", "empty counts as unset")
        #expect(try proxy(["HTTP_PROXY": "p:1", "no_proxy": "other.org", "NO_PROXY": "*"], http) == "p:1")
        #expect(try proxy(["HTTPS_PROXY": "p:3128", "NO_PROXY": "*"], https) == nil)
        #expect(try proxy(["HTTPS_PROXY": "p:3128", "no_proxy": ".example.com"], https) == nil)
        #expect(try proxy(["HTTPS_PROXY": "p:3128", "NO_PROXY": "other.com"], https) == "p:3128")
        #expect(throws: UploadError.invalidConfiguration(.proxyURL(variable: "HTTPS_PROXY"))) {
            try proxy(["HTTPS_PROXY": "https://p:3128"], https)
        }
        let credentials = Proxy(url: "http://us%3Aer:p%40ss@[::1]:3128/")
        #expect(credentials == Proxy(host: "::1", port: 3128, username: "us:er", password: "p@ss"))
        #expect(Proxy(url: "http://p:0") == nil)
        #expect(Proxy(url: "http://p:3128/path") == nil)
    }

    @Test func noProxyRulesFollowCurl() {
        func bypasses(_ list: String, _ host: String, _ port: Int = 4318) -> Bool {
            Proxy.bypasses(noProxy: list, host: host, port: port)
        }
        #expect(bypasses("*", "anything"))
        #expect(bypasses("example.com", "example.com"))
        #expect(bypasses("example.com", "api.example.com"))
        #expect(bypasses(".example.com", "api.example.com"))
        #expect(bypasses(".example.com", "example.com"))
        #expect(!bypasses("example.com", "notexample.com"))
        #expect(bypasses(" other.org , EXAMPLE.com ", "Api.Example.com"), "blanks and case")
        #expect(bypasses("10.1.2.3", "10.1.2.3"))
        #expect(!bypasses("10.1.2.3", "10.1.2.30"))
        #expect(bypasses("10.0.0.0/8", "10.200.3.4"))
        #expect(!bypasses("10.0.0.0/8", "11.0.0.1"))
        #expect(bypasses("::1", "::1"))
        #expect(bypasses("[::1]", "::1"))
        #expect(bypasses("example.com:4318", "example.com", 4318))
        #expect(!bypasses("example.com:4318", "example.com", 443), "an entry with a port applies to that port")
        #expect(!bypasses("", "example.com"))
    }
}
