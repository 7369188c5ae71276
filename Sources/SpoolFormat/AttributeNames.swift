/// The attribute keys that TraceSpool's tracer writes and that readers interpret: the dump tool's span facts, the
/// uploader's SQLite store columns, third-party readers of the spool. The one place these strings are spelled.
///
/// Each is an inlinable constant, so a comparison with one costs what a comparison with the literal costs.
public enum AttributeNames {
    /// `service.name` (resource attribute).
    @inlinable public static var serviceName: String { "service.name" }
    /// `tracespool.span.type`: trace, agent, generation, tool, retrieval, chain, handoff, guardrail, event, custom.
    @inlinable public static var spanType: String { "tracespool.span.type" }
    /// `openinference.span.kind`.
    @inlinable public static var openInferenceKind: String { "openinference.span.kind" }
    /// `tracespool.level`: DEBUG, DEFAULT, WARNING, ERROR.
    @inlinable public static var level: String { "tracespool.level" }
    /// `gen_ai.request.model`.
    @inlinable public static var requestModel: String { "gen_ai.request.model" }
    /// `gen_ai.response.model`: the model that answered (readers fall back to it).
    @inlinable public static var responseModel: String { "gen_ai.response.model" }
    /// `llm.model_name`.
    @inlinable public static var llmModelName: String { "llm.model_name" }
    /// `gen_ai.system`.
    @inlinable public static var system: String { "gen_ai.system" }
    /// `gen_ai.usage.input_tokens`.
    @inlinable public static var inputTokens: String { "gen_ai.usage.input_tokens" }
    /// `gen_ai.usage.output_tokens`.
    @inlinable public static var outputTokens: String { "gen_ai.usage.output_tokens" }
    /// `llm.token_count.prompt`.
    @inlinable public static var promptTokens: String { "llm.token_count.prompt" }
    /// `llm.token_count.completion`.
    @inlinable public static var completionTokens: String { "llm.token_count.completion" }
    /// `llm.token_count.total`.
    @inlinable public static var totalTokens: String { "llm.token_count.total" }
    /// `gen_ai.usage.cost` (double, USD).
    @inlinable public static var cost: String { "gen_ai.usage.cost" }
    /// `llm.invocation_parameters` (JSON string).
    @inlinable public static var invocationParameters: String { "llm.invocation_parameters" }
    /// `gen_ai.operation.name`: `chat` (set by `withGeneration`), `execute_tool` (`withTool`), `invoke_agent`
    /// (`withAgent`); set it yourself for other operations (e.g. `text_completion`, `embeddings`).
    @inlinable public static var operationName: String { "gen_ai.operation.name" }
    /// `gen_ai.agent.name` (set by `withAgent`).
    @inlinable public static var agentName: String { "gen_ai.agent.name" }
    /// `gen_ai.request.temperature` (double), from the model parameters' `temperature`.
    @inlinable public static var requestTemperature: String { "gen_ai.request.temperature" }
    /// `gen_ai.request.max_tokens` (int), from `max_tokens` / `maxTokens` / `max_completion_tokens` /
    /// `max_output_tokens`.
    @inlinable public static var requestMaxTokens: String { "gen_ai.request.max_tokens" }
    /// `gen_ai.request.top_p` (double), from `top_p` / `topP`.
    @inlinable public static var requestTopP: String { "gen_ai.request.top_p" }
    /// `gen_ai.request.top_k` (double), from `top_k` / `topK`.
    @inlinable public static var requestTopK: String { "gen_ai.request.top_k" }
    /// `gen_ai.request.frequency_penalty` (double), from `frequency_penalty` / `frequencyPenalty`.
    @inlinable public static var requestFrequencyPenalty: String { "gen_ai.request.frequency_penalty" }
    /// `gen_ai.request.presence_penalty` (double), from `presence_penalty` / `presencePenalty`.
    @inlinable public static var requestPresencePenalty: String { "gen_ai.request.presence_penalty" }
    /// `gen_ai.request.stop_sequences` (array of strings), from `stop` / `stop_sequences` / `stopSequences` (a
    /// string or an array of strings).
    @inlinable public static var requestStopSequences: String { "gen_ai.request.stop_sequences" }
    /// `gen_ai.request.seed` (int), from `seed`.
    @inlinable public static var requestSeed: String { "gen_ai.request.seed" }
    /// `gen_ai.tool.name`.
    @inlinable public static var genAIToolName: String { "gen_ai.tool.name" }
    /// `tool.name`.
    @inlinable public static var toolName: String { "tool.name" }
    /// `input.value`.
    @inlinable public static var inputValue: String { "input.value" }
    /// `input.mime_type`.
    @inlinable public static var inputMimeType: String { "input.mime_type" }
    /// `llm.input_messages`: the prefix of a generation's input messages, `llm.input_messages.<i>.message.role`,
    /// `.content` and `.tool_call_id` (OpenInference).
    @inlinable public static var inputMessages: String { "llm.input_messages" }
    /// `llm.output_messages`: the prefix of a generation's output messages (see `inputMessages`).
    @inlinable public static var outputMessages: String { "llm.output_messages" }
    /// `output.value`.
    @inlinable public static var outputValue: String { "output.value" }
    /// `output.mime_type`.
    @inlinable public static var outputMimeType: String { "output.mime_type" }
    /// `session.id`.
    @inlinable public static var sessionID: String { "session.id" }
    /// `user.id`.
    @inlinable public static var userID: String { "user.id" }
    /// `gen_ai.conversation.id`.
    @inlinable public static var conversationID: String { "gen_ai.conversation.id" }
    /// `metadata` (JSON object string).
    @inlinable public static var metadata: String { "metadata" }
    /// `tag.tags` (array of strings).
    @inlinable public static var tags: String { "tag.tags" }
    /// `score.name`.
    @inlinable public static var scoreName: String { "score.name" }
    /// `score.value` (double for numeric and boolean 1/0 scores, string for categorical ones).
    @inlinable public static var scoreValue: String { "score.value" }
    /// `score.data_type`: NUMERIC, BOOLEAN, CATEGORICAL.
    @inlinable public static var scoreDataType: String { "score.data_type" }
    /// `score.comment`.
    @inlinable public static var scoreComment: String { "score.comment" }
    /// `tracespool.activity`: checkpoint, file_operation, terminal_command, git_commit, score.
    @inlinable public static var activity: String { "tracespool.activity" }
    /// `exception`: the name of the event `recordError` adds.
    @inlinable public static var exceptionEvent: String { "exception" }
    /// `exception.type` (an attribute of the `exception` event).
    @inlinable public static var exceptionType: String { "exception.type" }
    /// `exception.message` (an attribute of the `exception` event).
    @inlinable public static var exceptionMessage: String { "exception.message" }
}
