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
    /// The provider written as `gen_ai.system`, `gen_ai.provider.name`, `llm.system` and `llm.provider` on every
    /// generation span (nil: derived from the request, see `providerName(host:operation:)`). Set it for
    /// OpenAI-compatible servers under a base URL of your own (vLLM, Ollama...).
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

extension LLMInstrumentation {
    /// The provider of an LLM call to `host` (lowercase): `provider` when set; else `anthropic` for every Anthropic
    /// Messages call and for `api.anthropic.com`, `azure.ai.openai` for `*.openai.azure.com`, `groq` for
    /// `api.groq.com`, `openrouter` for `openrouter.ai`, and `openai` for `api.openai.com` and any other host (an
    /// OpenAI-compatible server).
    package func providerName(host: String, operation: LLMOperation) -> String {
        if let provider { return provider }
        if operation == .anthropicMessages { return "anthropic" }
        switch host {
        case "api.openai.com": return "openai"
        case "api.anthropic.com": return "anthropic"
        case "api.groq.com": return "groq"
        case "openrouter.ai": return "openrouter"
        default: return host.hasSuffix(".openai.azure.com") ? "azure.ai.openai" : "openai"
        }
    }
}
