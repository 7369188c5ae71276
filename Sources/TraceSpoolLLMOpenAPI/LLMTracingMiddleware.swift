public import HTTPTypes
public import OpenAPIRuntime
public import TraceSpoolLLM

#if canImport(FoundationEssentials)
    public import FoundationEssentials
#else
    public import Foundation
#endif

/// A swift-openapi-runtime `ClientMiddleware` that traces the LLM calls of a client generated from a provider's
/// OpenAPI document (or any OpenAPI client), and records or replays them, as `instrumentation` says.
///
/// Each request becomes one exchange of the core (`TraceSpoolLLM`): an LLM call (OpenAI Chat Completions,
/// Responses, Embeddings, Anthropic Messages, under any base URL) one generation span, another request a CLIENT span
/// or nothing. The request body is collected first (at most 32 MiB; a larger body passes through untraced and
/// unrecorded). The response body the middleware returns is observed as the client reads it: its span ends when the
/// body ends, fails, is cancelled (the reading task is cancelled) or is abandoned (the body is released before its
/// end). In replay, the response comes from the recording and `next` is not called (no connection is opened).
///
/// Errors: `ReplayMismatchError` and `DeterminismLeakError` when replay has no answer for a request, the
/// recording's `RecordingError`, and whatever `next` throws (the span records it).
public struct LLMTracingMiddleware: ClientMiddleware {
    /// The largest request body traced, in bytes (32 MiB).
    public static let maximumTracedBodyBytes = 32 << 20

    /// What is traced, and where spans and recordings go.
    public var instrumentation: LLMInstrumentation

    /// A middleware tracing with `instrumentation`.
    public init(instrumentation: LLMInstrumentation) {
        self.instrumentation = instrumentation
    }

    /// Traces (or replays) one request; see the type's documentation.
    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var bytes: [UInt8] = []
        if let body {
            if case .known(let length) = body.length, length > Self.maximumTracedBodyBytes {
                return try await next(request, body, baseURL)
            }
            var iterator = body.makeAsyncIterator()
            while let chunk = try await iterator.next() {
                bytes += chunk
                if bytes.count > Self.maximumTracedBodyBytes {
                    let rest = HTTPBody(
                        PrefixedBody(prefix: bytes[...], rest: BodyIteratorBox(iterator)), length: body.length,
                        iterationBehavior: .single)
                    return try await next(request, rest, baseURL)
                }
            }
        }
        var url = baseURL.absoluteString
        while url.hasSuffix("/") { url.removeLast() }
        url += request.path ?? ""
        let exchange = LLMExchange(
            LLMHTTPRequest(
                method: request.method.rawValue, url: url,
                headers: request.headerFields.map { LLMHTTPHeader($0.name.rawName, $0.value) }, body: bytes),
            instrumentation: instrumentation)
        switch try exchange.start() {
        case .replay(let recorded):
            var response = HTTPResponse(status: .init(code: recorded.head.status))
            for header in recorded.head.headers {
                if let name = HTTPField.Name(header.name) {
                    response.headerFields.append(HTTPField(name: name, value: header.value))
                }
            }
            exchange.receivedHead(recorded.head)
            let chunks = recorded.chunks.map { $0[...] }
            let total = chunks.reduce(0) { $0 + $1.count }
            return (
                response,
                HTTPBody(
                    ObservedBody(base: ReplayedChunks(chunks: chunks), exchange: exchange),
                    length: .known(Int64(total)),
                    iterationBehavior: .single)
            )
        case .send(let sent):
            let response: HTTPResponse
            let responseBody: HTTPBody?
            do {
                (response, responseBody) = try await next(request, body == nil ? nil : HTTPBody(sent.body), baseURL)
            } catch {
                exchange.failed(Task.isCancelled ? CancellationError() : error)
                throw error
            }
            exchange.receivedHead(
                LLMHTTPResponseHead(
                    status: response.status.code,
                    headers: response.headerFields.map { LLMHTTPHeader($0.name.rawName, $0.value) }))
            guard let responseBody else {
                exchange.completed()
                return (response, nil)
            }
            return (
                response,
                HTTPBody(
                    ObservedBody(base: responseBody, exchange: exchange), length: responseBody.length,
                    iterationBehavior: .single)
            )
        }
    }
}
