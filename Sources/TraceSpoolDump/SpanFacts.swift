package import OTLPWire
import SpoolFormat

/// What the dump tool shows of a span, read from the attribute conventions TraceSpool's tracer writes
/// (`tracespool.span.type`, `openinference.span.kind`, `gen_ai.*`, `llm.*`, `tool.name`, `session.id`, `user.id`, ...).
package struct SpanFacts: Sendable, Equatable {
    /// `tracespool.span.type` (trace, agent, generation, tool, ...), else derived from `openinference.span.kind`.
    package var spanType: String?
    /// The model: `gen_ai.request.model` or `llm.model_name`.
    package var model: String?
    /// Prompt tokens: `gen_ai.usage.input_tokens` or `llm.token_count.prompt`.
    package var inputTokens: Int64?
    /// Completion tokens: `gen_ai.usage.output_tokens` or `llm.token_count.completion`.
    package var outputTokens: Int64?
    /// Total tokens: `llm.token_count.total`, else input + output when both are known.
    package var totalTokens: Int64?
    /// Cost in USD: `gen_ai.usage.cost`.
    package var costUSD: Double?
    /// The tool: `gen_ai.tool.name` or `tool.name`.
    package var toolName: String?
    /// `session.id`, else `gen_ai.conversation.id`.
    package var sessionID: String?
    /// `user.id`.
    package var userID: String?
    /// `tracespool.level` (DEBUG, DEFAULT, WARNING, ERROR).
    package var level: String?
    /// The status code is ERROR (2) or the level is ERROR.
    package var isError: Bool
    /// The error text: the status message, else the `exception.type: exception.message` of an `exception` event.
    package var errorMessage: String?

    /// Reads the facts of `span`. Values of an unexpected type are converted when that is unambiguous (an integer
    /// token count sent as a string or double) and ignored otherwise.
    package init(_ span: OTLPSpan) {
        let attributes = span.attributes
        // Spans carry few attributes: a linear search per key beats building a dictionary of all of them.
        func value(_ key: String) -> OTLPValue? { attributes.first { $0.key == key }?.value }
        func string(_ keys: String...) -> String? {
            for k in keys {
                switch value(k) {
                case .string(let s)? where !s.isEmpty: return s
                case .int(let i)?: return String(i)
                default: continue
                }
            }
            return nil
        }
        func int(_ keys: String...) -> Int64? {
            for k in keys {
                switch value(k) {
                case .int(let i)?: return i
                case .double(let d)? where d.isFinite && abs(d) < 9e18: return Int64(d)
                case .string(let s)?: if let i = Int64(s) { return i }
                default: continue
                }
            }
            return nil
        }
        typealias Key = AttributeNames
        spanType = string(Key.spanType) ?? Self.type(forOpenInferenceKind: string(Key.openInferenceKind))
        model = string(Key.requestModel, Key.llmModelName, Key.responseModel)
        inputTokens = int(Key.inputTokens, Key.promptTokens)
        outputTokens = int(Key.outputTokens, Key.completionTokens)
        totalTokens = int(Key.totalTokens)
        if totalTokens == nil, let i = inputTokens, let o = outputTokens { totalTokens = i &+ o }
        switch value(Key.cost) {
        case .double(let d)?: costUSD = d
        case .int(let i)?: costUSD = Double(i)
        default: costUSD = nil
        }
        toolName = string(Key.genAIToolName, Key.toolName)
        sessionID = string(Key.sessionID, Key.conversationID)
        userID = string(Key.userID)
        level = string(Key.level)
        isError = span.status.code == .error || level == "ERROR"
        var message: String? = span.status.message.isEmpty ? nil : span.status.message
        if message == nil, isError, let event = span.events.first(where: { $0.name == Key.exceptionEvent }) {
            var type: String?
            var text: String?
            for kv in event.attributes {
                if kv.key == Key.exceptionType, case .string(let s) = kv.value { type = s }
                if kv.key == Key.exceptionMessage, case .string(let s) = kv.value { text = s }
            }
            switch (type, text) {
            case (let t?, let m?): message = "\(t): \(m)"
            case (let t?, nil): message = t
            case (nil, let m?): message = m
            default: break
            }
        }
        errorMessage = message
    }

    /// These facts with every text cut to `maxCharacters` (so that holding many spans stays bounded).
    package func bounded(maxCharacters: Int = 200) -> SpanFacts {
        func cut(_ s: String?) -> String? { s.map { $0.count > maxCharacters ? String($0.prefix(maxCharacters)) : $0 } }
        var copy = self
        copy.spanType = cut(spanType)
        copy.model = cut(model)
        copy.toolName = cut(toolName)
        copy.sessionID = cut(sessionID)
        copy.userID = cut(userID)
        copy.level = cut(level)
        copy.errorMessage = cut(errorMessage)
        return copy
    }

    /// Whether the span is a model call (a generation / LLM span, or it names a model).
    package var isGeneration: Bool { spanType == OpenInferenceSpanKind.llm.spanType || model != nil }

    /// Whether the span is a tool call.
    package var isTool: Bool { spanType == OpenInferenceSpanKind.tool.spanType || toolName != nil }

    static func type(forOpenInferenceKind kind: String?) -> String? {
        guard let kind else { return nil }
        return OpenInferenceSpanKind(rawValue: kind)?.spanType ?? kind.lowercased()
    }

    /// A short token summary, `120+45 tok` (input+output), `165 tok` (total only), or nil.
    package var tokenSummary: String? {
        switch (inputTokens, outputTokens) {
        case (let i?, let o?): "\(i)+\(o) tok"
        case (let i?, nil): "\(i) in tok"
        case (nil, let o?): "\(o) out tok"
        default: totalTokens.map { "\($0) tok" }
        }
    }
}
