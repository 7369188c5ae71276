import SpoolBase
import TraceSpool

/// The request side of the OpenAI Responses API (https://platform.openai.com/docs/api-reference/responses/create).
///
/// `instructions` becomes a leading system message; `input` is a string (one user message) or an array of items:
/// messages (`{role, content}` with a string or `input_text`/`output_text`/`input_image`/`input_file` parts),
/// `function_call` items (`{call_id, name, arguments}`, consecutive ones gathered into one assistant message with
/// tool calls) and `function_call_output` items (`{call_id, output}`, a tool message); other items (reasoning,
/// references) are left out. `tools[]`: `{type: "function", name, description, parameters}` or built-in tools
/// (`{type: "web_search"}`...).
enum OpenAIResponsesRequest {
    /// The members that are not invocation parameters.
    static let nonParameters: Set<String> = ["input", "instructions", "tools"]

    /// The input messages.
    static func messages(_ document: JSONValue) -> [ChatMessage] {
        var messages: [ChatMessage] = []
        if let instructions = document.stringMember("instructions") {
            messages.append(ChatMessage(role: "system", content: instructions))
        }
        switch document.member("input") {
        case .string(let text)?:
            messages.append(ChatMessage(role: "user", content: text))
        case .array(let items)?:
            var gathering = false
            for item in items where item.isObject {
                let type = item.stringMember("type")
                if let role = item.stringMember("role"), type == nil || type == "message" {
                    messages.append(
                        ChatMessage(role: role, content: ProviderJSON.text(ofContent: item.member("content"))))
                    gathering = false
                } else if type == "function_call" {
                    let call = toolCall(item)
                    if gathering {
                        messages[messages.count - 1].toolCalls.append(call)
                    } else {
                        messages.append(ChatMessage(role: "assistant", content: "", toolCalls: [call]))
                        gathering = true
                    }
                } else if type == "function_call_output" {
                    messages.append(
                        ChatMessage(
                            role: "tool", content: ProviderJSON.text(ofContent: item.member("output")),
                            toolCallID: item.stringMember("call_id")))
                    gathering = false
                }
            }
        default: break
        }
        return messages
    }

    /// A `function_call` item as a tool call (`call_id`, `name`, `arguments`).
    static func toolCall(_ item: JSONValue) -> ToolCall {
        ToolCall(
            id: item.stringMember("call_id") ?? item.stringMember("id") ?? "", name: item.stringMember("name") ?? "",
            arguments: item.stringMember("arguments") ?? "")
    }

    /// The members that hold the tools offered: `tools`.
    static let toolMembers = ["tools"]

    /// The tools offered, each recorded as sent; the name is `name` (else a built-in tool's `type`).
    static func tools(_ s: ProviderJSONScanner, _ arrays: [Range<Int>?]) -> [ToolDefinition] {
        ProviderJSON.tools(in: s, array: arrays[0]) { ProviderJSON.nameOrType($0, in: s) }
    }
}
