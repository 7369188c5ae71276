package import TraceSpool

/// What a provider's response says, gathered from a whole body or from its server-sent events, and written onto the
/// generation span once the response has ended.
///
/// Made by `ProviderRequest.makeAccumulator()` for the request's operation. A body or event that is not what the
/// provider sends (bad JSON, unknown event, missing fields) is skipped: it never traps and never throws; what it
/// would have said is absent from the span.
package protocol ResponseAccumulator: Sendable {
    /// A whole non-streamed JSON body (2xx).
    mutating func consume(body: [UInt8])

    /// One server-sent event: its `event:` name (nil when none) and its data lines joined with "\n".
    ///
    /// - Returns: true for the first event that carried output (text, refusal or a tool-call delta), false for
    ///   every other event: the moment of time to first token.
    mutating func consume(event: String?, data: ArraySlice<UInt8>) -> Bool

    /// Response attributes: output messages (text + tool calls, assembled across chunks), usage (incl. cache and
    /// reasoning details), response id and model, finish reasons; for embeddings the dimension count.
    func apply(to span: SpoolSpan)

    /// The error a stream reported in-band (OpenAI `error` data, Anthropic `event: error`, Responses
    /// `response.failed` / `error`), nil when none: the HTTP status of such a stream is 200.
    var streamError: ProviderError? { get }
}

extension ResponseAccumulator {
    /// No in-band error (the default for accumulators that read none).
    package var streamError: ProviderError? { nil }
}
