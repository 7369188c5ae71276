public import AsyncHTTPClient
public import Logging
public import NIOCore
import NIOHTTP1
public import TraceSpoolLLM

/// AsyncHTTPClient's `execute` with the LLM calls traced, and recorded or replayed, as `instrumentation` says.
///
/// Each request becomes one exchange of the core (`TraceSpoolLLM`): an LLM call (OpenAI Chat Completions,
/// Responses, Embeddings, Anthropic Messages, under any base URL) one generation span, another request a CLIENT span
/// or nothing. The request body is collected first (at most 32 MiB; a larger body passes through untraced and
/// unrecorded). The response body is observed as the caller reads it, each `ByteBuffer` seen in place (no copy):
/// the span ends when the body ends, fails, is cancelled (the reading task is cancelled) or is abandoned (the
/// response is released before the end of its body). In replay the response comes from the recording and no
/// connection is opened.
public struct LLMTracedHTTPClient: Sendable {
    /// The largest request body traced, in bytes (32 MiB).
    public static let maximumTracedBodyBytes = 32 << 20

    /// The client that sends the requests.
    public let client: HTTPClient
    /// What is traced, and where spans and recordings go.
    public let instrumentation: LLMInstrumentation

    /// A traced client sending through `client` (which the caller owns and shuts down).
    public init(client: HTTPClient, instrumentation: LLMInstrumentation) {
        self.client = client
        self.instrumentation = instrumentation
    }

    /// Sends `request` as `HTTPClient.execute(_:timeout:logger:)` does, traced (or replays it).
    ///
    /// - Returns: the response; read its body to the end, or release it, to end the span.
    /// - Throws: `ReplayMismatchError` or `DeterminismLeakError` when replay has no answer for the request, the
    ///   recording's `RecordingError`, and what `HTTPClient` throws (the span records it).
    public func execute(_ request: HTTPClientRequest, timeout: TimeAmount, logger: Logger? = nil) async throws
        -> HTTPClientResponse
    {
        var bytes: [UInt8] = []
        if let body = request.body {
            let iterator = RequestBodyIterator(body.makeAsyncIterator())
            while let buffer = try await iterator.next() {
                bytes += buffer.readableBytesView
                if bytes.count > Self.maximumTracedBodyBytes {
                    var forwarded = request
                    forwarded.body = .stream(
                        PrefixedRequestBody(prefix: ByteBuffer(bytes: bytes), rest: iterator), length: .unknown)
                    return try await client.execute(forwarded, timeout: timeout, logger: logger)
                }
            }
        }
        let exchange = LLMExchange(
            LLMHTTPRequest(
                method: request.method.rawValue, url: request.url,
                headers: request.headers.map { LLMHTTPHeader($0.name, $0.value) }, body: bytes),
            instrumentation: instrumentation)
        switch try exchange.start() {
        case .replay(let recorded):
            exchange.receivedHead(recorded.head)
            return HTTPClientResponse(
                status: HTTPResponseStatus(statusCode: recorded.head.status),
                headers: HTTPHeaders(recorded.head.headers.map { ($0.name, $0.value) }),
                body: .stream(
                    ObservedBuffers(
                        base: ReplayedBuffers(chunks: recorded.chunks.map { ByteBuffer(bytes: $0) }), exchange: exchange
                    )))
        case .send(let sent):
            var forwarded = request
            if request.body != nil { forwarded.body = .bytes(sent.body) }
            var response: HTTPClientResponse
            do {
                response = try await client.execute(forwarded, timeout: timeout, logger: logger)
            } catch {
                exchange.failed(Task.isCancelled ? CancellationError() : error)
                throw error
            }
            exchange.receivedHead(
                LLMHTTPResponseHead(
                    status: Int(response.status.code),
                    headers: response.headers.map { LLMHTTPHeader($0.name, $0.value) }))
            response.body = .stream(ObservedBuffers(base: response.body, exchange: exchange))
            return response
        }
    }
}
