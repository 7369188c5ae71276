/// What counts as a credential in an HTTP request, for the one rule that spans and recordings share: a credential
/// is never written, neither as an attribute nor into a recording.
///
/// Header fields: `Authorization`, `Proxy-Authorization`, `Cookie`, `Set-Cookie`, `x-api-key` (Anthropic),
/// `api-key` (Azure OpenAI), `x-goog-api-key` (Gemini), and any name containing `token`, `secret` or `password`.
/// Query parameters: `key`, `api-key`, `api_key`, `apikey`, `access_token`, `token`, `sig`, `signature`,
/// `x-goog-signature`, `code` and `client_secret`. Names compare without regard to ASCII case.
package enum CredentialFilter {
    static let headerNames: Set<String> = [
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key", "x-goog-api-key",
    ]
    static let headerFragments = ["token", "secret", "password"]
    static let queryNames: Set<String> = [
        "key", "api-key", "api_key", "apikey", "access_token", "token", "sig", "signature", "x-goog-signature", "code",
        "client_secret",
    ]

    /// The value written in place of a credential in a URL (the OpenTelemetry HTTP conventions' `REDACTED`).
    package static let marker = "REDACTED"

    /// Whether the header field `name` carries a credential.
    package static func isCredentialHeader(_ name: String) -> Bool {
        let lower = name.lowercased()
        return headerNames.contains(lower) || headerFragments.contains { lower.contains($0) }
    }

    /// `headers` without the fields that carry credentials.
    package static func withoutCredentials(_ headers: [LLMHTTPHeader]) -> [LLMHTTPHeader] {
        headers.filter { !isCredentialHeader($0.name) }
    }

    /// Whether the query parameter `name` carries a credential.
    package static func isCredentialQueryParameter(_ name: some StringProtocol) -> Bool {
        queryNames.contains(name.lowercased())
    }

    /// `url` with the value of every credential query parameter replaced by `marker` and any user information
    /// (`user:password@`) removed; the rest unchanged, byte for byte.
    package static func redactedURL(_ url: String) -> String {
        var url = Substring(url)
        var fragment: Substring = ""
        if let hash = url.firstIndex(of: "#") {
            fragment = url[hash...]
            url = url[..<hash]
        }
        var head = url
        var query: Substring?
        if let question = url.firstIndex(of: "?") {
            head = url[..<question]
            query = url[url.index(after: question)...]
        }
        var result = removingUserInfo(head)
        if let query {
            let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
                guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
                let name = pair[..<equals]
                return isCredentialQueryParameter(name) ? "\(name)=\(marker)" : String(pair)
            }
            result += "?" + parameters.joined(separator: "&")
        }
        return result + fragment
    }

    private static func removingUserInfo(_ head: Substring) -> String {
        let slashes: [Character] = [":", "/", "/"]
        guard let colon = head.indices.first(where: { head[$0...].starts(with: slashes) }) else { return String(head) }
        let authorityStart = head.index(colon, offsetBy: 3)
        let authorityEnd = head[authorityStart...].firstIndex(of: "/") ?? head.endIndex
        guard let at = head[authorityStart..<authorityEnd].lastIndex(of: "@") else { return String(head) }
        return String(head[..<authorityStart]) + head[head.index(after: at)...]
    }
}
