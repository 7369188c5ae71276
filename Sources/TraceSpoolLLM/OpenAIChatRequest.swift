import SpoolBase
import TraceSpool

/// The request side of OpenAI Chat Completions, as OpenAI and OpenAI-compatible servers take it
/// (https://platform.openai.com/docs/api-reference/chat/create).
///
/// `messages[]`: `role`, `content` (a string, null, or an array of parts: `text`, `image_url`, `input_audio`,
/// `file`, `refusal`), `tool_calls[]` (`{id, type: "function", function: {name, arguments}}`) in assistant messages,
/// the legacy `function_call`, `tool_call_id` in tool messages. `tools[]`: `{type: "function", function: {name,
/// description, parameters}}`, or the legacy `functions[]`.
enum OpenAIChatRequest {
    /// The members that are not invocation parameters.
    static let nonParameters: Set<String> = ["messages", "tools", "functions"]

    /// The input messages; content parts are flattened to text (`ProviderJSON.text(ofContent:)`).
    static func messages(_ document: JSONValue) -> [ChatMessage] {
        guard let items = document.arrayMember("messages") else { return [] }
        var messages: [ChatMessage] = []
        messages.reserveCapacity(items.count)
        for item in items where item.isObject {
            var message = ChatMessage(
                role: item.stringMember("role") ?? "user",
                content: ProviderJSON.text(ofContent: item.member("content")),
                toolCallID: item.stringMember("tool_call_id"))
            if let calls = item.arrayMember("tool_calls") {
                message.toolCalls = calls.compactMap(toolCall)
            } else if let call = item.member("function_call"), call.isObject {
                message.toolCalls = [
                    ToolCall(
                        id: "", name: call.stringMember("name") ?? "", arguments: call.stringMember("arguments") ?? "")
                ]
            }
            messages.append(message)
        }
        return messages
    }

    /// `{id, function: {name, arguments}}` as a tool call; nil when it is not an object.
    static func toolCall(_ value: JSONValue) -> ToolCall? {
        guard value.isObject else { return nil }
        let function = value.member("function")
        return ToolCall(
            id: value.stringMember("id") ?? "", name: function?.stringMember("name") ?? "",
            arguments: function?.stringMember("arguments") ?? "")
    }

    /// The tools offered, each recorded as sent; the name is `function.name` (a built-in tool's `type`).
    static func tools(_ document: JSONValue) -> [ToolDefinition] {
        var tools: [ToolDefinition] = []
        for tool in document.arrayMember("tools") ?? [] where tool.isObject {
            let name = tool.member("function")?.stringMember("name") ?? tool.stringMember("type") ?? ""
            tools.append(ToolDefinition(name: name, json: ProviderJSON.compact(tool)))
        }
        for function in document.arrayMember("functions") ?? [] where function.isObject {
            tools.append(
                ToolDefinition(name: function.stringMember("name") ?? "", json: ProviderJSON.compact(function)))
        }
        return tools
    }
}
