import SpoolBase
import SpoolFormat
package import TraceSpool

/// What an LLM request says, read once from its body: the model, whether it streams, and the request attributes of
/// its generation span.
///
/// The body is parsed in `init` (embeddings: scanned, the input skipped). A body that is not a JSON object leaves
/// every field nil or false and `apply(to:)` writes only what the path gives; nothing throws or traps.
package struct ProviderRequest: Sendable {
    /// The API called.
    package let operation: LLMOperation
    /// The body's `model`, else the Azure OpenAI deployment named in the path; nil when neither.
    package var model: String?
    /// The body's `stream` is `true`.
    package var isStreaming: Bool

    /// The parsed body (chat completions, responses, messages); nil for embeddings and bad JSON.
    let document: JSONValue?
    /// The scanned body of an embeddings request.
    let embeddings: OpenAIEmbeddingsRequest?

    /// Reads the request `body` sent to `path` for `operation`; never fails (bad JSON: fields nil).
    package init(operation: LLMOperation, path: String, body: [UInt8]) {
        self.operation = operation
        if operation == .embeddings {
            embeddings = OpenAIEmbeddingsRequest(body: body)
            document = nil
            model = embeddings?.model
            isStreaming = false
        } else {
            let parsed = ProviderJSON.parse(body)
            document = parsed?.isObject == true ? parsed : nil
            embeddings = nil
            model = document?.stringMember("model")
            isStreaming = document?.boolMember("stream") ?? false
        }
        if model == nil { model = LLMOperation.azureDeployment(inPath: path) }
    }

    /// Writes the request attributes on the generation span: the model (`gen_ai.request.model`,
    /// `llm.model_name`), the input messages (tool calls and tool results included, Anthropic's `system` and
    /// Responses' `instructions` as a leading system message, content blocks flattened to text), the tools offered
    /// (each as sent), the invocation parameters (`llm.invocation_parameters`: the body without messages, input,
    /// instructions, system and tools; the well-known ones also as `gen_ai.request.*`) and
    /// `gen_ai.request.stream`. Embeddings: the span type `embedding`, `embedding.model_name` and
    /// `gen_ai.request.encoding_formats`; their input is not recorded.
    package func apply(to span: SpoolSpan) {
        if let model { span.setModel(model) }
        span.setAttribute(AttributeNames.requestStream, .bool(isStreaming))
        if operation == .embeddings {
            applyEmbeddings(to: span)
            return
        }
        guard let document else { return }
        let messages: [ChatMessage]
        let tools: [ToolDefinition]
        let excluded: Set<String>
        switch operation {
        case .chatCompletions:
            messages = OpenAIChatRequest.messages(document)
            tools = OpenAIChatRequest.tools(document)
            excluded = OpenAIChatRequest.nonParameters
        case .responses:
            messages = OpenAIResponsesRequest.messages(document)
            tools = OpenAIResponsesRequest.tools(document)
            excluded = OpenAIResponsesRequest.nonParameters
        case .anthropicMessages:
            messages = AnthropicMessagesRequest.messages(document)
            tools = AnthropicMessagesRequest.tools(document)
            excluded = AnthropicMessagesRequest.nonParameters
        case .embeddings:
            return
        }
        if !messages.isEmpty { span.setInputMessages(messages) }
        if !tools.isEmpty { span.setTools(tools) }
        if let parameters = ProviderJSON.parameters(of: document, excluding: excluded) {
            span.setModelParameters(json: parameters.json, members: parameters.members)
        }
    }

    private func applyEmbeddings(to span: SpoolSpan) {
        span.setType(.embedding)
        if let model { span.setAttribute(AttributeNames.embeddingModelName, .string(model)) }
        guard let embeddings else { return }
        if let format = embeddings.encodingFormat {
            span.setAttribute(AttributeNames.requestEncodingFormats, .stringArray([format]))
        }
        if let parameters = embeddings.parameters { span.setModelParameters(parameters) }
    }

    /// A fresh accumulator for this request's response.
    package func makeAccumulator() -> any ResponseAccumulator {
        switch operation {
        case .chatCompletions: OpenAIChatAccumulator()
        case .responses: OpenAIResponsesAccumulator()
        case .embeddings: OpenAIEmbeddingsAccumulator(requestedDimensions: embeddings?.dimensions)
        case .anthropicMessages: AnthropicMessagesAccumulator()
        }
    }
}
