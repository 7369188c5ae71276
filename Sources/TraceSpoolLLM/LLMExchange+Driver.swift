/// Drives `LLMExchange`s the way an adapter does — start, response head, body chunks, completed — for the
/// benchmarks of the instrumentation's own cost (`Benchmarks/Benchmarks/LLMBenchmarks`): they build this package as
/// a dependency, where its `package` declarations are not visible. Not part of the library's API.
@_spi(Internal) public struct LLMExchangeDriver: Sendable {
    let instrumentation: LLMInstrumentation
    let request: LLMHTTPRequest
    let head: LLMHTTPResponseHead
    let chunks: [[UInt8]]

    /// A driver of exchanges of one request and its response.
    ///
    /// - Parameters:
    ///   - instrumentation: the instrumentation (its tracer records the spans).
    ///   - method: the request's method (`POST`).
    ///   - url: the request's absolute URL.
    ///   - headers: the request's header fields (name, value).
    ///   - body: the request's body.
    ///   - status: the response's status code.
    ///   - responseHeaders: the response's header fields (name, value).
    ///   - chunks: the response's body, chunk by chunk.
    @_spi(Internal) public init(
        instrumentation: LLMInstrumentation, method: String, url: String, headers: [(String, String)],
        body: [UInt8], status: Int, responseHeaders: [(String, String)], chunks: [[UInt8]]
    ) {
        self.instrumentation = instrumentation
        self.request = LLMHTTPRequest(
            method: method, url: url, headers: headers.map { LLMHTTPHeader($0.0, $0.1) }, body: body)
        self.head = LLMHTTPResponseHead(status: status, headers: responseHeaders.map { LLMHTTPHeader($0.0, $0.1) })
        self.chunks = chunks
    }

    /// Runs one exchange to its end (its span included). Returns false when `start()` threw or routed to a replay.
    @_spi(Internal) @discardableResult public func run() -> Bool {
        let exchange = LLMExchange(request, instrumentation: instrumentation)
        guard case .send? = try? exchange.start() else { return false }
        exchange.receivedHead(head)
        for chunk in chunks { chunk.withUnsafeBytes { exchange.received($0) } }
        exchange.completed()
        return true
    }
}
