import Logging
import SpoolBase
import SpoolFormat
import Synchronization
import TraceSpool
import Tracing

/// One HTTP exchange seen by an adapter: the transport-independent core that turns a provider's request and
/// response (or its server-sent-event stream) into one span, and that consults the recording.
///
/// Contract for adapters: create it with the whole request, call `start()` (which may throw the replay errors), then
/// either send the request it returns or serve the recorded response; report the response head, every body chunk
/// in order, then `completed()` or `failed(_:)`. If the body's consumer drops it before either, the exchange ends as
/// abandoned when it is released. The span ends exactly once.
///
/// An LLM call (`LLMOperation.detect`) becomes a generation span of kind client named `"{operation} {model}"`
/// (`chat gpt-4o`), child of the caller's task-local context, with the provider's request attributes, the HTTP
/// attributes (`HTTPSpanAttributes`), the provider (`LLMInstrumentation.providerName(host:operation:)`) and, once it
/// ends, the response attributes, the time to the first output of a stream, `tracespool.llm.outcome` and
/// `tracespool.llm.chunks`. Another request becomes a CLIENT span named after its method with the HTTP attributes,
/// or no span (`LLMInstrumentation.OtherRequests`). A status of 400 or more, a failure, a cancellation or an
/// abandoned body marks the span as an error (`LLMExchange.Outcome`).
///
/// Every method may be called from any thread or task, also concurrently (a cancelled consumer racing the
/// transport's callbacks): calls after the span ended are ignored. None of them traps or throws an error of the
/// instrumentation into the caller; `start()` throws only the replay errors.
package final class LLMExchange: Sendable {
    /// Where the request goes.
    package enum Route: Sendable {
        /// Send this request (credentials intact) through the client.
        case send(LLMHTTPRequest)
        /// Serve this recorded response; open no connection.
        case replay(RecordedResponse)
    }

    /// The most bytes of a non-streamed body kept for its response attributes (8 MiB); a longer body is not read
    /// (`tracespool.llm.response_truncated`).
    package static let maximumBufferedBodyBytes = 8 << 20

    let request: LLMHTTPRequest
    let instrumentation: LLMInstrumentation
    /// The LLM operation of the request (nil: not an LLM call).
    let operation: LLMOperation?
    /// The request's URL, split.
    let url: HTTPSpanAttributes.URLParts
    /// Whether the exchange makes a span: true for an LLM call, and for any other request when
    /// `LLMInstrumentation.otherRequests` is `.clientSpan`; known when the exchange is created.
    ///
    /// An adapter reports the response whatever its value: the recording sees untraced requests too.
    package let isTraced: Bool
    /// The recording's decisions (nil: pass through).
    let recordReplay: RecordReplayHooks?
    private let state = Mutex(ExchangeState())

    static let logger = Logger(label: "tracespool.llm")

    /// An exchange for `request`; the span's parent is the task-local context of the caller of `start()`.
    package convenience init(_ request: LLMHTTPRequest, instrumentation: LLMInstrumentation) {
        self.init(
            request, instrumentation: instrumentation,
            recordReplay: instrumentation.recordReplay.map(RecordReplayHooks.init))
    }

    /// An exchange for `request` whose recording is `recordReplay` (nil: pass through) instead of
    /// `instrumentation.recordReplay`.
    package init(_ request: LLMHTTPRequest, instrumentation: LLMInstrumentation, recordReplay: RecordReplayHooks?) {
        self.request = request
        self.instrumentation = instrumentation
        self.recordReplay = recordReplay
        let url = HTTPSpanAttributes.URLParts(request.url)
        self.url = url
        let operation = LLMOperation.detect(method: request.method, path: url.path)
        self.operation = operation
        self.isTraced = operation != nil || instrumentation.otherRequests == .clientSpan
    }

    deinit {
        guard var ending = takeForEnding() else { return }
        Self.end(&ending, .abandoned, error: nil)
    }

    /// Starts the span and decides the route; throws `ReplayMismatchError` or `DeterminismLeakError` (the span then
    /// ends with that error), or `RecordingError` when the recording cannot be read. Call it once: a later call
    /// starts nothing and returns `.send` with the request.
    package func start() throws -> Route {
        let parent = InstrumentationContext.current ?? .topLevel
        return try state.withLock { s throws -> Route in
            guard s.phase == .created else { return .send(request) }
            s.phase = .started
            startSpan(&s, parent: parent)
            guard let recordReplay else { return .send(request) }
            do {
                switch try recordReplay.decide(request, operation != nil) {
                case .serve(let response):
                    s.span?.setAttribute(AttributeNames.llmReplayed, .bool(true))
                    return .replay(response)
                case .forward(let record):
                    if record { s.recordTo = recordReplay }
                    return .send(request)
                }
            } catch {
                s.phase = .ended
                Self.end(&s, .failed, error: error)
                throw error
            }
        }
    }

    /// Creates the span (if any) with the request's attributes; for an LLM call, notes when the span started (the
    /// origin of the time to first token) and makes the provider's accumulator.
    private func startSpan(_ s: inout ExchangeState, parent: InstrumentationContext) {
        let tracer = instrumentation.tracer
        var attributes: [SpoolAttribute] = []
        guard let operation else {
            guard instrumentation.otherRequests == .clientSpan else { return }
            attributes.reserveCapacity(4)
            HTTPSpanAttributes.appendRequest(request, url: url, to: &attributes)
            s.span = tracer.startSpan(request.method, context: parent, ofKind: .client, attributes: attributes)
            return
        }
        let providerRequest = ProviderRequest(operation: operation, path: url.path, body: request.body)
        let name = providerRequest.model.map { "\(operation.operationName) \($0)" } ?? operation.operationName
        let provider = instrumentation.providerName(host: url.host, operation: operation)
        attributes.reserveCapacity(9)
        attributes.append(.string(AttributeNames.operationName, operation.operationName))
        attributes.append(.string(AttributeNames.system, provider))
        attributes.append(.string(AttributeNames.providerName, provider))
        attributes.append(.string(AttributeNames.llmSystem, provider))
        attributes.append(.string(AttributeNames.llmProvider, provider))
        HTTPSpanAttributes.appendRequest(request, url: url, to: &attributes)
        let type: SpanType = operation == .embeddings ? .embedding : .generation
        let span = tracer.startSpan(type, name, context: parent, ofKind: .client, attributes: attributes)
        s.startNanos = SystemClock.monotonicNanos()
        if span.isRecording {
            providerRequest.apply(to: span)
            s.sink.accumulator = providerRequest.makeAccumulator()
        }
        s.span = span
        s.providerRequest = providerRequest
    }

    /// The response's status and headers arrived (or were replayed).
    package func receivedHead(_ head: LLMHTTPResponseHead) {
        state.withLock { s in
            guard s.phase == .started else { return }
            s.head = head
            if s.chunks == 0 { s.decideHandling() }
        }
    }

    /// A chunk of the response body, as received.
    package func received(_ chunk: UnsafeRawBufferPointer) {
        state.withLock { s in
            guard s.phase == .started else { return }
            s.receive(chunk)
        }
    }

    /// The body ended normally.
    package func completed() {
        guard var ending = takeForEnding() else { return }
        Self.end(&ending, .completed, error: nil)
        guard let recordReplay = ending.recordTo else { return }
        let head = ending.head ?? LLMHTTPResponseHead(status: 0)
        let response = RecordedResponse(
            head: LLMHTTPResponseHead(status: head.status, headers: CredentialFilter.withoutCredentials(head.headers)),
            chunks: ending.recordedChunks)
        do {
            try recordReplay.record(request, response)
        } catch {
            RecordingFailures.log(error, path: recordReplay.path)
        }
    }

    /// The request or the body failed (a `CancellationError`, or any error reported from a cancelled task, ends the
    /// span as cancelled).
    package func failed(_ error: any Error) {
        guard var ending = takeForEnding() else { return }
        let outcome: Outcome = error is CancellationError || Task.isCancelled ? .cancelled : .failed
        Self.end(&ending, outcome, error: error)
    }

    /// The state, moved out, when this call ends the exchange; nil when it had ended or never started.
    private func takeForEnding() -> ExchangeState? {
        state.withLock { s -> ExchangeState? in
            guard s.phase == .started else { return nil }
            var taken = ExchangeState()
            swap(&taken, &s)
            s.phase = .ended
            return taken
        }
    }
}
