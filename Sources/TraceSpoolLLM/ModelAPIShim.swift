// TODO(lead): delete this file when the model API (branch `model`) is on main: its types and setters shadow the
// ones PLAN17 specifies for module TraceSpool, with the same names and signatures, so that the providers' code
// compiles unchanged against the real ones.
import SpoolFormat
import TraceSpool
import Tracing

/// Stand-in for `TraceSpool.ToolCall`.
struct ToolCall: Sendable, Equatable {
    var id: String
    var name: String
    var arguments: String
    init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// Stand-in for `TraceSpool.ChatMessage` with tool calls.
struct ChatMessage: Sendable, Equatable {
    var role: String
    var content: String
    var toolCallID: String?
    var toolCalls: [ToolCall]
    init(role: String, content: String, toolCallID: String? = nil, toolCalls: [ToolCall] = []) {
        self.role = role
        self.content = content
        self.toolCallID = toolCallID
        self.toolCalls = toolCalls
    }
}

/// Stand-in for `TraceSpool.ToolDefinition`.
struct ToolDefinition: Sendable, Equatable {
    var name: String
    var json: String
    init(name: String, json: String) {
        self.name = name
        self.json = json
    }
}

extension SpanType {
    /// Stand-in for `SpanType.embedding`.
    static var embedding: SpanType { .generation }
}

extension SpoolSpan {
    func setInputMessages(_ messages: [ChatMessage]) {
        guard capturesInputOutput else { return }
        shimMessages(messages, prefix: "llm.input_messages")
    }

    func setOutputMessages(_ messages: [ChatMessage]) {
        guard capturesInputOutput else { return }
        shimMessages(messages, prefix: "llm.output_messages")
    }

    private func shimMessages(_ messages: [ChatMessage], prefix: String) {
        for (i, m) in messages.enumerated() {
            setAttribute("\(prefix).\(i).message.role", .string(m.role))
            setAttribute("\(prefix).\(i).message.content", .string(m.content))
            if let id = m.toolCallID { setAttribute("\(prefix).\(i).message.tool_call_id", .string(id)) }
            for (j, call) in m.toolCalls.enumerated() {
                let p = "\(prefix).\(i).message.tool_calls.\(j).tool_call"
                setAttribute("\(p).id", .string(call.id))
                setAttribute("\(p).function.name", .string(call.name))
                setAttribute("\(p).function.arguments", .string(call.arguments))
            }
        }
    }

    func setTools(_ tools: [ToolDefinition]) {
        for (i, tool) in tools.enumerated() { setAttribute("llm.tools.\(i).tool.json_schema", .string(tool.json)) }
    }

    func setResponse(id: String? = nil, model: String? = nil, finishReasons: [String] = []) {
        if let id { setAttribute("gen_ai.response.id", .string(id)) }
        if let model { setAttribute("gen_ai.response.model", .string(model)) }
        if !finishReasons.isEmpty { setAttribute("gen_ai.response.finish_reasons", .stringArray(finishReasons)) }
    }

    func setUsage(
        inputTokens: Int? = nil, outputTokens: Int? = nil, totalTokens: Int? = nil, cacheReadInputTokens: Int? = nil,
        cacheCreationInputTokens: Int? = nil, reasoningTokens: Int? = nil, costUSD: Double? = nil
    ) {
        setUsage(inputTokens: inputTokens, outputTokens: outputTokens, totalTokens: totalTokens, costUSD: costUSD)
        if let n = cacheReadInputTokens {
            setAttribute("llm.token_count.prompt_details.cache_read", .int64(Int64(n)))
            setAttribute("gen_ai.usage.cache_read.input_tokens", .int64(Int64(n)))
        }
        if let n = cacheCreationInputTokens {
            setAttribute("llm.token_count.prompt_details.cache_write", .int64(Int64(n)))
            setAttribute("gen_ai.usage.cache_creation.input_tokens", .int64(Int64(n)))
        }
        if let n = reasoningTokens {
            setAttribute("llm.token_count.completion_details.reasoning", .int64(Int64(n)))
            setAttribute("gen_ai.usage.reasoning.output_tokens", .int64(Int64(n)))
        }
    }
}
