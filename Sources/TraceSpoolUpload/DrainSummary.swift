/// What one or more passes over the spools achieved.
public struct DrainSummary: Sendable, Equatable {
    /// Segments delivered completely and deleted.
    public var segmentsCompleted = 0
    /// Open segments of live writers, drained up to their last complete frame and kept.
    public var segmentsPartial = 0
    /// Segments skipped because another uploader held their lease.
    public var segmentsBusy = 0
    /// Segments whose delivery was deferred (retries ran out, shutdown); they stay in the spool.
    public var segmentsDeferred = 0
    /// Segments that failed locally (checkpoint not writable, unreadable file) or were quarantined.
    public var segmentsFailed = 0
    /// Span totals.
    public var report = DeliveryReport()
    /// Damaged regions found.
    public var damagedRegions = 0
    /// Spans writers reported dropped.
    public var writerDroppedSpans = 0

    /// Creates an empty summary.
    public init() {}

    /// Whether everything readable was delivered: nothing deferred, failed, rejected, dead-lettered or damaged.
    public var allDelivered: Bool {
        segmentsDeferred == 0 && segmentsFailed == 0 && report.rejected == 0 && report.deadLettered == 0
            && damagedRegions == 0
    }

    /// Adds another summary.
    public mutating func add(_ other: DrainSummary) {
        segmentsCompleted += other.segmentsCompleted
        segmentsPartial += other.segmentsPartial
        segmentsBusy += other.segmentsBusy
        segmentsDeferred += other.segmentsDeferred
        segmentsFailed += other.segmentsFailed
        report.add(other.report)
        damagedRegions += other.damagedRegions
        writerDroppedSpans += other.writerDroppedSpans
    }
}
