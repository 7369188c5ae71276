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
        let isPost = ASCIIBytes.withBytes(of: method) { $0.count == 4 && ASCIIBytes.hasPrefix($0, "post") }
        guard isPost else { return nil }
        return ASCIIBytes.withBytes(of: path) { bytes -> LLMOperation? in
            var end = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
            if end > 1, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
            // Paths are compared as sent: the APIs' paths are lowercase.
            let path = UnsafeBufferPointer(rebasing: bytes[..<end])
            if hasSuffix(path, "/chat/completions") { return .chatCompletions }
            if hasSuffix(path, "/responses") { return .responses }
            if hasSuffix(path, "/embeddings") { return .embeddings }
            if hasSuffix(path, "/messages"), !contains(path, "/threads/") { return .anthropicMessages }
            return nil
        }
    }

    /// Whether `bytes` end with exactly `suffix`.
    private static func hasSuffix(_ bytes: UnsafeBufferPointer<UInt8>, _ suffix: StaticString) -> Bool {
        let count = suffix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return UnsafeBufferPointer(rebasing: bytes[(bytes.count - count)...]).elementsEqual(
            UnsafeBufferPointer(start: suffix.utf8Start, count: count))
    }

    /// Whether `bytes` hold exactly `infix` somewhere.
    private static func contains(_ bytes: UnsafeBufferPointer<UInt8>, _ infix: StaticString) -> Bool {
        let count = infix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let needle = UnsafeBufferPointer(start: infix.utf8Start, count: count)
        for start in 0...(bytes.count - count)
        where UnsafeBufferPointer(rebasing: bytes[start..<(start + count)]).elementsEqual(needle) {
            return true
        }
        return false
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
