extension LLMExchange {
    /// The attribute names the exchange itself writes (the provider's request and response attributes are written by
    /// `ProviderRequest` and `ResponseAccumulator`; the HTTP ones by `HTTPSpanAttributes`).
    package enum Attribute {
        /// `tracespool.llm.outcome`: `completed`, `failed`, `cancelled` or `abandoned` (`Outcome`).
        package static let outcome = "tracespool.llm.outcome"
        /// `tracespool.llm.chunks`: how many body chunks were received (or replayed).
        package static let chunks = "tracespool.llm.chunks"
        /// `tracespool.llm.replayed`: true on a span whose response was served from a recording.
        package static let replayed = "tracespool.llm.replayed"
        /// `tracespool.llm.response_truncated`: true when a non-streamed body exceeded the exchange's buffer
        /// (`LLMExchange.maximumBufferedBodyBytes`) and its response attributes were not read.
        package static let responseTruncated = "tracespool.llm.response_truncated"
        /// `gen_ai.operation.name`.
        package static let operationName = "gen_ai.operation.name"
        /// `gen_ai.system` (GenAI, older name).
        package static let system = "gen_ai.system"
        /// `gen_ai.provider.name` (GenAI).
        package static let providerName = "gen_ai.provider.name"
        /// `llm.system` (OpenInference).
        package static let llmSystem = "llm.system"
        /// `llm.provider` (OpenInference).
        package static let llmProvider = "llm.provider"
        /// `tracespool.level`.
        package static let level = "tracespool.level"
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
