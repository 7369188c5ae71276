package import SpoolBase

/// What request matching compares: the method, the URL's path and query (scheme, host and port left out, so a
/// recording replays against another base URL; credential query parameters left out), and the canonical body.
///
/// The body is canonical JSON (`CanonicalJSON`, ignored fields removed) when it parses as JSON, else its bytes as
/// they are; an empty body is no body. Two keys are equal when all four parts are; the canonical JSON value kept
/// beside (`canonicalJSON`) serves to name differing fields and takes no part in equality.
package struct RequestMatchKey: Hashable, Sendable {
    /// The method, uppercase.
    package var method: String
    /// The URL path (`/` when the URL has none).
    package var path: String
    /// The query without credential parameters, parameters in their order (empty when none).
    package var query: String
    /// `J` and the canonical JSON written compactly, `B` and the raw bytes, or empty for no body.
    package var body: [UInt8]
    /// The canonical JSON body, nil when the body is not JSON.
    package var canonicalJSON: JSONValue?
    /// The raw body's length in bytes.
    package var bodyCount: Int

    /// The key of a request to `url` (absolute, or a path from `/`) with `body`, leaving out the fields `ignoring`
    /// names. `parsedBody` is the body already parsed as JSON, when the caller has it.
    package init(
        method: String, url: String, body: [UInt8], parsedBody: JSONValue? = nil, ignoring: [RequestMatchFieldPath]
    ) {
        self.method = method.uppercased()
        (path, query) = Self.pathAndQuery(of: url)
        bodyCount = body.count
        let json =
            parsedBody ?? (body.isEmpty ? nil : try? JSONReader.parse(body, maximumDepth: RecordingCodec.bodyDepth))
        if let json {
            let canonical = CanonicalJSON.canonical(json, ignoring: ignoring)
            canonicalJSON = canonical
            self.body = [UInt8(ascii: "J")] + CanonicalJSON.bytes(canonical)
        } else {
            canonicalJSON = nil
            self.body = body.isEmpty ? [] : [UInt8(ascii: "B")] + body
        }
    }

    /// The URL's path (`/` when empty) and its query without credential parameters (empty when none); the
    /// fragment is dropped.
    package static func pathAndQuery(of url: String) -> (path: String, query: String) {
        var rest = Substring(url)
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let scheme = rest.firstRange(of: "://") {
            let authority = rest[scheme.upperBound...]
            rest = authority[(authority.firstIndex { $0 == "/" || $0 == "?" } ?? authority.endIndex)...]
        }
        var path = rest
        var query: Substring = ""
        if let question = rest.firstIndex(of: "?") {
            path = rest[..<question]
            query = rest[rest.index(after: question)...]
        }
        let kept = query.split(separator: "&").filter { pair in
            let name = pair[..<(pair.firstIndex(of: "=") ?? pair.endIndex)]
            return !CredentialFilter.isCredentialQueryParameter(name)
        }
        return (path.isEmpty ? "/" : String(path), kept.joined(separator: "&"))
    }

    /// `path`, and `?query` when there is one.
    package var pathWithQuery: String { query.isEmpty ? path : path + "?" + query }

    package static func == (a: Self, b: Self) -> Bool {
        a.method == b.method && a.path == b.path && a.query == b.query && a.body == b.body
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(method)
        hasher.combine(path)
        hasher.combine(query)
        hasher.combine(body)
    }
}
