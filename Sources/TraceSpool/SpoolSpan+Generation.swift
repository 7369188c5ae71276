package import SpoolBase
import SpoolFormat
import Tracing

// The attributes of a generation (an LLM call): model, parameters, tools offered, input and output messages with
// their tool calls, response, usage and time to first token. Attribute names: `AttributeNames`.
extension SpoolSpan {
    /// Sets the model of a generation (`gen_ai.request.model`, `llm.model_name`) and optionally the provider
    /// (`system`, e.g. `openai`, `anthropic`): `gen_ai.system`, `gen_ai.provider.name`, and OpenInference's
    /// `llm.system` and `llm.provider`, all the same value.
    public func setModel(_ model: String, system: String? = nil) {
        guard let storage else { return }
        var entries: [SpoolAttribute] = []
        entries.reserveCapacity(6)
        Self.appendModel(model, system, to: &entries)
        storage.set(moving: &entries, group: .model)
    }

    /// Records what `withGeneration` is given, in one bulk set: `gen_ai.operation.name` = `operation`, the model
    /// (`setModel(_:system:)`), the parameters (`setModelParameters(_:)`), the tools (`setTools(_:)`) and the input
    /// messages (`setInputMessages(_:)`).
    func recordGeneration(
        operation: String, model: String, system: String?, parameters: (any Encodable)?, tools: [ToolDefinition],
        messages: [ChatMessage]
    ) {
        guard let storage else { return }
        var entries: [SpoolAttribute] = []
        entries.reserveCapacity(32)
        var group: AttributeGroup = [.operation, .model]
        entries.append(.string(AttributeNames.operationName, operation))
        Self.appendModel(model, system, to: &entries)
        if let parameters, let (json, request) = ModelParameters.read(parameters) {
            Self.appendParameters(json, request, storage, to: &entries)
            group.insert(.parameters)
        }
        if !tools.isEmpty {
            Self.appendTools(tools, storage, to: &entries)
            group.insert(.tools)
        }
        if !messages.isEmpty, capturesInputOutput {
            Self.appendMessages(messages, .input, .inputMessages, storage, to: &entries)
            group.insert(.inputMessages)
        }
        storage.set(moving: &entries, group: group)
    }

    private static func appendModel(_ model: String, _ system: String?, to entries: inout [SpoolAttribute]) {
        entries.append(.string(AttributeNames.requestModel, model))
        entries.append(.string(AttributeNames.llmModelName, model))
        if let system {
            entries.append(.string(AttributeNames.system, system))
            entries.append(.string(AttributeNames.providerName, system))
            entries.append(.string(AttributeNames.llmSystem, system))
            entries.append(.string(AttributeNames.llmProvider, system))
        }
    }

    /// Records model parameters (temperature, max tokens...) as JSON in `llm.invocation_parameters`, cut to
    /// `TracerConfiguration.maxInputOutputBytes` UTF-8 bytes with a `…[truncated]` marker. A `String` is stored as
    /// is (also cut). When the parameters are a JSON object, the well-known ones are also written as GenAI
    /// attributes, read from the whole object: `gen_ai.request.temperature`, `.max_tokens`, `.top_p`, `.top_k`,
    /// `.frequency_penalty`, `.presence_penalty`, `.stop_sequences`, `.seed` (keys in snake_case or camelCase; see
    /// `AttributeNames`; stop sequences cut to the same limit). Parameters are not input or output: they are
    /// recorded even when capture is off. Ignored when encoding fails (e.g. a NaN or infinite number).
    ///
    /// `[String: Double]`, `[String: Int]`, `[String: String]` and `[String: Bool]` are written and read directly
    /// (the JSON `JSONEncoder` writes with sorted keys, except that DEL, U+2028 and U+2029 in strings are escaped);
    /// other `Encodable` values go through `JSONEncoder`.
    public func setModelParameters(_ parameters: some Encodable) {
        guard let (json, request) = ModelParameters.read(parameters) else { return }
        recordModelParameters(json, request)
    }

    /// `setModelParameters(_:)` for parameters a caller has parsed already (the LLM instrumentation reads them out
    /// of a request body): `json` is their compact JSON object, `members` its members, read without parsing `json`
    /// again.
    package func setModelParameters(json: String, members: [JSONMember]) {
        recordModelParameters(json, GenAIRequestParameters(members: members))
    }

