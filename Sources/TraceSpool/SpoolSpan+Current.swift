import Tracing

extension SpoolSpan {
    /// The span current on this task: the one whose `withSpan`, `trace`, `step` or typed `with…` body (or a
    /// swift-distributed-tracing `withSpan` body with this tracer bootstrapped) is running, read from the task-local
    /// `InstrumentationContext`.
    /// A sampled-out span is returned as a non-recording span (its ids are readable, mutations are ignored). Nil
    /// outside any span, and where the context holds only a remote parent (extracted from an incoming request).
    /// Reading it costs a task-local lookup; spans that never read it pay nothing.
    public static var current: SpoolSpan? {
        guard let context = InstrumentationContext.current, !context.isEmpty else { return nil }
        if let active = context[ActiveSpanKey.self] { return SpoolSpan(storage: active) }
        guard let spanContext = context[SpoolSpanContext.Key.self], !spanContext.isRemote else { return nil }
        return SpoolSpan(nonRecording: context)
    }

    /// The trace span of the innermost `SpoolTracer.trace` (or `AgentSession.trace`) running on this task and its
    /// child tasks; nil outside any trace. A span started with an explicit context of another trace does not change
    /// it. A sampled-out trace is returned as a non-recording span.
    public static var currentTrace: SpoolSpan? { CurrentTrace.span }
}

/// Where `SpoolTracer.trace` keeps its trace span for `SpoolSpan.currentTrace`.
enum CurrentTrace {
    @TaskLocal static var span: SpoolSpan?
}
