/// The writer's durability watermark (`FlushResult`): updated by the writer thread after each successful sync, read
/// by flushes. One `Mutex` keeps the count and the frame consistent; it is taken once per sync and once per
/// `flushResult`, never on the span path.
struct DurabilityWatermark: Sendable {
    /// Spans in synced frames since the tracer started.
    var durableSpans = 0
    /// The last synced frame.
    var lastFrame: FlushResult.DurableFrame?
}
