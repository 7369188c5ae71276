import SpoolFormat

extension LLMExchange {
    /// The attribute names the exchange itself writes (the provider's request and response attributes are written by
    /// `ProviderRequest` and `ResponseAccumulator`; the HTTP ones by `HTTPSpanAttributes`).
    package enum Attribute {
        /// `tracespool.llm.outcome`: `completed`, `failed`, `cancelled` or `abandoned` (`Outcome`).
        package static var outcome: String { AttributeNames.llmOutcome }
        /// `tracespool.llm.chunks`: how many body chunks were received (or replayed).
        package static var chunks: String { AttributeNames.llmChunks }
        /// `tracespool.llm.replayed`: true on a span whose response was served from a recording.
        package static var replayed: String { AttributeNames.llmReplayed }
        /// `tracespool.llm.response_truncated`: true when a non-streamed body exceeded the exchange's buffer
        /// (`LLMExchange.maximumBufferedBodyBytes`) and its response attributes were not read.
        package static var responseTruncated: String { AttributeNames.llmResponseTruncated }
        /// `gen_ai.operation.name`.
        package static var operationName: String { AttributeNames.operationName }
        /// `gen_ai.system` (GenAI, older name).
        package static var system: String { AttributeNames.system }
        /// `gen_ai.provider.name` (GenAI).
        package static var providerName: String { AttributeNames.providerName }
        /// `llm.system` (OpenInference).
        package static var llmSystem: String { AttributeNames.llmSystem }
        /// `llm.provider` (OpenInference).
        package static var llmProvider: String { AttributeNames.llmProvider }
        /// `tracespool.level`.
        package static var level: String { AttributeNames.level }
    }

    /// How an exchange's span ended (`tracespool.llm.outcome`).
    package enum Outcome: String, Sendable, Equatable {
        /// The body was read to its end (`completed()`); the HTTP status may still be an error.
        case completed
        /// The request or the body failed with an error (`failed(_:)`), or `start()` threw.
        case failed
        /// The request or the body was cancelled (`failed(_:)` with a `CancellationError`, or called from a cancelled
        /// task).
        case cancelled
        /// The exchange was released before `completed()` or `failed(_:)`: the body's consumer stopped reading.
        case abandoned
    }
}
