import SpoolBase
import SpoolFormat
import Tracing

extension TracerCore {
    /// Writes a zero-length `event` span (a score or an agent activity record) as a child of `parent`, or — when
    /// only a trace id is known — as a parentless span of that trace.
    /// `forceSampled` skips the sampler (the caller has decided).
    func recordEventSpan(
        _ name: String, activity: String, parentContext: InstrumentationContext, traceID: TraceID? = nil,
        forceSampled: Bool = false, attributes: [(String, SpanAttribute)]
    ) {
        let now = SystemClock.unixNanos()
        let span = makeSpan(
            name, parentContext: parentContext, kind: .internal, startNanos: now, traceID: traceID,
            forceSampled: forceSampled)
        guard span.isRecording else { return }
        span.setType(.event)
        span.setAttribute(AttributeNames.activity, .string(activity))
        for (key, value) in attributes { span.setAttribute(key, value) }
        span.storage?.end(atNanos: now)
    }

    /// Writes an `event` span into a trace known by its ids: a child of `spanID`, else a parentless span of the
    /// trace. Not written for a trace that the sampler dropped (see `TraceSampler.mayHaveRecorded`, which is true
    /// for every trace a live span of this process records); otherwise written whatever the sampler would decide
    /// for a new span.
    func recordEventSpan(
        _ name: String, activity: String, traceID: TraceID, spanID: SpanID?, attributes: [(String, SpanAttribute)]
    ) {
        guard config.sampler.mayHaveRecorded(traceID: traceID) else { return }
        var context = InstrumentationContext.topLevel
        if let spanID { context.spoolSpanContext = SpoolSpanContext(traceID: traceID, spanID: spanID) }
        recordEventSpan(
            name, activity: activity, parentContext: context, traceID: traceID, forceSampled: true,
            attributes: attributes)
    }

    /// Writes a score as an `event` span with `score.name`, `score.value`, `score.data_type`, `score.comment`:
    /// under the current span, or into a trace known by its id (see above).
    func recordScore(_ name: String, _ value: ScoreValue, comment: String?, traceID: TraceID, spanID: SpanID?) {
        var attributes: [(String, SpanAttribute)] = [
            (AttributeNames.scoreName, .string(name)), (AttributeNames.scoreDataType, .string(value.dataType)),
            (AttributeNames.openInferenceKind, .string(OpenInferenceSpanKind.evaluator.rawValue)),
        ]
        switch value {
        case .numeric(let d): attributes.append((AttributeNames.scoreValue, .double(d)))
        case .boolean(let b): attributes.append((AttributeNames.scoreValue, .double(b ? 1 : 0)))
        case .categorical(let s): attributes.append((AttributeNames.scoreValue, .string(s)))
        }
        if let comment { attributes.append((AttributeNames.scoreComment, .string(comment))) }
        recordEventSpan("score: \(name)", activity: "score", traceID: traceID, spanID: spanID, attributes: attributes)
    }
}
