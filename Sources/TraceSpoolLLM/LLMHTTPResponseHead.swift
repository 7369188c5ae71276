/// The status and header fields of an HTTP response, live or replayed.
package struct LLMHTTPResponseHead: Sendable, Equatable {
    /// The status code (200, 429...).
    package var status: Int
    /// The header fields in the order received.
    package var headers: [LLMHTTPHeader]

    /// A response head.
    package init(status: Int, headers: [LLMHTTPHeader] = []) {
        self.status = status
        self.headers = headers
    }
}
