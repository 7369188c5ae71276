extension HTTPSpanAttributes {
    /// The parts of an absolute URL (`scheme://[userinfo@]host[:port]/path[?query][#fragment]`) the exchange needs,
    /// split without Foundation. A URL without `://` is taken as a path (host empty, port nil).
    package struct URLParts: Sendable, Equatable {
        /// The scheme, lowercased (`https`).
        package var scheme: String
        /// The host, without brackets for an IPv6 literal (`api.openai.com`, `::1`).
        package var host: String
        /// The port given in the URL, else the scheme's default (443 for https, 80 for http), else nil.
        package var port: Int?
        /// The path, `/` when the URL has none; without query and fragment.
        package var path: String

        /// Splits `url`.
        package init(_ url: String) {
            var rest = Substring(url)
            if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
            if let question = rest.firstIndex(of: "?") { rest = rest[..<question] }
            guard let separator = rest.firstRange(of: "://") else {
                scheme = ""
                host = ""
                port = nil
                path = rest.isEmpty ? "/" : String(rest)
                return
            }
            scheme = rest[..<separator.lowerBound].lowercased()
            let afterScheme = rest[separator.upperBound...]
            let authorityEnd = afterScheme.firstIndex(of: "/") ?? afterScheme.endIndex
            path = authorityEnd == afterScheme.endIndex ? "/" : String(afterScheme[authorityEnd...])
            var authority = afterScheme[..<authorityEnd]
            if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
            var portText: Substring?
            if authority.first == "[", let close = authority.firstIndex(of: "]") {
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let afterHost = authority[authority.index(after: close)...]
                if afterHost.first == ":" { portText = afterHost.dropFirst() }
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                portText = authority[authority.index(after: colon)...]
            } else {
                host = String(authority)
            }
            host = host.lowercased()
            if let portText, let number = Int(portText), (0...65535).contains(number) {
                port = number
            } else {
                port = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
            }
        }
    }
}
