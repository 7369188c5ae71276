import Testing

@testable import TraceSpoolLLM

@Suite("Provider: operation detection")
struct ProviderOperationTests {
    @Test(
        "path suffixes under any base URL",
        arguments: [
            ("/v1/chat/completions", LLMOperation.chatCompletions),  // OpenAI, vLLM, Ollama
            ("/openai/v1/chat/completions", .chatCompletions),  // Groq
            ("/api/v1/chat/completions", .chatCompletions),  // OpenRouter
            ("/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21", .chatCompletions),  // Azure
            ("/v1/chat/completions/", .chatCompletions),
            ("/v1/responses", .responses),
            ("/openai/v1/responses?api-version=preview", .responses),
            ("/v1/embeddings", .embeddings),
            ("/openai/deployments/emb/embeddings?api-version=2024-10-21", .embeddings),
            ("/v1/messages", .anthropicMessages),
            ("/anthropic/v1/messages#x", .anthropicMessages),
        ])
    func detected(path: String, operation: LLMOperation) {
        #expect(LLMOperation.detect(method: "POST", path: path) == operation)
        #expect(LLMOperation.detect(method: "post", path: path) == operation)
        #expect(LLMOperation.detect(method: "GET", path: path) == nil)
    }

    @Test(
        "not LLM calls",
        arguments: [
            "/v1/messages/count_tokens", "/v1/messages/batches", "/v1/threads/thread_1/messages", "/v1/completions",
            "/v1/models", "/v1/responses/resp_1/cancel", "/", "", "/v1/chat/completions/x", "/v1/embeddings-x",
        ])
    func notDetected(path: String) {
        #expect(LLMOperation.detect(method: "POST", path: path) == nil)
    }

    @Test("operation names")
    func operationNames() {
        #expect(LLMOperation.chatCompletions.operationName == "chat")
        #expect(LLMOperation.responses.operationName == "chat")
        #expect(LLMOperation.anthropicMessages.operationName == "chat")
        #expect(LLMOperation.embeddings.operationName == "embeddings")
    }

    @Test("model: the body's, else the Azure deployment; stream flag")
    func model() {
        let azure = "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21"
        let fromPath = ProviderRequest(operation: .chatCompletions, path: azure, body: Array(#"{"messages":[]}"#.utf8))
        #expect(fromPath.model == "gpt4o-prod")
        #expect(!fromPath.isStreaming)
        let fromBody = ProviderRequest(
            operation: .chatCompletions, path: azure, body: Array(#"{"model":"gpt-4o","stream":true}"#.utf8))
        #expect(fromBody.model == "gpt-4o")
        #expect(fromBody.isStreaming)
        let plain = ProviderRequest(operation: .chatCompletions, path: "/v1/chat/completions", body: [])
        #expect(plain.model == nil)
        #expect(!plain.isStreaming)
        let notBool = ProviderRequest(
            operation: .anthropicMessages, path: "/v1/messages", body: Array(#"{"stream":"true"}"#.utf8))
        #expect(!notBool.isStreaming)
    }
}
