import Synchronization

/// What `SpoolTracer.withInvocation` counts (`TracerStatistics.invocationFlushesIncomplete`,
/// `invocationMarkersFailed`), and whether a marker failure was logged.
final class InvocationCounters: Sendable {
    /// Invocations whose flush did not complete within its timeout (or failed).
    let flushesIncomplete = Atomic<Int>(0)
    /// Invocation markers that could not be written.
    let markersFailed = Atomic<Int>(0)
    /// Whether the first marker failure was logged.
    let markerProblemLogged = Atomic<Bool>(false)
}
