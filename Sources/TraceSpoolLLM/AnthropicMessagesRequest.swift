import SpoolBase
import TraceSpool

/// The request side of Anthropic Messages (https://docs.anthropic.com/en/api/messages).
///
/// `system` (a string or text blocks) becomes a leading system message. A message's `content` is a string or
/// blocks: consecutive `text` blocks (and placeholders `[image]`, `[document]` for media) make one message of the
/// message's role, `tool_use` blocks (`{id, name, input}`) its tool calls with the `input` as compact JSON
/// arguments, and each `tool_result` block (`{tool_use_id, content}`) a message of role `tool`; `thinking` blocks
/// are left out. `tools[]`: `{name, description, input_schema}` or server tools (`{type, name}`).
enum AnthropicMessagesRequest {
    /// The members that are not invocation parameters.
    static let nonParameters: Set<String> = ["messages", "system", "tools"]

    /// The input messages.
    static func messages(_ document: JSONValue) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if let system = document.member("system") {
            let text = ProviderJSON.text(ofContent: system)
            if !text.isEmpty { messages.append(ChatMessage(role: "system", content: text)) }
        }
        for item in document.arrayMember("messages") ?? [] where item.isObject {
            let role = item.stringMember("role") ?? "user"
            guard let blocks = item.arrayMember("content") else {
                messages.append(ChatMessage(role: role, content: ProviderJSON.text(ofContent: item.member("content"))))
                continue
            }
            var current: ChatMessage?
            var texts: [String] = []
            func flush() {
                guard var message = current else { return }
                message.content = texts.joined(separator: "\n")
                messages.append(message)
                current = nil
                texts = []
            }
            for block in blocks where block.isObject {
                switch block.stringMember("type") {
                case "tool_result":
                    flush()
                    messages.append(
                        ChatMessage(
                            role: "tool", content: ProviderJSON.text(ofContent: block.member("content")),
                            toolCallID: block.stringMember("tool_use_id")))
                case "tool_use":
                    if current == nil { current = ChatMessage(role: role, content: "") }
                    current?.toolCalls.append(toolCall(block))
                case "thinking", "redacted_thinking":
                    break
                case let type:
                    if current == nil { current = ChatMessage(role: role, content: "") }
                    texts.append(block.stringMember("text") ?? "[\(type ?? "unknown")]")
                }
            }
            flush()
        }
        return messages
    }

    /// A `tool_use` block as a tool call: `id`, `name`, `input` as compact JSON (`{}` when absent).
    static func toolCall(_ block: JSONValue) -> ToolCall {
        ToolCall(
            id: block.stringMember("id") ?? "", name: block.stringMember("name") ?? "",
            arguments: block.member("input").map(ProviderJSON.compact) ?? "{}")
    }

    /// The members that hold the tools offered: `tools`.
    static let toolMembers = ["tools"]

    /// The tools offered, each recorded as sent; the name is `name` (else a built-in tool's `type`).
    static func tools(_ s: ProviderJSONScanner, _ arrays: [Range<Int>?]) -> [ToolDefinition] {
        ProviderJSON.tools(in: s, array: arrays[0]) { ProviderJSON.nameOrType($0, in: s) }
    }
}
