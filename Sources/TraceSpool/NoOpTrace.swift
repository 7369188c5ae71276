public import Tracing

/// The no-op trace (the OpenAI Agents SDK's `NoOpTrace`): what `SpoolTracer.trace`, `withSpan` and `startSpan` hand
/// out when nothing is recorded — the tracer is disabled (`TracerConfiguration.disabled`) or shut down, or the
/// sampler dropped the trace. Such a span is a non-recording `SpoolSpan`: every mutation is ignored, processors do not
/// see it, `exportTrace()` is nil.
///
/// Its trace id: a sampled-out span keeps the trace's real id, with the W3C `sampled` flag off, so that `inject`
/// passes the trace on (`00-<trace id>-<span id>-00`) and the services after this one stay in the same trace. A
/// disabled tracer passes on the incoming trace context unchanged (and injects nothing without one). A span without
/// any trace context (`SpoolSpan.noOp`, a disabled tracer outside an incoming trace) has `traceID` nil and the
/// text id `"no-op"` (`SpoolSpan.noOpTraceID`), as in the OpenAI Agents SDK.
extension SpoolSpan {
    /// The text id of a trace that has no id: `"no-op"`.
    public static let noOpTraceID = "no-op"

    /// A span that records nothing and carries no trace context (`traceID` nil, `traceIDText` `"no-op"`).
    public static let noOp = SpoolSpan(nonRecording: .topLevel)

    /// Whether this span records nothing (tracer disabled or shut down, trace sampled out): the no-op trace.
    public var isNoOp: Bool { storage == nil }

    /// The trace id as 32 lowercase hex digits, or `"no-op"` (`noOpTraceID`) when the span carries no trace id. A
    /// sampled-out span has its trace's real id.
    public var traceIDText: String { traceID?.description ?? Self.noOpTraceID }

    /// The trace this span is the root of, as `SpanSnapshot.exportTrace()` writes it (`object`, `id`,
    /// `workflow_name`, `group_id`, `metadata`), from the span's current name and attributes. Nil for a no-op span
    /// (as the OpenAI Agents SDK's `NoOpTrace.export()`) and for a span that is neither a trace's local root nor a
    /// `trace` span.
    public func exportTrace() -> [String: SpanAttribute]? {
        guard let storage else { return nil }
        let (name, type) = storage.state.withLock { ($0.name, $0.type) }
        guard !storage.parentSpanID.isValid || storage.parentIsRemote || type == .trace else { return nil }
        return TraceExport(traceID: storage.traceID, name: name, attributes: storage.readAttributes()).dictionary
    }
}
