/// Token counts the fake reports, derived from the bytes only (about four bytes a token) so that they are
/// deterministic: a quarter of the prompt counts as read from the cache, an eighth (Anthropic) as written to it, and
/// models whose names start with `o` or `gpt-5` (reasoning models) spend 3 reasoning tokens.
struct FakeUsage {
    /// All input tokens, cached ones included.
    var promptTokens: Int
    /// Input tokens read from the cache.
    var cachedTokens: Int
    /// Input tokens written to the cache (Anthropic's `cache_creation_input_tokens`).
    var cacheCreationTokens: Int
    /// Output tokens, reasoning included.
    var completionTokens: Int
    /// Reasoning tokens.
    var reasoningTokens: Int

    init(requestBytes: Int, outputBytes: Int, model: String) {
        promptTokens = max(1, requestBytes / 4)
        cachedTokens = promptTokens / 4
        cacheCreationTokens = promptTokens / 8
        reasoningTokens = model.hasPrefix("o") || model.hasPrefix("gpt-5") ? 3 : 0
        completionTokens = max(1, outputBytes / 4) + reasoningTokens
    }

    var totalTokens: Int { promptTokens + completionTokens }
}