    private func recordModelParameters(_ json: String, _ request: GenAIRequestParameters?) {
        guard let storage else { return }
        var entries: [SpoolAttribute] = []
        Self.appendParameters(json, request, storage, to: &entries)
        storage.set(moving: &entries, group: .parameters)
    }

    private static func appendParameters(
        _ json: String, _ request: GenAIRequestParameters?, _ storage: SpanStorage, to entries: inout [SpoolAttribute]
    ) {
        let limit = storage.core.config.maxInputOutputBytes
        entries.append(
            .string(
                AttributeNames.invocationParameters, JSONCapture.truncate(json, limit, redactor: storage.core.redactor))
        )
        request?.append(to: &entries, limit: limit)
    }

    /// Records the tools offered to the model: `llm.tools.<i>.tool.json_schema` = `ToolDefinition.json`, each cut
    /// to `TracerConfiguration.maxInputOutputBytes` UTF-8 bytes with a `…[truncated]` marker. Tools are part of
    /// the request's configuration, not input: they are recorded even when capture is off.
    public func setTools(_ tools: [ToolDefinition]) {
        guard let storage, !tools.isEmpty else { return }
        var entries: [SpoolAttribute] = []
        Self.appendTools(tools, storage, to: &entries)
        storage.set(moving: &entries, group: .tools)
    }

    private static func appendTools(
        _ tools: [ToolDefinition], _ storage: SpanStorage, to entries: inout [SpoolAttribute]
    ) {
        let limit = storage.core.config.maxInputOutputBytes
        let redactor = storage.core.redactor
        entries.reserveCapacity(entries.count + tools.count)
        for (i, tool) in tools.enumerated() {
            entries.append(
                .string(MessageAttributeKeys.toolSchema(i), JSONCapture.truncate(tool.json, limit, redactor: redactor)))
        }
    }

    /// Records a generation's input messages: `input.value` (their JSON array, see `ChatMessage`; mime type
    /// application/json) plus OpenInference `llm.input_messages.<i>.message.role`, `.content`, `.tool_call_id`
    /// (when set) and, for each tool call `<j>`, `.message.tool_calls.<j>.tool_call.id`, `.function.name` and
    /// `.function.arguments`. `input.value`, each content and each arguments text are cut to
    /// `TracerConfiguration.maxInputOutputBytes` UTF-8 bytes with a `…[truncated]` marker, credentials in them
    /// redacted. Ignored when capture is off (no contents, roles, tool calls or `input.value`).
    public func setInputMessages(_ messages: [ChatMessage]) {
        recordMessages(messages, .input, .inputMessages)
    }

    /// Records a generation's output messages: `output.value` plus `llm.output_messages.<i>.message.*` with their
    /// tool calls; see `setInputMessages(_:)`.
    public func setOutputMessages(_ messages: [ChatMessage]) {
        recordMessages(messages, .output, .outputMessages)
    }

    private func recordMessages(_ messages: [ChatMessage], _ keys: MessageAttributeKeys, _ group: AttributeGroup) {
        guard let storage, capturesInputOutput else { return }
        var entries: [SpoolAttribute] = []
        Self.appendMessages(messages, keys, group, storage, to: &entries)
        storage.set(moving: &entries, group: group)
    }

