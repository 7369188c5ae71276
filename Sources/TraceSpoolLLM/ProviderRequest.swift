import SpoolBase
import SpoolFormat
package import TraceSpool

/// What an LLM request says, read once from its body: the model, whether it streams, and the request attributes of
/// its generation span.
///
/// The body is checked whole (`JSONReader.isValid`) and then read in place (`ProviderJSONScanner`): only the members
/// messages are read from are parsed into values, the tools offered are copied out of the text as compact JSON, and
/// the invocation parameters (small) are parsed one by one; embeddings: scanned, the input skipped. A body that is
/// not a JSON object leaves every field nil or false and `apply(to:)` writes only what the path gives; nothing
/// throws or traps.
package struct ProviderRequest: Sendable {
    /// The API called.
    package let operation: LLMOperation
    /// The body's `model`, else the Azure OpenAI deployment named in the path; nil when neither.
    package var model: String?
    /// The body's `stream` is `true`.
    package var isStreaming: Bool

    /// The members the operation's messages are read from (chat completions: `messages`; responses: `input`,
    /// `instructions`; messages: `system`, `messages`), parsed, as an object; nil for embeddings and bad JSON.
    let document: JSONValue?
    /// The tools offered, each as sent.
    let tools: [ToolDefinition]
    /// The invocation parameters: the body's other members, as compact JSON text and as members.
    let parameters: (json: String, members: [JSONMember])?
    /// The scanned body of an embeddings request.
    let embeddings: OpenAIEmbeddingsRequest?

    /// Reads the request `body` sent to `path` for `operation`; never fails (bad JSON: fields nil).
    package init(operation: LLMOperation, path: String, body: [UInt8]) {
        self.operation = operation
        if operation == .embeddings {
            embeddings = OpenAIEmbeddingsRequest(body: body)
            document = nil
            tools = []
            parameters = nil
            model = embeddings?.model
            isStreaming = false
        } else if let read = Self.read(operation, body) {
            embeddings = nil
            document = read.document
            tools = read.tools
            parameters = read.parameters
            model = read.model
            isStreaming = read.isStreaming
        } else {
            embeddings = nil
            document = nil
            tools = []
            parameters = nil
            model = nil
            isStreaming = false
        }
        if model == nil { model = LLMOperation.azureDeployment(inPath: path) }
    }

    /// The parts of a request body that is a valid JSON object; nil otherwise. Of a member given more than once,
    /// the first is read (the tools, the model, `stream`), as `JSONValue.member` reads it, and every one is kept
    /// among the messages' members and the parameters.
    private static func read(_ operation: LLMOperation, _ body: [UInt8]) -> (
        document: JSONValue, tools: [ToolDefinition], parameters: (json: String, members: [JSONMember]),
        model: String?, isStreaming: Bool
    )? {
        guard JSONReader.isValid(body) else { return nil }
        let s = ProviderJSONScanner(body)
        guard let root = s.document, s.isObject(root) else { return nil }
        let excluded = nonParameters(operation)
        let toolMembers = toolMembers(operation)
        var toolArrays = [Range<Int>?](repeating: nil, count: toolMembers.count)
        var messageMembers: [JSONMember] = []
        var kept: [JSONMember] = []
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        var model: String??
        var stream: Bool??
        s.forEachMember(in: root) { keyRange, value in
            // The body is valid JSON: its keys are strings and its values parse.
            guard let key = s.string((keyRange.lowerBound - 1)..<(keyRange.upperBound + 1)) else { return }
            if model == nil, key == "model" {
                model = .some(s.bytes[value.lowerBound] == UInt8(ascii: "\"") ? s.string(value) : nil)
            }
            if stream == nil, key == "stream" { stream = .some(s.bool(value)) }
            if let i = toolMembers.firstIndex(of: key) {
                if toolArrays[i] == nil { toolArrays[i] = value }
            } else if excluded.contains(key) {
                if let parsed = s.value(value) { messageMembers.append(JSONMember(key, parsed)) }
            } else if let parsed = s.value(value) {
                kept.append(JSONMember(key, parsed))
                writer.key(escaping: key)
                writer.value(parsed)
            }
        }
        writer.endObject()
        let tools: [ToolDefinition] =
            switch operation {
            case .chatCompletions: OpenAIChatRequest.tools(s, toolArrays)
            case .responses: OpenAIResponsesRequest.tools(s, toolArrays)
            case .anthropicMessages: AnthropicMessagesRequest.tools(s, toolArrays)
            case .embeddings: []
            }
        return (
            .object(messageMembers), tools, (writer.text, kept), model ?? nil, (stream ?? nil) ?? false
        )
    }

    /// The members of `operation`'s body that are not invocation parameters.
    private static func nonParameters(_ operation: LLMOperation) -> Set<String> {
        switch operation {
        case .chatCompletions: OpenAIChatRequest.nonParameters
        case .responses: OpenAIResponsesRequest.nonParameters
        case .anthropicMessages: AnthropicMessagesRequest.nonParameters
        case .embeddings: []
        }
    }

    /// The members of `operation`'s body that hold the tools offered.
    private static func toolMembers(_ operation: LLMOperation) -> [String] {
        switch operation {
        case .chatCompletions: OpenAIChatRequest.toolMembers
        case .responses: OpenAIResponsesRequest.toolMembers
        case .anthropicMessages: AnthropicMessagesRequest.toolMembers
        case .embeddings: []
        }
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
        let messages: [ChatMessage] =
            switch operation {
            case .chatCompletions: OpenAIChatRequest.messages(document)
            case .responses: OpenAIResponsesRequest.messages(document)
            case .anthropicMessages: AnthropicMessagesRequest.messages(document)
            case .embeddings: []
            }
        if !messages.isEmpty { span.setInputMessages(messages) }
        if !tools.isEmpty { span.setTools(tools) }
        if let parameters { span.setModelParameters(json: parameters.json, members: parameters.members) }
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
