/// A recording loaded once and the position of replay in it, shared by every exchange of one `RecordReplay`.
package final class RecordReplaySession: Sendable {
    /// What to do with one request.
    package enum Decision: Sendable {
        /// Serve this recorded response.
        case serve(RecordedResponse)
        /// Send the request; when `record`, append the exchange with `record(_:_:)` once its body has ended.
        case forward(record: Bool)
    }

    package init() {}

    /// The decision for `request` (an LLM call when `isLLMCall`) under `configuration`.
    package func decide(_ request: LLMHTTPRequest, isLLMCall: Bool, configuration: RecordReplay) throws -> Decision {
        .forward(record: false)
    }

    /// Appends one exchange to the recording of `configuration`.
    package func record(_ request: LLMHTTPRequest, _ response: RecordedResponse, configuration: RecordReplay) throws {}
}
