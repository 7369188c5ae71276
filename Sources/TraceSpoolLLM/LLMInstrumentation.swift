public import TraceSpool

/// How the HTTP adapters (`TraceSpoolLLMOpenAPI`, `TraceSpoolLLMHTTPClient`) trace the requests they see: every
/// LLM call (OpenAI Chat Completions, Responses and Embeddings, Anthropic Messages, under any base URL) becomes one
/// generation span of `tracer`; other requests become CLIENT spans or pass untraced; `recordReplay` records them
/// or serves them from a recording.
public struct LLMInstrumentation: Sendable {
    /// What becomes of a request that is not an LLM call.
    public enum OtherRequests: Sendable, Equatable {
        /// A CLIENT span with the HTTP semantic-convention attributes.
        case clientSpan
        /// No span.
        case untraced
    }

    /// The tracer that records the spans.
    public var tracer: SpoolTracer
    /// What becomes of a request that is not an LLM call (default `.clientSpan`).
    public var otherRequests: OtherRequests
    /// Record, replay or pass through (nil: pass through).
    public var recordReplay: RecordReplay?
    /// The provider written as `gen_ai.system` for OpenAI-compatible servers (nil: derived from the host).
    public var provider: String?

    /// An instrumentation recording to `tracer`.
    public init(
        tracer: SpoolTracer, otherRequests: OtherRequests = .clientSpan, recordReplay: RecordReplay? = nil,
        provider: String? = nil
    ) {
        self.tracer = tracer
        self.otherRequests = otherRequests
        self.recordReplay = recordReplay
        self.provider = provider
    }
}
