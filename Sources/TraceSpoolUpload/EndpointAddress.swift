import AsyncHTTPClient

/// The parts of an `http://` or `https://` URL that choose where to connect: scheme, host and port.
package struct EndpointAddress: Sendable, Equatable {
    /// Whether the scheme is `https`.
    package var isHTTPS: Bool
    /// The host as written (a name or an IP address; an IPv6 address without its brackets), lowercased.
    package var host: String
    /// The port: the one written, else 443 for `https` and 80 for `http`.
    package var port: Int

    /// The host and port as one writes them in a URL (`[::1]:4318` for an IPv6 address).
    package var hostAndPort: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// Parses `url`: `http://` or `https://`, optional `user:password@`, a host (a name without percent-encoding, an
    /// IPv4 address, or an IPv6 address in brackets), optionally `:` and a port from 1 to 65535, then the path; the
    /// whole must be a URL the HTTP client accepts.
    ///
    /// - Throws: `UploadError.invalidConfiguration` with `.endpointScheme`, `.endpointHost` or `.endpointPort`.
    package init(url: String) throws(UploadError) {
        guard let colon = url.firstIndex(of: ":"), ["http", "https"].contains(url[..<colon]),
            url[colon...].hasPrefix("://")
        else {
            throw .invalidConfiguration(.endpointScheme)
        }
        isHTTPS = url[..<colon] == "https"
        var authority = url[url.index(colon, offsetBy: 3)...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host: Substring
        let port: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .invalidConfiguration(.endpointHost) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let rest = authority[authority.index(after: close)...]
            guard rest.isEmpty || rest.hasPrefix(":") else { throw .invalidConfiguration(.endpointHost) }
            port = rest.isEmpty ? nil : rest.dropFirst()
            // Hex digits, `:` and `.`, and after `%` a zone (percent-encoded interface name).
            let address = host.prefix { $0 != "%" }
            guard !address.isEmpty, address.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }),
                host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ":.%-_".contains($0)) })
            else { throw .invalidConfiguration(.endpointHost) }
        } else {
            let colon = authority.firstIndex(of: ":")
            host = authority[..<(colon ?? authority.endIndex)]
            port = colon.map { authority[authority.index(after: $0)...] }
            // No `%`: the HTTP client does not decode percent-encoded host names, so no name server would know one.
            let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) }
            guard !host.isEmpty, host.allSatisfy(allowed) else { throw .invalidConfiguration(.endpointHost) }
        }
        self.host = host.lowercased()
        if let port {
            guard port.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(port), (1...65535).contains(number)
            else {
                throw .invalidConfiguration(.endpointPort(String(port.prefix(20))))
            }
            self.port = number
        } else {
            self.port = isHTTPS ? 443 : 80
        }
        guard (try? HTTPClient.Request(url: url)) != nil else { throw .invalidConfiguration(.endpointURL) }
    }
}
