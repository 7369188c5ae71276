public import TraceSpool
import Tracing

/// The tracer `@Traced` records with when the attribute names none.
public enum TracedTracer {
    /// The `SpoolTracer` of swift-distributed-tracing's current `InstrumentationSystem.tracer` (the one bound by the
    /// innermost `withTracer(_:_:)` scope, else the bootstrapped one), or a disabled tracer (its spans are
    /// non-recording, nothing is written) when that is not a `SpoolTracer`.
    ///
    /// Read at every call of a `@Traced` function: a task-local read, a reader lock and a dynamic cast more than a
    /// `tracer:` argument costs.
    public static var current: SpoolTracer {
        InstrumentationSystem.tracer as? SpoolTracer ?? disabled
    }

    /// A tracer that records nothing: no spool, no thread.
    static let disabled: SpoolTracer = {
        var configuration = TracerConfiguration(serviceName: "traced-disabled", spoolDirectory: "/nonexistent")
        configuration.disabled = true
        configuration.shutdownAtExit = false
        return SpoolTracer(configuration: configuration)
    }()
}
