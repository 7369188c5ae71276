/// An HTTP request as the LLM instrumentation sees it, whichever client sends it: what the adapters hand to the
/// core (`LLMExchange`) and what a recording matches on.
package struct LLMHTTPRequest: Sendable, Equatable {
    /// The method, uppercase (`POST`).
    package var method: String
    /// The absolute URL: `scheme://host[:port]/path[?query]`.
    package var url: String
    /// The header fields in the order the client sends them, credentials included (they are never recorded).
    package var headers: [LLMHTTPHeader]
    /// The whole body (empty when there is none).
    package var body: [UInt8]

    /// A request.
    package init(method: String, url: String, headers: [LLMHTTPHeader] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
