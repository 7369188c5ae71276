import AsyncHTTPClient
import SpoolBase

extension SpoolUploader.Configuration.OTLPHTTPExporter {
    /// An HTTP proxy: every connection is a `CONNECT` tunnel through it (TLS to an `https://` endpoint runs inside
    /// the tunnel, verified against the endpoint's host name).
    public struct Proxy: Sendable, Equatable {
        /// The proxy's host name or IP address (an IPv6 address without brackets).
        public var host: String
        /// The proxy's port.
        public var port: Int
        /// The user name sent in `Proxy-Authorization: Basic` (with ``password``); nil sends none. Never logged.
        public var username: String?
        /// The password sent with ``username``. Never logged.
        public var password: String?

        /// A proxy at `host:port`, with optional credentials for `Proxy-Authorization: Basic`.
        public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
        }

        /// Parses a proxy URL as curl reads the proxy variables: `[http://][user[:password]@]host[:port][/]`, the
        /// user and password percent-decoded, the port 1080 when none is given.
        ///
        /// - Returns: nil for another scheme (`https://` and `socks*://` proxies are not supported), no host, or a
        ///   port outside 1–65535.
        public init?(url: String) {
            var rest = Substring(url.trimmingSpaces)
            if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
                guard rest[..<colon].lowercased() == "http" else { return nil }
                rest = rest[rest.index(colon, offsetBy: 3)...]
            }
            if rest.hasSuffix("/") { rest = rest.dropLast() }
            guard !rest.contains("/") else { return nil }
            if let at = rest.lastIndex(of: "@") {
                let userinfo = rest[..<at]
                rest = rest[rest.index(after: at)...]
                let colon = userinfo.firstIndex(of: ":")
                guard let user = Self.percentDecoded(userinfo[..<(colon ?? userinfo.endIndex)]),
                    let password = Self.percentDecoded(colon.map { userinfo[userinfo.index(after: $0)...] } ?? "")
                else { return nil }
                username = user
                self.password = password
            }
            let hostPart: Substring
            var portPart: Substring?
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else { return nil }
                hostPart = rest[rest.index(after: rest.startIndex)..<close]
                let after = rest[rest.index(after: close)...]
                guard after.isEmpty || after.hasPrefix(":") else { return nil }
                if !after.isEmpty { portPart = after.dropFirst() }
            } else {
                let colon = rest.firstIndex(of: ":")
                hostPart = rest[..<(colon ?? rest.endIndex)]
                portPart = colon.map { rest[rest.index(after: $0)...] }
            }
            guard !hostPart.isEmpty,
                hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._:%".contains($0)) })
            else { return nil }
            host = String(hostPart)
            if let portPart {
                guard portPart.allSatisfy({ $0.isASCII && $0.isNumber }), let p = Int(portPart), (1...65535).contains(p)
                else { return nil }
                port = p
            } else {
                port = 1080
            }
        }

        /// The proxy the environment sets for requests to `endpoint`, as curl reads it: for an `https://`
        /// endpoint `https_proxy`, else `HTTPS_PROXY`; for an `http://` endpoint `http_proxy`, else `HTTP_PROXY`;
        /// then `all_proxy`, else `ALL_PROXY`. Empty variables count as unset. None when the endpoint's host
        /// matches `no_proxy` (else `NO_PROXY`, see ``bypasses(noProxy:host:port:)``).
        ///
        /// - Throws: `UploadError.invalidConfiguration(.proxyURL)` naming the variable (never its value) when it is
        ///   not a usable proxy URL; `.endpointScheme`, `.endpointHost` or `.endpointPort` for a malformed
        ///   `endpoint`.
        public static func fromEnvironment(_ environment: [String: String], endpoint: String) throws(UploadError)
            -> Proxy?
        {
            let address = try EndpointAddress(url: endpoint)
            let scheme = address.isHTTPS ? "https" : "http"
            let names = ["\(scheme)_proxy", "\(scheme.uppercased())_PROXY", "all_proxy", "ALL_PROXY"]
            guard let name = names.first(where: { environment[$0]?.isEmpty == false }), let value = environment[name]
            else { return nil }
            let noProxy = [environment["no_proxy"], environment["NO_PROXY"]].compactMap { $0 }.first { !$0.isEmpty }
            if let noProxy, bypasses(noProxy: noProxy, host: address.host, port: address.port) { return nil }
            guard let proxy = Proxy(url: value) else { throw .invalidConfiguration(.proxyURL(variable: name)) }
            return proxy
        }

        /// Whether a `NO_PROXY` list exempts `host:port` from the proxy, as curl reads it: comma-separated entries,
        /// case-insensitive, blanks ignored; `*` exempts every host; a host name exempts itself and its subdomains
        /// (`example.com` and `.example.com` both exempt `example.com` and `api.example.com`); an IP address
        /// exempts itself (IPv6 with or without brackets), an IPv4 `address/bits` its network; an entry ending in
        /// `:port` applies to that port only.
        public static func bypasses(noProxy: String, host: String, port: Int) -> Bool {
            let host = host.lowercased()
            for raw in noProxy.split(separator: ",") {
                var entry = Substring(String(raw).trimmingSpaces.lowercased())
                if entry.isEmpty { continue }
                if entry == "*" { return true }
                var entryPort: Int?
                if let colon = entry.lastIndex(of: ":"), entry.hasPrefix("[") || !entry[..<colon].contains(":"),
                    let p = Int(entry[entry.index(after: colon)...])
                {
                    entryPort = p
                    entry = entry[..<colon]
                }
                if entry.hasPrefix("["), entry.hasSuffix("]") { entry = entry.dropFirst().dropLast() }
                if let entryPort, entryPort != port { continue }
                if let slash = entry.firstIndex(of: "/") {
                    if let network = IPv4(entry[..<slash]), let bits = Int(entry[entry.index(after: slash)...]),
                        (0...32).contains(bits), let address = IPv4(Substring(host))
                    {
                        let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
                        if address.value & mask == network.value & mask { return true }
                    }
                    continue
                }
                if entry.hasPrefix(".") { entry = entry.dropFirst() }
                if host == entry || host.hasSuffix("." + entry) { return true }
            }
            return false
        }

        /// The HTTP client's proxy setting (credentials as `Proxy-Authorization: Basic`).
        var clientProxy: HTTPClient.Configuration.Proxy {
            guard let username else { return .server(host: host, port: port) }
            return .server(
                host: host, port: port, authorization: .basic(username: username, password: password ?? ""))
        }

        /// `text` with `%XX` escapes decoded as UTF-8; nil when an escape is malformed.
        private static func percentDecoded(_ text: Substring) -> String? {
            var bytes: [UInt8] = []
            var i = text.utf8.startIndex
            let utf8 = text.utf8
            while i < utf8.endIndex {
                if utf8[i] == UInt8(ascii: "%") {
                    let hex = utf8[utf8.index(after: i)...].prefix(2)
                    guard hex.count == 2, let byte = UInt8(String(decoding: hex, as: UTF8.self), radix: 16) else {
                        return nil
                    }
                    bytes.append(byte)
                    i = utf8.index(i, offsetBy: 3)
                } else {
                    bytes.append(utf8[i])
                    i = utf8.index(after: i)
                }
            }
            return String(validating: bytes, as: UTF8.self)
        }
    }
}

/// A dotted-quad IPv4 address.
private struct IPv4 {
    var value: UInt32

    init?(_ text: Substring) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }), let byte = UInt8(part) else {
                return nil
            }
            value = value << 8 | UInt32(byte)
        }
        self.value = value
    }
}
