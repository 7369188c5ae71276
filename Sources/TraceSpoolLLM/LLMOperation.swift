/// The LLM API a request calls, recognised from its method and path under any base URL (OpenAI, Azure OpenAI, vLLM,
/// Ollama, Groq, OpenRouter and other OpenAI-compatible servers; Anthropic).
///
/// References: https://platform.openai.com/docs/api-reference/chat/create,
/// https://platform.openai.com/docs/api-reference/responses/create,
/// https://platform.openai.com/docs/api-reference/embeddings/create,
/// https://learn.microsoft.com/en-us/azure/ai-services/openai/reference (deployment paths),
/// https://docs.anthropic.com/en/api/messages.
package enum LLMOperation: Sendable, Equatable {
    /// OpenAI Chat Completions, `POST …/chat/completions`.
    case chatCompletions
    /// OpenAI Responses, `POST …/responses`.
    case responses
    /// OpenAI Embeddings, `POST …/embeddings`.
    case embeddings
    /// Anthropic Messages, `POST …/messages`.
    case anthropicMessages

    /// The operation of a request, or nil when it is not an LLM call.
    ///
    /// Only `POST` (any ASCII case) counts. The path (query and fragment ignored, one trailing `/` too) must end
    /// with `/chat/completions`, `/responses`, `/embeddings` or `/messages`, whatever comes before (`/v1`,
    /// `/openai/v1`, `/api/v1`, `/openai/deployments/{deployment}`...). `…/messages/count_tokens` and
    /// `…/messages/batches` do not end so; OpenAI's `…/threads/{id}/messages` (Assistants) is not an LLM call.
    package static func detect(method: String, path: String) -> LLMOperation? {
        guard method.utf8.count == 4, method.uppercased() == "POST" else { return nil }
        var path = Substring(path)
        if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
        if path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        if path.hasSuffix("/chat/completions") { return .chatCompletions }
        if path.hasSuffix("/responses") { return .responses }
        if path.hasSuffix("/embeddings") { return .embeddings }
        if path.hasSuffix("/messages"), !path.contains("/threads/") { return .anthropicMessages }
        return nil
    }

    /// `gen_ai.operation.name`: `chat` (chat completions, responses, messages) or `embeddings`.
    package var operationName: String {
        switch self {
        case .chatCompletions, .responses, .anthropicMessages: "chat"
        case .embeddings: "embeddings"
        }
    }

    /// The Azure OpenAI deployment named in `path` (`…/openai/deployments/{deployment}/…`), or nil.
    static func azureDeployment(inPath path: String) -> String? {
        guard let marker = path.firstRange(of: "/deployments/") else { return nil }
        let rest = path[marker.upperBound...]
        let name = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return name.isEmpty ? nil : String(name)
    }
}
