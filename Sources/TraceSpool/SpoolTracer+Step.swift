public import Tracing

extension SpoolTracer {
    /// Runs a step of an agent (the seeds' `step(name, type:)`): a span of `type` (default `.observation`; the
    /// seeds' `tool_call` is `.tool`, `thought` is `.thought`) with `input` captured before the body runs. A step of
    /// type `.tool` also gets the tool attributes of `withTool(_:input:captureInputOutput:_:)`. Set the step's
    /// result with `span.setOutput(_:)`, or from code that does not hold the span with
    /// `SpoolTracer.setCurrentOutput(_:)`.
    ///
    /// An error thrown out of the body turns the step into type `.error` (`tracespool.span.type` `error`), records
    /// it (status error, `exception` event, level ERROR) and is rethrown.
    public func step<T>(
        _ name: String, type: SpanType = .observation, input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withSpan(type, name, input: input, captureInputOutput: captureInputOutput) { span in
            if type == .tool { Self.configureTool(span, name) }
            do {
                return try body(span)
            } catch {
                span.setType(.error)
                throw error
            }
        }
    }

    /// Async variant of `step(_:type:input:captureInputOutput:_:)`; child tasks inherit the step as parent.
    public func step<T>(
        _ name: String, type: SpanType = .observation, input: (any Encodable)? = nil, captureInputOutput: Bool? = nil,
        isolation: isolated (any Actor)? = #isolation, _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withSpan(type, name, input: input, captureInputOutput: captureInputOutput) { span in
            if type == .tool { Self.configureTool(span, name) }
            do {
                return try await body(span)
            } catch {
                span.setType(.error)
                throw error
            }
        }
    }

    /// Sets the output (`output.value`, the seeds' `set_result`) of the span current on this task
    /// (`SpoolSpan.current`), as `SpoolSpan.setOutput(_:)` does: subject to that span's capture switch, cut to
    /// `TracerConfiguration.maxInputOutputBytes`.
    ///
    /// - Returns: whether a recording span took the value; false outside any span, in a sampled-out span, or when
    ///   the span does not capture input/output (then nothing is encoded).
    @discardableResult
    public static func setCurrentOutput(_ value: some Encodable) -> Bool {
        guard let span = SpoolSpan.current, span.isRecording, span.capturesInputOutput else { return false }
        span.setOutput(value)
        return true
    }
}
