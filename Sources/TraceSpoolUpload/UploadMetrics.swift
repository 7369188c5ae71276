public import Synchronization

/// The uploader's counters and gauges, safe to update from any task and rendered in Prometheus text format.
public final class UploadMetrics: Sendable {
    /// Spans accepted by the sink.
    public let spansSent = Atomic<Int>(0)
    /// Spans rejected by the backend (partial success).
    public let spansRejected = Atomic<Int>(0)
    /// Spans written to the dead-letter directory.
    public let spansDeadLettered = Atomic<Int>(0)
    /// Batches settled (delivered, rejected or dead-lettered).
    public let batchesSent = Atomic<Int>(0)
    /// Batches written to the dead-letter directory.
    public let deadLetters = Atomic<Int>(0)
    /// Request body bytes sent, retries included.
    public let bytesSent = Atomic<Int>(0)
    /// Requests made, retries included.
    public let requests = Atomic<Int>(0)
    /// Retries after transient failures.
    public let retries = Atomic<Int>(0)
    /// Batches deferred (retries exhausted or shutdown); they stay in the spool.
    public let batchesDeferred = Atomic<Int>(0)
    /// Damaged regions found in segments.
    public let damagedFrames = Atomic<Int>(0)
    /// Bytes in damaged regions.
    public let damagedBytes = Atomic<Int>(0)
    /// Spans the writers reported dropped (drop records in the spool).
    public let writerDroppedSpans = Atomic<Int>(0)
    /// Segments completely delivered and deleted.
    public let segmentsCompleted = Atomic<Int>(0)
    /// Segment frame bytes consumed, bytes.
    public let spoolBytesConsumed = Atomic<Int>(0)
    /// Segments waiting in the spools at the last scan.
    public let backlogSegments = Atomic<Int>(0)
    /// Bytes of segments waiting at the last scan.
    public let backlogBytes = Atomic<Int>(0)
    /// Creation time of the oldest waiting segment (an upper bound of the oldest span's age), Unix nanoseconds;
    /// 0 when none.
    public let oldestSegmentUnixNanos = Atomic<UInt64>(0)

    /// Creates zeroed metrics.
    public init() {}

    /// The counters as Prometheus text exposition format (version 0.0.4).
    public func prometheusText(nowUnixNanos: UInt64) -> String {
        var out = ""
        func counter(_ name: String, _ help: String, _ value: Int) {
            out += "# HELP tracespool_upload_\(name) \(help)\n# TYPE tracespool_upload_\(name) counter\n"
            out += "tracespool_upload_\(name) \(value)\n"
        }
        func gauge(_ name: String, _ help: String, _ value: Double) {
            out += "# HELP tracespool_upload_\(name) \(help)\n# TYPE tracespool_upload_\(name) gauge\n"
            out += "tracespool_upload_\(name) \(value)\n"
        }
        counter("spans_sent_total", "Spans accepted by the sink.", spansSent.load(ordering: .relaxed))
        counter(
            "spans_rejected_total", "Spans rejected by the backend (partial success).",
            spansRejected.load(ordering: .relaxed))
        counter(
            "spans_dead_lettered_total", "Spans written to the dead-letter directory.",
            spansDeadLettered.load(ordering: .relaxed))
        counter("batches_sent_total", "Batches settled.", batchesSent.load(ordering: .relaxed))
        counter(
            "dead_letters_total", "Batches written to the dead-letter directory.", deadLetters.load(ordering: .relaxed))
        counter("bytes_sent_total", "Request body bytes sent, retries included.", bytesSent.load(ordering: .relaxed))
        counter("requests_total", "Requests made, retries included.", requests.load(ordering: .relaxed))
        counter("retries_total", "Retries after transient failures.", retries.load(ordering: .relaxed))
        counter(
            "batches_deferred_total", "Batches left in the spool after retries ran out.",
            batchesDeferred.load(ordering: .relaxed))
        counter("damaged_frames_total", "Damaged regions found in segments.", damagedFrames.load(ordering: .relaxed))
        counter("damaged_bytes_total", "Bytes in damaged regions.", damagedBytes.load(ordering: .relaxed))
        counter(
            "writer_dropped_spans_total", "Spans writers reported dropped.", writerDroppedSpans.load(ordering: .relaxed)
        )
        counter(
            "segments_completed_total", "Segments delivered and deleted.", segmentsCompleted.load(ordering: .relaxed))
        gauge(
            "backlog_segments", "Segments waiting at the last scan.", Double(backlogSegments.load(ordering: .relaxed)))
        gauge(
            "backlog_bytes", "Bytes of segments waiting at the last scan.",
            Double(backlogBytes.load(ordering: .relaxed)))
        let oldest = oldestSegmentUnixNanos.load(ordering: .relaxed)
        let age = oldest == 0 || oldest > nowUnixNanos ? 0 : Double(nowUnixNanos - oldest) / 1e9
        gauge("oldest_span_age_seconds", "Age of the oldest waiting segment, seconds.", age)
        return out
    }

    /// Adds a settled batch's span counts to the counters (requests and bytes are counted by the sinks as they
    /// happen, retries included).
    public func record(_ report: DeliveryReport) {
        spansSent.add(report.delivered, ordering: .relaxed)
        spansRejected.add(report.rejected, ordering: .relaxed)
        spansDeadLettered.add(report.deadLettered, ordering: .relaxed)
    }
}
