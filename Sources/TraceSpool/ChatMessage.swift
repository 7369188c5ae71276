import SpoolBase

/// One chat message of a generation's input or output.
///
/// Its `Codable` form, which `input.value` / `output.value` hold: `{"content":…,"role":…}` plus `"tool_call_id"`
/// when `toolCallID` is set and `"tool_calls":[…]` (see `ToolCall`) when `toolCalls` is not empty, keys sorted.
public struct ChatMessage: Sendable, Codable, Equatable {
    /// `system`, `user`, `assistant`, `tool`...
    public var role: String
    /// The text.
    public var content: String
    /// The tool call id this message answers (a tool result), if any.
    public var toolCallID: String?
    /// The tool calls the model asked for in this (assistant) message; empty for none.
    public var toolCalls: [ToolCall]

    /// Creates a message.
    public init(role: String, content: String, toolCallID: String? = nil, toolCalls: [ToolCall] = []) {
        self.role = role
        self.content = content
        self.toolCallID = toolCallID
        self.toolCalls = toolCalls
    }

    enum CodingKeys: String, CodingKey {
        case content, role
        case toolCallID = "tool_call_id"
        case toolCalls = "tool_calls"
    }

    /// Decodes the form above; a missing `tool_calls` (or `null`) decodes as no tool calls.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        role = try container.decode(String.self, forKey: .role)
        content = try container.decode(String.self, forKey: .content)
        toolCallID = try container.decodeIfPresent(String.self, forKey: .toolCallID)
        toolCalls = try container.decodeIfPresent([ToolCall].self, forKey: .toolCalls) ?? []
    }

    /// Encodes the form above.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(content, forKey: .content)
        try container.encode(role, forKey: .role)
        try container.encodeIfPresent(toolCallID, forKey: .toolCallID)
        if !toolCalls.isEmpty { try container.encode(toolCalls, forKey: .toolCalls) }
    }
}

extension ChatMessage {
    /// `messages` as a JSON array of their `Codable` forms, written with `JSONWriter` (no Foundation): the text
    /// `JSONEncoder` writes with sorted keys and unescaped slashes, except that `JSONWriter` also escapes DEL,
    /// U+2028 and U+2029 (the same JSON value).
    static func json(_ messages: [ChatMessage]) -> String {
        var capacity = 2
        for message in messages {
            capacity += 32 + message.content.utf8.count + message.role.utf8.count
            for call in message.toolCalls { capacity += 64 + call.arguments.utf8.count + call.name.utf8.count }
        }
        var writer = JSONWriter(capacity: capacity)
        writer.beginArray()
        for message in messages { message.write(to: &writer) }
        writer.endArray()
        return writer.text
    }

    /// Writes the `Codable` form, keys sorted.
    func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("content")
        writer.string(content)
        writer.key("role")
        writer.string(role)
        if let toolCallID {
            writer.key("tool_call_id")
            writer.string(toolCallID)
        }
        if !toolCalls.isEmpty {
            writer.key("tool_calls")
            writer.beginArray()
            for call in toolCalls {
                writer.beginObject()
                writer.key("function")
                writer.beginObject()
                writer.key("arguments")
                writer.string(call.arguments)
                writer.key("name")
                writer.string(call.name)
                writer.endObject()
                writer.key("id")
                writer.string(call.id)
                writer.key("type")
                writer.string("function")
                writer.endObject()
            }
            writer.endArray()
        }
        writer.endObject()
    }
}
