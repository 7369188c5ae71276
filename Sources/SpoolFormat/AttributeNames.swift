/// The attribute keys that TraceSpool's tracer writes and that readers interpret: the dump tool's span facts, the
/// uploader's SQLite store columns, third-party readers of the spool. The one place these strings are spelled.
///
/// Each is an inlinable constant, so a comparison with one costs what a comparison with the literal costs.
public enum AttributeNames {
    /// `service.name` (resource attribute).
    @inlinable public static var serviceName: String { "service.name" }
    /// `tracespool.span.type`: trace, agent, generation, embedding, tool, retrieval, chain, handoff, guardrail,
    /// thought, observation, error, event, custom.
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
    /// `gen_ai.provider.name`: the provider (`openai`, `anthropic`, `azure.ai.openai`...), the same value as
    /// `gen_ai.system`.
    @inlinable public static var providerName: String { "gen_ai.provider.name" }
    /// `llm.system` (OpenInference): the provider, the same value as `gen_ai.system`.
    @inlinable public static var llmSystem: String { "llm.system" }
    /// `llm.provider` (OpenInference): the provider, the same value as `gen_ai.system`.
    @inlinable public static var llmProvider: String { "llm.provider" }
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
    /// `gen_ai.usage.cache_read.input_tokens`: input tokens read from the provider's prompt cache (part of
    /// `gen_ai.usage.input_tokens`).
    @inlinable public static var cacheReadInputTokens: String { "gen_ai.usage.cache_read.input_tokens" }
    /// `gen_ai.usage.cache_creation.input_tokens`: input tokens written to the provider's prompt cache (part of
    /// `gen_ai.usage.input_tokens`).
    @inlinable public static var cacheCreationInputTokens: String { "gen_ai.usage.cache_creation.input_tokens" }
    /// `gen_ai.usage.reasoning.output_tokens`: reasoning tokens (part of `gen_ai.usage.output_tokens`).
    @inlinable public static var reasoningOutputTokens: String { "gen_ai.usage.reasoning.output_tokens" }
    /// `llm.token_count.prompt_details.cache_read` (OpenInference): as `cacheReadInputTokens`.
    @inlinable public static var promptCacheReadTokens: String { "llm.token_count.prompt_details.cache_read" }
    /// `llm.token_count.prompt_details.cache_write` (OpenInference): as `cacheCreationInputTokens`.
    @inlinable public static var promptCacheWriteTokens: String { "llm.token_count.prompt_details.cache_write" }
    /// `llm.token_count.completion_details.reasoning` (OpenInference): as `reasoningOutputTokens`.
    @inlinable public static var completionReasoningTokens: String { "llm.token_count.completion_details.reasoning" }
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
    /// `gen_ai.request.stream` (bool): the response was requested as a stream of server-sent events.
    @inlinable public static var requestStream: String { "gen_ai.request.stream" }
    /// `gen_ai.request.encoding_formats` (array of strings): the encodings requested of an embeddings call.
    @inlinable public static var requestEncodingFormats: String { "gen_ai.request.encoding_formats" }
    /// `gen_ai.response.id`: the provider's id of the response.
    @inlinable public static var responseID: String { "gen_ai.response.id" }
    /// `gen_ai.response.finish_reasons` (array of strings): why the model stopped, one per choice (`stop`,
    /// `tool_calls`, `end_turn`, `length`...).
    @inlinable public static var responseFinishReasons: String { "gen_ai.response.finish_reasons" }
    /// `gen_ai.response.time_to_first_chunk` (double, seconds): from the request to the first output (text or tool
    /// call) received.
    @inlinable public static var timeToFirstChunk: String { "gen_ai.response.time_to_first_chunk" }
    /// `gen_ai.embeddings.dimension.count` (int): the length of each embedding vector.
    @inlinable public static var embeddingsDimensionCount: String { "gen_ai.embeddings.dimension.count" }
    /// `embedding.model_name` (OpenInference): the model of an embedding span.
    @inlinable public static var embeddingModelName: String { "embedding.model_name" }
    /// `llm.tools`: the prefix of the tools offered to a generation, `llm.tools.<i>.tool.json_schema`
    /// (OpenInference; the tool's definition JSON as sent to the provider).
    @inlinable public static var tools: String { "llm.tools" }
    /// `tool.json_schema`: the key of one offered tool under `tools`, `llm.tools.<i>.tool.json_schema`.
    @inlinable public static var toolJSONSchema: String { "tool.json_schema" }
    /// `gen_ai.tool.name`.
    @inlinable public static var genAIToolName: String { "gen_ai.tool.name" }
    /// `tool.name`.
    @inlinable public static var toolName: String { "tool.name" }
    /// `input.value`.
    @inlinable public static var inputValue: String { "input.value" }
    /// `input.mime_type`.
    @inlinable public static var inputMimeType: String { "input.mime_type" }
    /// `llm.input_messages`: the prefix of a generation's input messages (OpenInference):
    /// `llm.input_messages.<i>.message.role`, `.message.content`, `.message.tool_call_id` and
    /// `.message.tool_calls.<j>.tool_call.id`, `.tool_call.function.name`, `.tool_call.function.arguments`.
    @inlinable public static var inputMessages: String { "llm.input_messages" }
    /// `llm.output_messages`: the prefix of a generation's output messages (see `inputMessages`).
    @inlinable public static var outputMessages: String { "llm.output_messages" }
    /// `message.role`: a message's role under `inputMessages` / `outputMessages` (`<prefix>.<i>.message.role`).
    @inlinable public static var messageRole: String { "message.role" }
    /// `message.content`: a message's text (`<prefix>.<i>.message.content`).
    @inlinable public static var messageContent: String { "message.content" }
    /// `message.tool_call_id`: the tool call a tool result answers (`<prefix>.<i>.message.tool_call_id`).
    @inlinable public static var messageToolCallID: String { "message.tool_call_id" }
    /// `message.tool_calls`: the prefix of a message's tool calls (`<prefix>.<i>.message.tool_calls.<j>.…`).
    @inlinable public static var messageToolCalls: String { "message.tool_calls" }
    /// `tool_call.id`: a tool call's id (`….message.tool_calls.<j>.tool_call.id`).
    @inlinable public static var toolCallID: String { "tool_call.id" }
    /// `tool_call.function.name`: the function a tool call calls.
    @inlinable public static var toolCallFunctionName: String { "tool_call.function.name" }
    /// `tool_call.function.arguments`: a tool call's arguments (JSON text as the model produced it).
    @inlinable public static var toolCallFunctionArguments: String { "tool_call.function.arguments" }
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
    /// `tracespool.llm.outcome`: how an instrumented LLM call ended: `completed`, `failed`, `cancelled` or
    /// `abandoned` (its stream dropped by its consumer).
    @inlinable public static var llmOutcome: String { "tracespool.llm.outcome" }
    /// `tracespool.llm.chunks` (int): the server-sent events received of a streamed LLM call.
    @inlinable public static var llmChunks: String { "tracespool.llm.chunks" }
    /// `tracespool.llm.replayed` (bool): true on a span whose response was served from a recording.
    @inlinable public static var llmReplayed: String { "tracespool.llm.replayed" }
    /// `tracespool.llm.response_truncated`: true when a non-streamed response body was too large for its response
    /// attributes to be read.
    @inlinable public static var llmResponseTruncated: String { "tracespool.llm.response_truncated" }
    /// `http.request.method`.
    @inlinable public static var httpRequestMethod: String { "http.request.method" }
    /// `url.full`: the request URL, credentials in it redacted.
    @inlinable public static var urlFull: String { "url.full" }
    /// `server.address`.
    @inlinable public static var serverAddress: String { "server.address" }
    /// `server.port` (int).
    @inlinable public static var serverPort: String { "server.port" }
    /// `http.response.status_code` (int).
    @inlinable public static var httpResponseStatusCode: String { "http.response.status_code" }
    /// `error.type`: the HTTP status code as a string, the provider's error type, or the Swift error's type name.
    @inlinable public static var errorType: String { "error.type" }
    /// `http.response.header.retry-after` (array of strings): the response's `Retry-After` header values.
    @inlinable public static var httpResponseHeaderRetryAfter: String { "http.response.header.retry-after" }
    /// `tracespool.activity`: checkpoint, file_operation, terminal_command, git_commit, run_snapshot, score.
    @inlinable public static var activity: String { "tracespool.activity" }
    /// `exception`: the name of the event `recordError` adds.
    @inlinable public static var exceptionEvent: String { "exception" }
    /// `exception.type` (an attribute of the `exception` event).
    @inlinable public static var exceptionType: String { "exception.type" }
    /// `exception.message` (an attribute of the `exception` event).
    @inlinable public static var exceptionMessage: String { "exception.message" }
}
