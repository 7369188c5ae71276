extension LLMExchange {
    /// What an exchange asks of the recording: the decision for its request, and where its completed response goes.
    /// Made from `LLMInstrumentation.recordReplay` by default; tests of the exchange alone pass their own.
    package struct RecordReplayHooks: Sendable {
        /// The decision for a request (`isLLMCall` when it is an LLM call); may throw the replay errors.
        package var decide:
            @Sendable (_ request: LLMHTTPRequest, _ isLLMCall: Bool) throws -> RecordReplaySession.Decision
        /// Appends a completed exchange to the recording.
        package var record: @Sendable (_ request: LLMHTTPRequest, _ response: RecordedResponse) throws -> Void
        /// The recording's file, for the log of a failure to record.
        package var path: String

        /// Hooks from closures.
        package init(
            path: String,
            decide: @escaping @Sendable (LLMHTTPRequest, Bool) throws -> RecordReplaySession.Decision,
            record: @escaping @Sendable (LLMHTTPRequest, RecordedResponse) throws -> Void
        ) {
            self.path = path
            self.decide = decide
            self.record = record
        }

        /// The hooks of `configuration`: its session's `decide` and `record`.
        package init(_ configuration: RecordReplay) {
            self.init(
                path: configuration.path,
                decide: { try configuration.session.decide($0, isLLMCall: $1, configuration: configuration) },
                record: { try configuration.session.record($0, $1, configuration: configuration) })
        }
    }
}
