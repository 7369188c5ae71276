/// A tool (function) call a model asked for, inside an assistant message (`ChatMessage.toolCalls`).
///
/// Recorded as OpenInference `….message.tool_calls.<j>.tool_call.id`, `.tool_call.function.name` and
/// `.tool_call.function.arguments`. Its `Codable` form is OpenAI's:
/// `{"function":{"arguments":"…","name":"…"},"id":"…","type":"function"}`.
public struct ToolCall: Sendable, Codable, Equatable {
    /// The provider's id of the call, which the tool result's `ChatMessage.toolCallID` names.
    public var id: String
    /// The function name.
    public var name: String
    /// The arguments, JSON text as the model produced it (not validated). Input/output: recorded only when capture
    /// is on, redacted and cut like a message content.
    public var arguments: String

    /// Creates a tool call.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }

    enum CodingKeys: String, CodingKey {
        case function, id, type
    }

    enum FunctionKeys: String, CodingKey {
        case arguments, name
    }

    /// Decodes OpenAI's form; `type` is not checked, missing `arguments` decode as an empty string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        let function = try container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        name = try function.decode(String.self, forKey: .name)
        arguments = try function.decodeIfPresent(String.self, forKey: .arguments) ?? ""
    }

    /// Encodes OpenAI's form, `type` `function`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        var function = container.nestedContainer(keyedBy: FunctionKeys.self, forKey: .function)
        try function.encode(arguments, forKey: .arguments)
        try function.encode(name, forKey: .name)
        try container.encode(id, forKey: .id)
        try container.encode("function", forKey: .type)
    }
}
