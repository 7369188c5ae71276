/// One HTTP exchange seen by an adapter: the transport-independent core that turns a provider's request and
/// response (or its server-sent-event stream) into one span, and that consults the recording.
///
/// Contract for adapters: create it with the whole request, call `start()` (which may throw the replay errors), then
/// either send the request it returns or serve the recorded response; report the response head, every body chunk
/// in order, then `completed()` or `failed(_:)`. If the body's consumer drops it before either, the exchange ends as
/// abandoned when it is released. The span ends exactly once.
package final class LLMExchange: Sendable {
    /// Where the request goes.
    package enum Route: Sendable {
        /// Send this request (credentials intact) through the client.
        case send(LLMHTTPRequest)
        /// Serve this recorded response; open no connection.
        case replay(RecordedResponse)
    }

    let request: LLMHTTPRequest
    let instrumentation: LLMInstrumentation

    /// An exchange for `request`; the span's parent is the task-local context of the caller.
    package init(_ request: LLMHTTPRequest, instrumentation: LLMInstrumentation) {
        self.request = request
        self.instrumentation = instrumentation
    }

    /// Starts the span and decides the route; throws `ReplayMismatchError` or `DeterminismLeakError` (the span then
    /// ends with that error).
    package func start() throws -> Route {
        .send(request)
    }

    /// The response's status and headers arrived (or were replayed).
    package func receivedHead(_ head: LLMHTTPResponseHead) {}

    /// A chunk of the response body, as received.
    package func received(_ chunk: UnsafeRawBufferPointer) {}

    /// The body ended normally.
    package func completed() {}

    /// The request or the body failed (a `CancellationError` ends the span as cancelled).
    package func failed(_ error: any Error) {}
}
