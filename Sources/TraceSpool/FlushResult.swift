/// What a flush secured (`SpoolTracer.flushResult(timeoutMillis:)`): whether it completed, and the tracer's
/// durability watermark when it returned, so that a caller can tell what a flush that timed out or failed did secure.
///
/// All counts are spans since the tracer started. The watermark moves only when the writer thread's `fdatasync` of
/// the open segment succeeds (after every segment rotated away from is sealed); spans in frames that are written but
/// not yet synced are not counted as durable.
///
/// Accounting: once a flush completes, every span counted in `requiredSpans` is counted either in `durableSpans` or
/// in `droppedSpans`; with nothing dropped and no span ending meanwhile, `durableSpans == requiredSpans`.
public struct FlushResult: Sendable, Equatable {
    /// Why a flush did not complete.
    public enum IncompleteReason: String, Sendable, Equatable {
        /// The timeout passed first (for example on a stalled disk). The flush goes on for other callers; the
        /// watermark says what was durable when this caller stopped waiting.
        case timedOut
        /// The calling task was cancelled (async variant only).
        case cancelled
        /// Writing, syncing or sealing failed: spans were lost and are counted as `ioError` drops.
        case ioError
        /// Every write and sync succeeded, but spans were dropped since the previous flush (queue full, disk cap,
        /// a record too large, or the tracer shut down).
        case spansDropped
        /// The writer thread is not running (it could not start, or a shutdown finished): nothing more becomes
        /// durable.
        case writerStopped
    }

    /// The last frame the writer made durable: everything in this frame and in the frames before it (lower
    /// sequence numbers of the same segment, and this writer's earlier segments) is on disk.
    public struct DurableFrame: Sendable, Equatable, CustomStringConvertible {
        /// The segment's base name (its file name without `.open`/`.seg`, which changes when it is sealed).
        public var segment: String
        /// The frame's sequence number within the segment (the first frame is 0; `FrameHeader.sequence`).
        public var frameSequence: UInt64

        /// A frame position.
        public init(segment: String, frameSequence: UInt64) {
            self.segment = segment
            self.frameSequence = frameSequence
        }

        /// `<segment>#<frameSequence>`.
        public var description: String { "\(segment)#\(frameSequence)" }
    }

    /// True when every span that ended before the call is durable and none was dropped since the previous flush
    /// (exactly when `flush(timeoutMillis:)` returns true).
    public var completed: Bool
    /// Why the flush did not complete; nil when it did.
    public var incompleteReason: IncompleteReason?
    /// Spans in frames that were `fdatasync`ed (or sealed) since the tracer started, when the call returned.
    public var durableSpans: Int
    /// Spans that ended before the call (handed to the tracer's buffers; spans dropped as they ended are not
    /// counted), since the tracer started: what this flush had to secure.
    public var requiredSpans: Int
    /// Spans dropped since the tracer started, all reasons (`TracerStatistics.drops`), when the call returned.
    public var droppedSpans: Int
    /// The last durable frame when the call returned; nil while no frame has been synced.
    public var lastDurableFrame: DurableFrame?

    /// A result with these values.
    public init(
        completed: Bool, incompleteReason: IncompleteReason? = nil, durableSpans: Int = 0, requiredSpans: Int = 0,
        droppedSpans: Int = 0, lastDurableFrame: DurableFrame? = nil
    ) {
        self.completed = completed
        self.incompleteReason = incompleteReason
        self.durableSpans = durableSpans
        self.requiredSpans = requiredSpans
        self.droppedSpans = droppedSpans
        self.lastDurableFrame = lastDurableFrame
    }

    /// Spans this flush had to secure that are neither durable nor counted as dropped, at least: `requiredSpans`
    /// minus `durableSpans` minus `droppedSpans`, or 0. (A lower bound: spans that ended after the call may be among
    /// the durable ones.) 0 whenever the flush completed.
    public var unsecuredSpans: Int { max(0, requiredSpans - durableSpans - droppedSpans) }
}
