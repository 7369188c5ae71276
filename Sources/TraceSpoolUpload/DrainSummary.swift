/// What one or more passes over the spools achieved: ``SpoolUploader/drainOnce()`` returns it, and the uploader logs
/// it as its `upload summary` line.
public struct DrainSummary: Sendable, Equatable {
    /// Segments delivered completely and deleted.
    public package(set) var segmentsCompleted = 0
    /// Open segments of live writers, drained up to their last complete frame and kept.
    public package(set) var segmentsPartial = 0
    /// Segments skipped because another uploader held their lease.
    public package(set) var segmentsBusy = 0
    /// Segments whose delivery was deferred (retries ran out, the backend redirects, shutdown); they stay in the
    /// spool and are tried again by a later pass.
    public package(set) var segmentsDeferred = 0
    /// Segments that failed locally (checkpoint not writable, unreadable file) or were quarantined.
    public package(set) var segmentsFailed = 0
    /// Files named like segments that were not read: owned by another user than the spool directory's owner, not
    /// regular files, or with names that do not parse. They are left in place.
    public package(set) var segmentsRefused = 0
    /// Damaged regions found (and skipped) in segments.
    public package(set) var damagedRegions = 0
    /// Spans writers reported dropped (drop records in the spool).
    public package(set) var writerDroppedSpans = 0
    /// The span and request totals of the settled batches; `retries` also counts those of deferred batches.
    package var report = DeliveryReport()

    /// Spans the destination accepted.
    public var spansDelivered: Int { report.delivered }
    /// Spans the backend accepted the request for but rejected (OTLP partial success).
    public var spansRejected: Int { report.rejected }
    /// Spans written to the dead-letter directory after a permanent failure.
    public var spansDeadLettered: Int { report.deadLettered }
    /// Requests (or SQLite transactions) of the settled batches, retries included.
    public var requests: Int { report.requests }
    /// Request body bytes of the settled batches, retries included.
    public var bytesSent: Int { report.bytesSent }
    /// Retries after transient failures, of settled and deferred batches.
    public var retries: Int { report.retries }

    /// Creates an empty summary.
    package init() {}

    /// Whether everything readable was delivered: nothing deferred, failed, refused, rejected, dead-lettered or
    /// damaged.
    public var allDelivered: Bool {
        segmentsDeferred == 0 && segmentsFailed == 0 && segmentsRefused == 0 && report.rejected == 0
            && report.deadLettered == 0 && damagedRegions == 0
    }

    /// Adds another summary.
    package mutating func add(_ other: DrainSummary) {
        segmentsCompleted += other.segmentsCompleted
        segmentsPartial += other.segmentsPartial
        segmentsBusy += other.segmentsBusy
        segmentsDeferred += other.segmentsDeferred
        segmentsFailed += other.segmentsFailed
        segmentsRefused += other.segmentsRefused
        report.add(other.report)
        damagedRegions += other.damagedRegions
        writerDroppedSpans += other.writerDroppedSpans
    }
}
