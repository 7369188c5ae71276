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

    /// The members that hold the tools offered: `tools`, and the legacy `functions`.
    static let toolMembers = ["tools", "functions"]

    /// The tools offered, each recorded as sent: `tools[]` (named by `function.name`, a built-in tool by its `type`)
    /// and the legacy `functions[]` (named by `name`), from the arrays at `arrays` (`toolMembers`' order).
    static func tools(_ s: ProviderJSONScanner, _ arrays: [Range<Int>?]) -> [ToolDefinition] {
        ProviderJSON.tools(in: s, array: arrays[0]) { tool in
            s.member("function", in: tool).flatMap { s.stringMember("name", in: $0) }
                ?? s.stringMember("type", in: tool) ?? ""
        } + ProviderJSON.tools(in: s, array: arrays[1]) { s.stringMember("name", in: $0) ?? "" }
    }
}
