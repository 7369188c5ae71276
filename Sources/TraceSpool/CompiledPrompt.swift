/// A `Prompt` with its variables filled in (`Prompt.compile(_:)`): what to send to the model, and what
/// `SpoolSpan.setPrompt(_:)` records about it.
public struct CompiledPrompt: Sendable, Equatable {
    /// The prompt compiled.
    public let prompt: Prompt
    /// The compiled text or messages.
    public let content: PromptContent
    /// The values used: one per variable of the template (values given for names the template does not use are
    /// not kept).
    public let variables: [String: String]

    /// The compiled text of a text prompt; nil for a chat prompt.
    public var text: String? {
        if case .text(let text) = content { return text }
        return nil
    }

    /// The compiled messages of a chat prompt; nil for a text prompt.
    public var messages: [ChatMessage]? {
        if case .chat(let messages) = content { return messages }
        return nil
    }
}
