import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix
package import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why one OTLP/HTTP request failed, worded for the operator: what happened at which address, and what to check.
///
/// The failures where the backend never answered HTTP (``neverAnswered``) are the ones a retry is unlikely to cure
/// soon: nothing listens at the address, the host name does not resolve, the certificate is not accepted, or the
/// server speaks another protocol (the OTLP/gRPC port).
package enum DeliveryFailure: Sendable, Equatable, CustomStringConvertible {
    /// The connection was refused: nothing listens at `address` (`host:port`).
    case refused(address: String)
    /// The host name cannot be resolved.
    case unresolvable(host: String)
    /// The TLS handshake with `address` failed; `problem` says what (untrusted issuer, host name, expiry).
    case certificate(address: String, problem: String)
    /// The server at `address` answered, but not with HTTP/1.1; `http2` when the answer is an HTTP/2 frame (the
    /// OTLP/gRPC port).
    case notHTTP(address: String, http2: Bool)
    /// No connection to `address` within the connect timeout.
    case connectTimeout(address: String)
    /// No route to `address` (network or host unreachable).
    case unreachable(address: String)
    /// The server answered with a status that is retried (408, 429, 5xx).
    case status(Int)
    /// Anything else (a reset connection, a request timeout), described.
    case other(String)

    /// Whether the backend never answered HTTP: the only failures after which `--once` gives up early.
    package var neverAnswered: Bool {
        switch self {
        case .refused, .unresolvable, .certificate, .notHTTP, .connectTimeout, .unreachable: true
        case .status, .other: false
        }
    }

    /// One line: what failed, and the hint.
    package var description: String {
        switch self {
        case .refused(let address):
            "connection refused: nothing listens at \(address) (is the collector running, and is this its port?)"
        case .unresolvable(let host):
            "cannot resolve the host name \(host) (check its spelling and the DNS configuration)"
        case .certificate(let address, let problem):
            "TLS handshake with \(address) failed: \(problem)"
        case .notHTTP(let address, true):
            "\(address) answered with HTTP/2 frames: this is the OTLP/gRPC port; OTLP/HTTP is usually 4318"
        case .notHTTP(let address, false):
            "\(address) did not answer with HTTP/1.1 (is this an OTLP/HTTP endpoint? OTLP/HTTP is usually port 4318)"
        case .connectTimeout(let address):
            "no answer from \(address) within the connect timeout (is the host up? a firewall dropping packets?)"
        case .unreachable(let address):
            "no route to \(address) (network or host unreachable: check the address and the network configuration)"
        case .status(let status): "HTTP \(status)"
        case .other(let text): text
        }
    }

    /// Classifies an error of the HTTP client for a request to `address`. Certificate failures other than a host
    /// name mismatch and answers that are not HTTP/1.1 are described only roughly; ``diagnosed(address:tls:)``
    /// connects again to tell which.
    package static func classify(_ error: any Error, address: EndpointAddress) -> DeliveryFailure {
        let target = address.hostAndPort
        switch error {
        case let error as NIOConnectionError:
            if error.dnsAError != nil || error.dnsAAAAError != nil { return .unresolvable(host: address.host) }
            let refused = error.connectionErrors.contains { ($0.error as? IOError)?.errnoCode == ECONNREFUSED }
            if refused { return .refused(address: target) }
            if let first = error.connectionErrors.first { return classify(first.error, address: address) }
            return .other("cannot connect to \(target)")
        case is SocketAddressError.UnknownHost:
            return .unresolvable(host: address.host)
        case let error as IOError where error.errnoCode == ECONNREFUSED:
            return .refused(address: target)
        case let error as IOError where error.errnoCode == ENETUNREACH || error.errnoCode == EHOSTUNREACH:
            return .unreachable(address: target)
        case let error as IOError:
            return .other("\(target): \(String(cString: strerror(error.errnoCode)))")
        case let error as NIOSSLExtraError where error == .failedToValidateHostname:
            return .certificate(
                address: target,
                problem: "the certificate does not name the host \(address.host) (host name mismatch)")
        case let error as NIOSSLError:
            return tlsFailure("\(error)", target: target)
        case let error as BoringSSLError:
            return tlsFailure("\(error)", target: target)
        case is HTTPParserError:
            return .notHTTP(address: target, http2: false)
        case let error as HTTPClientError where error == .connectTimeout:
            return .connectTimeout(address: target)
        case let error as HTTPClientError where error == .remoteConnectionClosed:
            return .other("\(target) closed the connection without an answer")
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return .other("no answer from \(target) within the request timeout")
        case is ChannelError:
            if case .connectTimeout = error as? ChannelError { return .connectTimeout(address: target) }
            return .other("\(target): \(error)")
        default:
            let text = String(describing: error)
            return .other(text.count > 300 ? String(text.prefix(300)) : text)
        }
    }

    /// A TLS failure described by the TLS library's `text`: its reason codes (`CERTIFICATE_VERIFY_FAILED`, ...)
    /// without file names, and a hint when the server refused the client certificate or wants one.
    private static func tlsFailure(_ text: String, target: String) -> DeliveryFailure {
        let reasons = text.split(separator: "OPENSSL_internal:").dropFirst().map {
            $0.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        }
        let reason = reasons.isEmpty ? text : reasons.joined(separator: ", ")
        let clientCertificateAlerts = ["CERTIFICATE_REQUIRED", "BAD_CERTIFICATE", "UNKNOWN_CA", "CERTIFICATE_UNKNOWN"]
        if clientCertificateAlerts.contains(where: { reason.contains($0) }) {
            return .certificate(
                address: target,
                problem: """
                    the server refused the client certificate or requires one (\(reason); give --client-cert and \
                    --client-key, or OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE and OTEL_EXPORTER_OTLP_CLIENT_KEY)
                    """)
        }
        return .certificate(address: target, problem: reason)
    }

    /// This failure with its cause found by a second connection where the first did not tell: which certificate
    /// check failed (expired, not yet valid, or not issued by a trusted CA), and whether a server that does not
    /// speak HTTP/1.1 speaks HTTP/2 (the OTLP/gRPC port). Other failures are returned as they are.
    ///
    /// - Parameter tls: the client's TLS configuration (its trust roots decide what counts as trusted).
    package func diagnosed(address: EndpointAddress, tls: TLSConfiguration?) async -> DeliveryFailure {
        switch self {
        case .certificate(let target, let problem) where problem.contains("CERTIFICATE_VERIFY_FAILED"):
            guard let validity = await EndpointProbe.leafCertificateValidity(of: address, tls: tls) else { return self }
            let now = time(nil)
            if validity.notValidAfter < now {
                return .certificate(
                    address: target, problem: "the certificate expired on \(Self.date(validity.notValidAfter))")
            }
            if validity.notValidBefore > now {
                return .certificate(
                    address: target,
                    problem:
                        "the certificate is not valid before \(Self.date(validity.notValidBefore)) (check the clocks)")
            }
            return .certificate(
                address: target,
                problem: """
                    the certificate is not issued by a trusted CA (untrusted issuer; for a private CA give its \
                    certificate with --ca-file or OTEL_EXPORTER_OTLP_CERTIFICATE)
                    """)
        case .notHTTP(let target, false) where !address.isHTTPS:
            guard let bytes = await EndpointProbe.firstBytes(of: address) else { return self }
            return .notHTTP(address: target, http2: Self.isHTTP2Frame(bytes))
        default:
            return self
        }
    }

    /// Whether `bytes` start with an HTTP/2 frame header on stream 0 (a server's SETTINGS or GOAWAY): the answer of
    /// an HTTP/2-only server (gRPC) to an HTTP/1.1 request.
    package static func isHTTP2Frame(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 9 else { return false }
        let length = Int(bytes[0]) << 16 | Int(bytes[1]) << 8 | Int(bytes[2])
        let type = bytes[3]
        let stream = bytes[5...8].reduce(0) { $0 << 8 | Int($1) } & 0x7FFF_FFFF
        return (type == 0x04 || type == 0x07) && stream == 0 && length <= 16_384
    }

    /// `YYYY-MM-DD` (UTC) of a time.
    private static func date(_ t: time_t) -> String {
        var value = t
        var parts = tm()
        gmtime_r(&value, &parts)
        func pad(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(parts.tm_year + 1900)-\(pad(parts.tm_mon + 1))-\(pad(parts.tm_mday))"
    }
}
