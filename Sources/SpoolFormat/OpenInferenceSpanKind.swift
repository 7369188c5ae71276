/// The values of `openinference.span.kind` (``AttributeNames/openInferenceKind``) that TraceSpool writes, and the
/// `tracespool.span.type` (``AttributeNames/spanType``) that a reader shows for a span that carries only the kind
/// (spans of other OpenInference instrumentations).
public enum OpenInferenceSpanKind: RawRepresentable, Sendable, CaseIterable {
    /// `CHAIN`: a workflow, chain or step (span types `trace`, `chain`, `thought`, `observation`, `error`, `event`,
    /// `custom`).
    case chain
    /// `AGENT`: an agent run or a hand-off (span types `agent`, `handoff`).
    case agent
    /// `LLM`: a model call (span type `generation`).
    case llm
    /// `EMBEDDING`: an embeddings call (span type `embedding`).
    case embedding
    /// `TOOL`: a tool or function call (span type `tool`).
    case tool
    /// `RETRIEVER`: a retrieval (span type `retrieval`).
    case retriever
    /// `GUARDRAIL`: a guardrail check (span type `guardrail`).
    case guardrail
    /// `EVALUATOR`: an evaluation (TraceSpool writes scores with span type `event` and this kind).
    case evaluator

    /// The attribute value: `CHAIN`, `AGENT`, `LLM`, `EMBEDDING`, `TOOL`, `RETRIEVER`, `GUARDRAIL` or `EVALUATOR`. Inlinable:
    /// the tracer reads it for every typed span.
    @inlinable
    public var rawValue: String {
        switch self {
        case .chain: "CHAIN"
        case .agent: "AGENT"
        case .llm: "LLM"
        case .embedding: "EMBEDDING"
        case .tool: "TOOL"
        case .retriever: "RETRIEVER"
        case .guardrail: "GUARDRAIL"
        case .evaluator: "EVALUATOR"
        }
    }

    /// The kind whose attribute value is `rawValue` (exactly, upper case); nil for any other value.
    public init?(rawValue: String) {
        guard let kind = Self.allCases.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = kind
    }

    /// The `tracespool.span.type` a reader shows for a span of this kind without a span type of its own.
    public var spanType: String {
        switch self {
        case .chain: "chain"
        case .agent: "agent"
        case .llm: "generation"
        case .embedding: "embedding"
        case .tool: "tool"
        case .retriever: "retrieval"
        case .guardrail: "guardrail"
        case .evaluator: "evaluator"
        }
    }
}
