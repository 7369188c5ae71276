/// The attribute names TraceSpool writes (shared with the dump tool and the SQLite sink).
public enum AttributeNames {
    /// `tracespool.span.type`: trace, agent, generation, tool, retrieval, chain, handoff, guardrail, event, custom.
    public static let spanType = "tracespool.span.type"
    /// `openinference.span.kind`.
    public static let openInferenceKind = "openinference.span.kind"
    /// `tracespool.level`: DEBUG, DEFAULT, WARNING, ERROR.
    public static let level = "tracespool.level"
    /// `gen_ai.request.model`.
    public static let requestModel = "gen_ai.request.model"
    /// `llm.model_name`.
    public static let llmModelName = "llm.model_name"
    /// `gen_ai.system`.
    public static let system = "gen_ai.system"
    /// `gen_ai.usage.input_tokens`.
    public static let inputTokens = "gen_ai.usage.input_tokens"
    /// `gen_ai.usage.output_tokens`.
    public static let outputTokens = "gen_ai.usage.output_tokens"
    /// `llm.token_count.prompt`.
    public static let promptTokens = "llm.token_count.prompt"
    /// `llm.token_count.completion`.
    public static let completionTokens = "llm.token_count.completion"
    /// `llm.token_count.total`.
    public static let totalTokens = "llm.token_count.total"
    /// `gen_ai.usage.cost` (double, USD).
    public static let cost = "gen_ai.usage.cost"
    /// `llm.invocation_parameters` (JSON string).
    public static let invocationParameters = "llm.invocation_parameters"
    /// `gen_ai.operation.name`: `chat` (set by `withGeneration`), `execute_tool` (`withTool`), `invoke_agent`
    /// (`withAgent`); set it yourself for other operations (e.g. `text_completion`, `embeddings`).
    public static let operationName = "gen_ai.operation.name"
    /// `gen_ai.agent.name` (set by `withAgent`).
    public static let agentName = "gen_ai.agent.name"
    /// `gen_ai.request.temperature` (double), from the model parameters' `temperature`.
    public static let requestTemperature = "gen_ai.request.temperature"
    /// `gen_ai.request.max_tokens` (int), from `max_tokens` / `maxTokens` / `max_completion_tokens` /
    /// `max_output_tokens`.
    public static let requestMaxTokens = "gen_ai.request.max_tokens"
    /// `gen_ai.request.top_p` (double), from `top_p` / `topP`.
    public static let requestTopP = "gen_ai.request.top_p"
    /// `gen_ai.request.top_k` (double), from `top_k` / `topK`.
    public static let requestTopK = "gen_ai.request.top_k"
    /// `gen_ai.request.frequency_penalty` (double), from `frequency_penalty` / `frequencyPenalty`.
    public static let requestFrequencyPenalty = "gen_ai.request.frequency_penalty"
    /// `gen_ai.request.presence_penalty` (double), from `presence_penalty` / `presencePenalty`.
    public static let requestPresencePenalty = "gen_ai.request.presence_penalty"
    /// `gen_ai.request.stop_sequences` (array of strings), from `stop` / `stop_sequences` / `stopSequences` (a
    /// string or an array of strings).
    public static let requestStopSequences = "gen_ai.request.stop_sequences"
    /// `gen_ai.request.seed` (int), from `seed`.
    public static let requestSeed = "gen_ai.request.seed"
    /// `gen_ai.tool.name`.
    public static let genAIToolName = "gen_ai.tool.name"
    /// `tool.name`.
    public static let toolName = "tool.name"
    /// `input.value`.
    public static let inputValue = "input.value"
    /// `input.mime_type`.
    public static let inputMimeType = "input.mime_type"
    /// `output.value`.
    public static let outputValue = "output.value"
    /// `output.mime_type`.
    public static let outputMimeType = "output.mime_type"
    /// `session.id`.
    public static let sessionID = "session.id"
    /// `user.id`.
    public static let userID = "user.id"
    /// `gen_ai.conversation.id`.
    public static let conversationID = "gen_ai.conversation.id"
    /// `metadata` (JSON object string).
    public static let metadata = "metadata"
    /// `tag.tags` (array of strings).
    public static let tags = "tag.tags"
    /// `score.name`.
    public static let scoreName = "score.name"
    /// `score.value` (double for numeric and boolean 1/0 scores, string for categorical ones).
    public static let scoreValue = "score.value"
    /// `score.data_type`: NUMERIC, BOOLEAN, CATEGORICAL.
    public static let scoreDataType = "score.data_type"
    /// `score.comment`.
    public static let scoreComment = "score.comment"
    /// `tracespool.activity`: checkpoint, file_operation, terminal_command, git_commit, score.
    public static let activity = "tracespool.activity"
}
