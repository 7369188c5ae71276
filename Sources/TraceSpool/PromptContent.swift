/// What a prompt holds: one text, or the messages of a chat. A `Prompt`'s template has `{{variable}}`
/// placeholders; a `CompiledPrompt`'s content has them filled in.
public enum PromptContent: Sendable, Equatable {
    /// A text prompt (a `<version>.txt` file, or a `<version>.json` file whose `prompt` is a string).
    case text(String)
    /// A chat prompt (a `<version>.json` file whose `prompt` is an array of `{"role":…,"content":…}` objects).
    case chat([ChatMessage])

    /// `text` or `chat`, as in a `<version>.json` file's `type` and the `tracespool-dump prompts` listing.
    public var type: String {
        switch self {
        case .text: "text"
        case .chat: "chat"
        }
    }
}
