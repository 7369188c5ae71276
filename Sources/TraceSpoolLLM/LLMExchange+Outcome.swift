import SpoolFormat

extension LLMExchange {
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