    /// Appends the attributes of `setInputMessages(_:)` (`keys` `.input`, `group` `.inputMessages`) or
    /// `setOutputMessages(_:)` (`.output`, `.outputMessages`). The keys are passed, not derived from the group: a
    /// copy of the shared key tables would retain and release each of them.
    private static func appendMessages(
        _ messages: [ChatMessage], _ keys: MessageAttributeKeys, _ group: AttributeGroup, _ storage: SpanStorage,
        to entries: inout [SpoolAttribute]
    ) {
        let (valueKey, mimeKey) =
            group == .inputMessages
            ? (AttributeNames.inputValue, AttributeNames.inputMimeType)
            : (AttributeNames.outputValue, AttributeNames.outputMimeType)
        let limit = storage.core.config.maxInputOutputBytes
        let redactor = storage.core.redactor
        // Each string is redacted here, once, and the JSON text is written from the redacted strings: a credential is
        // replaced alike in the JSON text and in its own attribute. When no string held one, a value that is not cut
        // is marked `redacted` and the encoder does not scan it again; otherwise (a replacement or a cut may leave
        // something a scan finds) the encoder scans as for any value.
        let clean = !messages.contains { $0.holdsCredential(redactor) }
        let recorded = clean ? messages : messages.map { $0.redacted(by: redactor) }
        func entry(_ key: String, _ value: String, cut: Bool) -> SpoolAttribute {
            let cut = cut && limit > 0 && value.utf8.count > limit
            var entry = SpoolAttribute.string(key, cut ? JSONCapture.truncate(value, limit) : value)
            if clean && !cut { entry.marks.insert(.redacted) }
            return entry
        }
        entries.reserveCapacity(entries.count + 2 + 2 * recorded.count)
        entries.append(entry(valueKey, ChatMessage.json(recorded), cut: true))
        entries.append(.string(mimeKey, "application/json"))
        // By index, each field read on its own: a copy of a whole message would retain and release all of them.
        for i in recorded.indices {
            entries.append(entry(keys.role(i), recorded[i].role, cut: false))
            entries.append(entry(keys.content(i), recorded[i].content, cut: true))
            if let id = recorded[i].toolCallID { entries.append(entry(keys.toolCallID(i), id, cut: false)) }
            for (j, call) in recorded[i].toolCalls.enumerated() {
                entries.append(entry(keys.toolCall(i, j, AttributeNames.toolCallID), call.id, cut: false))
                entries.append(entry(keys.toolCall(i, j, AttributeNames.toolCallFunctionName), call.name, cut: false))
                entries.append(
                    entry(keys.toolCall(i, j, AttributeNames.toolCallFunctionArguments), call.arguments, cut: true))
            }
        }
    }

    /// Records the response's id (`gen_ai.response.id`), the model that answered (`gen_ai.response.model`) and
    /// why it stopped, one reason per choice (`gen_ai.response.finish_reasons`, array of strings, written when not
    /// empty).
    public func setResponse(id: String? = nil, model: String? = nil, finishReasons: [String] = []) {
        guard let storage, id != nil || model != nil || !finishReasons.isEmpty else { return }
        storage.set(group: .response) { set in
            if let id { set(.string(AttributeNames.responseID, id)) }
            if let model { set(.string(AttributeNames.responseModel, model)) }
            if !finishReasons.isEmpty {
                set(SpoolAttribute(AttributeNames.responseFinishReasons, .stringArray(finishReasons)))
            }
        }
    }

    /// Records token usage (GenAI and OpenInference names) and an optional cost in USD (`gen_ai.usage.cost`):
    /// `inputTokens` (`gen_ai.usage.input_tokens`, `llm.token_count.prompt`) counts every input token, cached ones
    /// included (for Anthropic: `input_tokens + cache_read_input_tokens + cache_creation_input_tokens`);
    /// `cacheReadInputTokens` (`gen_ai.usage.cache_read.input_tokens`, `llm.token_count.prompt_details.cache_read`)
    /// and `cacheCreationInputTokens` (`gen_ai.usage.cache_creation.input_tokens`,
    /// `llm.token_count.prompt_details.cache_write`) are the parts read from and written to the prompt cache;
    /// `outputTokens` (`gen_ai.usage.output_tokens`, `llm.token_count.completion`) includes `reasoningTokens`
    /// (`gen_ai.usage.reasoning.output_tokens`, `llm.token_count.completion_details.reasoning`). The total
    /// (`llm.token_count.total`) defaults to input + output (saturating at `Int.max`). Only the counts given are
    /// written.
    public func setUsage(
        inputTokens: Int? = nil, outputTokens: Int? = nil, totalTokens: Int? = nil, cacheReadInputTokens: Int? = nil,
        cacheCreationInputTokens: Int? = nil, reasoningTokens: Int? = nil, costUSD: Double? = nil
    ) {
        guard let storage else { return }
        var total = totalTokens
        if total == nil, inputTokens != nil || outputTokens != nil {
            let (sum, overflow) = (inputTokens ?? 0).addingReportingOverflow(outputTokens ?? 0)
            total = overflow ? ((inputTokens ?? 0) < 0 ? Int.min : Int.max) : sum
        }
        guard
            total != nil || cacheReadInputTokens != nil || cacheCreationInputTokens != nil || reasoningTokens != nil
                || costUSD != nil
        else { return }
        storage.set(group: .usage) { set in
            func count(_ value: Int?, _ genAIKey: String, _ openInferenceKey: String) {
                guard let value else { return }
                set(.int(genAIKey, value))
                set(.int(openInferenceKey, value))
            }
            count(inputTokens, AttributeNames.inputTokens, AttributeNames.promptTokens)
            count(outputTokens, AttributeNames.outputTokens, AttributeNames.completionTokens)
            if let total { set(.int(AttributeNames.totalTokens, total)) }
            count(cacheReadInputTokens, AttributeNames.cacheReadInputTokens, AttributeNames.promptCacheReadTokens)
            count(
                cacheCreationInputTokens, AttributeNames.cacheCreationInputTokens, AttributeNames.promptCacheWriteTokens
            )
            count(reasoningTokens, AttributeNames.reasoningOutputTokens, AttributeNames.completionReasoningTokens)
            if let costUSD { set(.double(AttributeNames.cost, costUSD)) }
        }
    }

