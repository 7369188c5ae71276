import SpoolFormat
import Tracing

extension SpoolSpan {
    /// Marks the span as `type` (`tracespool.span.type` and `openinference.span.kind`).
    public func setType(_ type: SpanType) {
        storage?.state.withLock { $0.type = type }
    }

    /// Sets `tracespool.level`.
    public func setLevel(_ level: SpanLevel) {
        setAttribute(AttributeNames.level, .string(level.rawValue))
    }

    /// Switches input/output capture for this span, overriding `TracerConfiguration.captureInputOutput`.
    public func setCaptureInputOutput(_ enabled: Bool) {
        storage?.state.withLock { $0.captureIO = enabled }
    }

    /// Whether `setInput`/`setOutput` record values on this span.
    public var capturesInputOutput: Bool {
        guard let storage else { return false }
        return storage.state.withLock { $0.captureIO } ?? storage.core.config.captureInputOutput
    }

    /// Records `value` as `input.value` (JSON, or the string itself) with `input.mime_type`, cut to
    /// `TracerConfiguration.maxInputOutputBytes`. Ignored when capture is off or encoding fails.
    public func setInput(_ value: some Encodable) {
        capture(value, AttributeNames.inputValue, AttributeNames.inputMimeType)
    }

    /// Records `value` as `output.value` / `output.mime_type`; see `setInput(_:)`.
    public func setOutput(_ value: some Encodable) {
        capture(value, AttributeNames.outputValue, AttributeNames.outputMimeType)
    }

    private func capture(_ value: some Encodable, _ valueKey: String, _ mimeKey: String) {
        guard let storage, capturesInputOutput,
            let captured = JSONCapture.capture(
                value, limit: storage.core.config.maxInputOutputBytes, redactor: storage.core.redactor)
        else { return }
        setAttribute(valueKey, .string(captured.text))
        setAttribute(mimeKey, .string(captured.mimeType))
    }

    /// Sets the model of a generation (`gen_ai.request.model`, `llm.model_name`) and optionally the provider
    /// (`gen_ai.system`, e.g. `openai`).
    public func setModel(_ model: String, system: String? = nil) {
        setAttribute(AttributeNames.requestModel, .string(model))
        setAttribute(AttributeNames.llmModelName, .string(model))
        if let system { setAttribute(AttributeNames.system, .string(system)) }
    }

    /// Records model parameters (temperature, max tokens...) as JSON in `llm.invocation_parameters`, cut to
    /// `TracerConfiguration.maxInputOutputBytes` UTF-8 bytes with a `…[truncated]` marker. A `String` is stored as
    /// is (also cut). When the parameters are a JSON object, the well-known ones are also written as GenAI
    /// attributes, read from the whole JSON: `gen_ai.request.temperature`, `.max_tokens`, `.top_p`, `.top_k`,
    /// `.frequency_penalty`, `.presence_penalty`, `.stop_sequences`, `.seed` (keys in snake_case or camelCase; see
    /// `AttributeNames`; stop sequences cut to the same limit). Parameters are not input or output: they are
    /// recorded even when capture is off. Ignored when encoding fails.
    public func setModelParameters(_ parameters: some Encodable) {
        guard let storage else { return }
        guard let json = parameters as? String ?? JSONCapture.encode(parameters) else { return }
        let limit = storage.core.config.maxInputOutputBytes
        setAttribute(
            AttributeNames.invocationParameters,
            .string(JSONCapture.truncate(json, limit, redactor: storage.core.redactor)))
        for (key, value) in GenAIRequestParameters(json: json)?.attributes(limit: limit) ?? [] {
            setAttribute(key, value)
        }
    }

    /// Records a generation's input messages: `input.value` (JSON array) plus OpenInference
    /// `llm.input_messages.<i>.message.role` / `.content` / `.tool_call_id` (when set), each content cut to
    /// `TracerConfiguration.maxInputOutputBytes` UTF-8 bytes with a `…[truncated]` marker. Ignored when capture is
    /// off (no contents, roles or `input.value`).
    public func setInputMessages(_ messages: [ChatMessage]) {
        guard capturesInputOutput else { return }
        setInput(messages)
        setMessageAttributes(messages, prefix: AttributeNames.inputMessages)
    }

    /// Records a generation's output messages: `output.value` plus `llm.output_messages.<i>.message.*`; see
    /// `setInputMessages(_:)`.
    public func setOutputMessages(_ messages: [ChatMessage]) {
        guard capturesInputOutput else { return }
        setOutput(messages)
        setMessageAttributes(messages, prefix: AttributeNames.outputMessages)
    }

    private func setMessageAttributes(_ messages: [ChatMessage], prefix: String) {
        guard let storage else { return }
        let limit = storage.core.config.maxInputOutputBytes
        for (i, m) in messages.enumerated() {
            setAttribute("\(prefix).\(i).message.role", .string(m.role))
            setAttribute(
                "\(prefix).\(i).message.content",
                .string(JSONCapture.truncate(m.content, limit, redactor: storage.core.redactor)))
            if let id = m.toolCallID { setAttribute("\(prefix).\(i).message.tool_call_id", .string(id)) }
        }
    }

    /// Records token usage (GenAI and OpenInference names) and an optional cost in USD (`gen_ai.usage.cost`).
    /// The total defaults to input + output (saturating at `Int.max`).
    public func setUsage(
        inputTokens: Int? = nil, outputTokens: Int? = nil, totalTokens: Int? = nil, costUSD: Double? = nil
    ) {
        if let inputTokens {
            setAttribute(AttributeNames.inputTokens, .int64(Int64(inputTokens)))
            setAttribute(AttributeNames.promptTokens, .int64(Int64(inputTokens)))
        }
        if let outputTokens {
            setAttribute(AttributeNames.outputTokens, .int64(Int64(outputTokens)))
            setAttribute(AttributeNames.completionTokens, .int64(Int64(outputTokens)))
        }
        var total = totalTokens
        if total == nil, inputTokens != nil || outputTokens != nil {
            let (sum, overflow) = (inputTokens ?? 0).addingReportingOverflow(outputTokens ?? 0)
            total = overflow ? ((inputTokens ?? 0) < 0 ? Int.min : Int.max) : sum
        }
        if let total { setAttribute(AttributeNames.totalTokens, .int64(Int64(total))) }
        if let costUSD { setAttribute(AttributeNames.cost, .double(costUSD)) }
    }

    /// Sets the span's `metadata` attribute (JSON object), replacing metadata stamped from the context.
    public func setMetadata(_ metadata: [String: String]) {
        setAttribute(AttributeNames.metadata, .string(JSONCapture.object(metadata)))
    }

    /// Sets `tag.tags`.
    public func setTags(_ tags: [String]) {
        setAttribute(AttributeNames.tags, .stringArray(tags))
    }

    /// Scores this span (and so its trace): writes a child `event` span carrying `score.*` attributes.
    public func score(_ name: String, _ value: ScoreValue, comment: String? = nil) {
        guard let storage else { return }
        storage.core.recordScore(name, value, comment: comment, traceID: storage.traceID, spanID: storage.spanID)
    }
}
