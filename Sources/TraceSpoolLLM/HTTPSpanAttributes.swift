import SpoolFormat
package import TraceSpool
import Tracing

/// The OpenTelemetry HTTP client attributes (semantic conventions, "HTTP spans") of an exchange's span: every LLM
/// generation span and every CLIENT span of a request that is not an LLM call carries them.
///
/// Request: `http.request.method`, `url.full` (credentials replaced by `CredentialFilter.redactedURL(_:)`),
/// `server.address`, `server.port` (the URL's port, else 443 for https and 80 for http). Response:
/// `http.response.status_code`, `http.response.header.retry-after` (string array) when the response has a
/// `Retry-After` field. `error.type` is set by the exchange when it ends. No header field of the request is ever
/// recorded (they carry credentials).
package enum HTTPSpanAttributes {
    /// The request attributes of `request`, whose URL is `url`, appended to `attributes`.
    package static func appendRequest(
        _ request: LLMHTTPRequest, url: URLParts, to attributes: inout [SpoolAttribute]
    ) {
        attributes.append(.string(AttributeNames.httpRequestMethod, request.method))
        // Only a query or user information can hold a credential: a URL without either is recorded as it is.
        let mayHoldCredentials = request.url.utf8.contains { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "@") }
        attributes.append(
            .string(
                AttributeNames.urlFull, mayHoldCredentials ? CredentialFilter.redactedURL(request.url) : request.url))
        if !url.host.isEmpty { attributes.append(.string(AttributeNames.serverAddress, url.host)) }
        if let port = url.port { attributes.append(.int(AttributeNames.serverPort, port)) }
    }

    /// Records the status code and `Retry-After` of `head` on `span`.
    package static func applyResponse(_ head: LLMHTTPResponseHead, to span: SpoolSpan) {
        span.setAttribute(AttributeNames.httpResponseStatusCode, .int64(Int64(head.status)))
        var retryAfter: [String] = []
        for field in head.headers where isField(field.name, "retry-after") {
            retryAfter.append(field.value)
        }
        if !retryAfter.isEmpty {
            span.setAttribute(AttributeNames.httpResponseHeaderRetryAfter, .stringArray(retryAfter))
        }
    }

    /// Whether the header field name `name` is `lowercaseName` (ASCII case-insensitive, no allocation).
    package static func isField(_ name: String, _ lowercaseName: StaticString) -> Bool {
        ASCIIBytes.withBytes(of: name) {
            $0.count == lowercaseName.utf8CodeUnitCount && ASCIIBytes.hasPrefix($0, lowercaseName)
        }
    }
}
