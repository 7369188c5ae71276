import SpoolFormat
import TraceSpool
import Tracing

extension LLMExchange {
    /// Ends the span of `state` (if any) with `outcome`: the response head's attributes, what the provider's
    /// accumulator assembled (a stream's partial output included), the time to the first output, the outcome and
    /// chunk count, and the error marking (an HTTP error status, or an error event inside a successful stream). Runs once per exchange: its callers own the state moved out of the
    /// exchange (or hold its lock with the phase set to ended).
    static func end(_ state: inout ExchangeState, _ outcome: Outcome, error: (any Error)?) {
        guard let span = state.span else { return }
        let status = state.head?.status
        if let head = state.head { HTTPSpanAttributes.applyResponse(head, to: span) }
        let isHTTPError = (status ?? 0) >= 400
        var providerError: ProviderError?
        if span.isRecording, state.providerRequest != nil {
            switch state.handling {
            case .events:
                state.sink.accumulator?.apply(to: span)
                providerError = state.sink.accumulator?.streamError
            case .buffered where isHTTPError:
                if !state.body.isEmpty { providerError = ProviderError(body: state.body) }
            case .buffered where outcome == .completed && !state.bodyTruncated:
                state.sink.accumulator?.consume(body: state.body)
                state.sink.accumulator?.apply(to: span)
            case .buffered, .counted, .undecided:
                break
            }
            if let first = state.sink.firstOutputNanos {
                span.setTimeToFirstToken(.nanoseconds(Int64(clamping: first &- state.startNanos)))
            }
            if state.bodyTruncated { span.setAttribute(AttributeNames.llmResponseTruncated, .bool(true)) }
        }
        span.setAttribute(AttributeNames.llmOutcome, .string(outcome.rawValue))
        span.setAttribute(AttributeNames.llmChunks, .int64(Int64(state.chunks)))

        var errorType: String?
        var message: String?
        if let status, isHTTPError {
            errorType = providerError?.type ?? String(status)
            message = providerError?.message.map { "HTTP \(status): \($0)" } ?? "HTTP \(status)"
        } else if let providerError {
            // An error event inside a successful stream (Anthropic `event: error`, OpenAI `error` data, Responses
            // `response.failed`): the provider gave up after the 200.
            errorType = providerError.type ?? "stream_error"
            message = "error event in the stream" + (providerError.message.map { ": \($0)" } ?? "")
        }
        let afterChunks = state.chunks == 1 ? "after 1 chunk" : "after \(state.chunks) chunks"
        switch outcome {
        case .completed:
            break
        case .failed:
            if let error {
                span.recordError(error)
                errorType = errorType ?? String(reflecting: type(of: error))
            }
            message = "failed \(afterChunks)" + (error.map { ": \($0)" } ?? "") + (message.map { " (\($0))" } ?? "")
        case .cancelled:
            message = "cancelled \(afterChunks)" + (message.map { " (\($0))" } ?? "")
        case .abandoned:
            message =
                "abandoned \(afterChunks): the response body was released before its end"
                + (message.map { " (\($0))" } ?? "")
        }
        if let errorType { span.setAttribute(AttributeNames.errorType, .string(errorType)) }
        if let message {
            span.setStatus(SpanStatus(code: .error, message: message))
            span.setLevel(.error)
        }
        span.end()
    }
}