    /// Records the time from the request to the first output received (text or a tool call), in seconds
    /// (`gen_ai.response.time_to_first_chunk`, double).
    public func setTimeToFirstToken(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        setAttribute(AttributeNames.timeToFirstChunk, .double(Double(seconds) + Double(attoseconds) * 1e-18))
    }
}

extension SpanStorage {
    /// Sets each of `entries` in order (see `SpanState.set`) under one lock. `group` names the `AttributeGroup`s
    /// the entries belong to (none: attributes like any other); the first set of a group on this span marks its
    /// entries `distinctKey`, and a later one does not, as it may repeat the keys of the first.
    func set(contentsOf entries: [SpoolAttribute], group: AttributeGroup = []) {
        var entries = entries
        set(moving: &entries, group: group)
    }

    /// Sets each attribute `fill` passes to `set`, in order, under one lock, as `set(contentsOf:group:)` does, without
    /// a list of them: for the agent API's small groups. `fill` runs under the span's lock: it only computes values.
    func set(group: AttributeGroup, _ fill: (_ set: (SpoolAttribute) -> Void) -> Void) {
        let limit = withCore { $0.config.attributeCountLimit }
        state.withLock { s in
            let marks: SpoolAttribute.Marks = s.isFirstSet(of: group) ? .distinctKey : []
            fill { entry in
                var entry = entry
                entry.marks.formUnion(marks)
                if case .string(let v) = entry.stored, v.utf8.count > SpanRecordEncoder.Layout.maxOneByteLength {
                    s.holdsLongValues = true
                }
                s.set(entry, limit: limit)
            }
            handOver.typedSet()
        }
    }

    /// `set(contentsOf:group:)` that may take `entries`' storage as the span's list (when the list is empty) and
    /// leave `entries` empty: the entries are neither copied nor, when they are marked, copied on write.
    func set(moving entries: inout [SpoolAttribute], group: AttributeGroup) {
        let limit = withCore { $0.config.attributeCountLimit }
        var long = false
        for entry in entries {
            if case .string(let v) = entry.stored, v.utf8.count > SpanRecordEncoder.Layout.maxOneByteLength {
                long = true
                break
            }
        }
        state.withLock { s in
            if s.isFirstSet(of: group) {
                for i in entries.indices { entries[i].marks.insert(.distinctKey) }
            }
            if s.attributes.isEmpty, entries.count <= limit {
                // The list becomes the span's, as a list given to `startSpan` does: no copy of its entries.
                swap(&s.attributes, &entries)
            } else {
                // Bulk sets come from generations, which hold a few dozen attributes: room for them at once, rather
                // than a copy of the list at each doubling from 8.
                let needed = s.attributes.count + entries.count
                if needed > s.attributes.capacity { s.attributes.reserveCapacity(Swift.max(needed, 32)) }
                for entry in entries { s.set(entry, limit: limit) }
            }
            if long { s.holdsLongValues = true }
            handOver.typedSet()
        }
    }
}
