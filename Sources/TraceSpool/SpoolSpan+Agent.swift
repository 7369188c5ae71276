import SpoolFormat
import Tracing

extension SpoolSpan {
    /// Marks the span as `type` (`tracespool.span.type` and `openinference.span.kind`).
    public func setType(_ type: SpanType) {
        storage?.state.withLock { $0.type = type }
    }

    /// Sets `tracespool.level`.
    public func setLevel(_ level: SpanLevel) {
        setAttribute(AttributeNames.level, .string(level.rawValue))
    }

    /// Switches input/output capture for this span, overriding `TracerConfiguration.captureInputOutput`.
    public func setCaptureInputOutput(_ enabled: Bool) {
        storage?.state.withLock { $0.captureIO = enabled }
    }

    /// Whether `setInput`/`setOutput` record values on this span.
    public var capturesInputOutput: Bool {
        guard let storage else { return false }
        return storage.state.withLock { $0.captureIO } ?? storage.core.config.captureInputOutput
    }

    /// Records `value` as `input.value` (JSON, or the string itself) with `input.mime_type`, cut to
    /// `TracerConfiguration.maxInputOutputBytes`. Ignored when capture is off or encoding fails.
    public func setInput(_ value: some Encodable) {
        capture(value, AttributeNames.inputValue, AttributeNames.inputMimeType)
    }

    /// Records `value` as `output.value` / `output.mime_type`; see `setInput(_:)`.
    public func setOutput(_ value: some Encodable) {
        capture(value, AttributeNames.outputValue, AttributeNames.outputMimeType)
    }

    private func capture(_ value: some Encodable, _ valueKey: String, _ mimeKey: String) {
        guard let storage, capturesInputOutput,
            let captured = JSONCapture.capture(
                value, limit: storage.core.config.maxInputOutputBytes, redactor: storage.core.redactor)
        else { return }
        setAttribute(valueKey, .string(captured.text))
        setAttribute(mimeKey, .string(captured.mimeType))
    }

    /// Sets the span's `metadata` attribute (JSON object), replacing metadata stamped from the context.
    public func setMetadata(_ metadata: [String: String]) {
        setAttribute(AttributeNames.metadata, .string(JSONCapture.object(metadata)))
    }

    /// Sets `tag.tags`.
    public func setTags(_ tags: [String]) {
        setAttribute(AttributeNames.tags, .stringArray(tags))
    }

    /// Scores this span (and so its trace): writes a child `event` span carrying `score.*` attributes.
    public func score(_ name: String, _ value: ScoreValue, comment: String? = nil) {
        guard let storage else { return }
        storage.core.recordScore(name, value, comment: comment, traceID: storage.traceID, spanID: storage.spanID)
    }
}
