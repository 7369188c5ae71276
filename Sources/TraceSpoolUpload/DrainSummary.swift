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
    /// Torn tails of abandoned segments: the last frame a dead writer did not finish (`Spool/FORMAT.md` §7). Not
    /// damage and not a partial delivery: those bytes never were a complete frame.
    public package(set) var tornTails = 0
    /// Spans writers reported dropped (drop records in the spool).
    public package(set) var writerDroppedSpans = 0
    /// Segments removed unsent because they were older than ``SpoolUploader/Configuration/maxSegmentAge``.
    public package(set) var segmentsExpired = 0
    /// Spans dropped unsent in those segments (counted from their readable frames).
    public package(set) var spansExpired = 0
    /// The span totals of the settled batches; the request totals (`requests`, `failedRequests`, `bytesSent`,
    /// `retries`) of every attempt, deferred batches' included, as the metrics count them.
    package var report = DeliveryReport()

    /// Spans the destination accepted.
    public var spansDelivered: Int { report.delivered }
    /// Spans the backend accepted the request for but rejected (OTLP partial success).
    public var spansRejected: Int { report.rejected }
    /// Spans written to the dead-letter directory after a permanent failure.
    public var spansDeadLettered: Int { report.deadLettered }
    /// Every request (or SQLite transaction) attempted, whatever its outcome: failed ones and retries included
    /// (the `tracespool_upload_requests_total` metric).
    public var requests: Int { report.requests }
    /// The requests of `requests` that were not accepted: no answer (connection error, timeout) or a status other
    /// than 2xx (`tracespool_upload_failed_requests_total`).
    public var failedRequests: Int { report.failedRequests }
    /// Request body bytes of the accepted requests only, as sent (compressed when gzip is on); SQLite: span bytes
    /// stored (`tracespool_upload_bytes_sent_total`).
    public var bytesSent: Int { report.bytesSent }
    /// Retries after transient failures, of settled and deferred batches (`tracespool_upload_retries_total`).
    public var retries: Int { report.retries }

    /// Creates an empty summary.
    package init() {}

    /// Whether everything readable was delivered: nothing deferred, failed, refused, rejected, dead-lettered, damaged
    /// or expired (torn tails do not count: they never were complete frames).
    public var allDelivered: Bool {
        segmentsDeferred == 0 && segmentsFailed == 0 && segmentsRefused == 0 && report.rejected == 0
            && report.deadLettered == 0 && damagedRegions == 0 && segmentsExpired == 0
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
        tornTails += other.tornTails
        writerDroppedSpans += other.writerDroppedSpans
        segmentsExpired += other.segmentsExpired
        spansExpired += other.spansExpired
    }
}
