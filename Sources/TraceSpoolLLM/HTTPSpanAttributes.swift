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
    /// `http.request.method`.
    package static let requestMethod = "http.request.method"
    /// `url.full`.
    package static let urlFull = "url.full"
    /// `server.address`.
    package static let serverAddress = "server.address"
    /// `server.port`.
    package static let serverPort = "server.port"
    /// `http.response.status_code`.
    package static let responseStatusCode = "http.response.status_code"
    /// `http.response.header.retry-after`.
    package static let responseRetryAfter = "http.response.header.retry-after"
    /// `error.type`.
    package static let errorType = "error.type"

    /// The request attributes of `request`, whose URL is `url`, appended to `attributes`.
    package static func appendRequest(
        _ request: LLMHTTPRequest, url: URLParts, to attributes: inout [SpoolAttribute]
    ) {
        attributes.append(.string(requestMethod, request.method))
        attributes.append(.string(urlFull, CredentialFilter.redactedURL(request.url)))
        if !url.host.isEmpty { attributes.append(.string(serverAddress, url.host)) }
        if let port = url.port { attributes.append(.int(serverPort, port)) }
    }

    /// Records the status code and `Retry-After` of `head` on `span`.
    package static func applyResponse(_ head: LLMHTTPResponseHead, to span: SpoolSpan) {
        span.setAttribute(responseStatusCode, .int64(Int64(head.status)))
        var retryAfter: [String] = []
        for field in head.headers where field.name.utf8.count == 11 && field.name.lowercased() == "retry-after" {
            retryAfter.append(field.value)
        }
        if !retryAfter.isEmpty { span.setAttribute(responseRetryAfter, .stringArray(retryAfter)) }
    }
}
