/// Seams for tests, fixed when the tracer is created (`SpoolTracer.init(configuration:logger:testHooks:)`; nil in
/// production, where each costs one branch on a constant). Each hook may block its thread.
struct TracerTestHooks: Sendable {
    /// Runs on the writer thread before every append and sync.
    var beforeIO: (@Sendable () -> Void)?
    /// Runs on the sealing thread before each rotated segment is sealed.
    var beforeSeal: (@Sendable () -> Void)?
    /// Runs on the writer thread at shutdown after the segment is closed, before the queue is stopped.
    var beforeStop: (@Sendable () -> Void)?
    /// Runs on the writer thread each time it is about to wait for the sealing thread, saying why (after the state
    /// change that makes it wait: the sealing thread wakes it even when the hook returns late).
    var writerWaitsForSealer: (@Sendable (SegmentSealer.WriterWait) -> Void)?
    /// Runs on the thread that starts a span through the `Tracer` requirement
    /// `startSpan(_:context:ofKind:at:function:file:line:)` (not through TraceSpool's own fast `startSpan`s).
    var startedAtInstant: (@Sendable () -> Void)?

    /// Hooks that do nothing, to set one of them.
    init(
        beforeIO: (@Sendable () -> Void)? = nil, beforeSeal: (@Sendable () -> Void)? = nil,
        beforeStop: (@Sendable () -> Void)? = nil,
        writerWaitsForSealer: (@Sendable (SegmentSealer.WriterWait) -> Void)? = nil,
        startedAtInstant: (@Sendable () -> Void)? = nil
    ) {
        self.beforeIO = beforeIO
        self.beforeSeal = beforeSeal
        self.beforeStop = beforeStop
        self.writerWaitsForSealer = writerWaitsForSealer
        self.startedAtInstant = startedAtInstant
    }
}
