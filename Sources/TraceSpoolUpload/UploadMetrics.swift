package import CoreMetrics
import Synchronization

/// The uploader's counters and gauges, recorded through swift-metrics into the factory the uploader was given.
///
/// The names (and the help texts a Prometheus exporter can show) are `UploadMetrics.definitions`. Nothing in the
/// uploader reads a metric back: the counts it needs are kept in `DrainSummary` and `UploadProgress`.
package final class UploadMetrics: Sendable {
    /// What a metric is: its name, kind and one-line help text.
    package struct Definition: Sendable {
        /// Counter or gauge.
        package enum Kind: Sendable {
            /// A monotonic count (`Counter`).
            case counter
            /// A value set at a point in time (`Gauge`).
            case gauge
        }

        /// The metric's label (its Prometheus name).
        package var name: String
        /// Counter or gauge.
        package var kind: Kind
        /// One sentence saying what it counts.
        package var help: String
    }

    /// Spans accepted by the sink.
    package let spansSent: Counter
    /// Spans rejected by the backend (partial success).
    package let spansRejected: Counter
    /// Spans written to the dead-letter directory.
    package let spansDeadLettered: Counter
    /// Batches settled (delivered, rejected or dead-lettered).
    package let batchesSent: Counter
    /// Batches written to the dead-letter directory.
    package let deadLetters: Counter
    /// Request body bytes of accepted requests (SQLite: span bytes stored).
    package let bytesSent: Counter
    /// Every request attempted (SQLite: transactions), failed ones and retries included.
    package let requests: Counter
    /// Requests not accepted: no answer, or a status other than 2xx.
    package let failedRequests: Counter
    /// Retries after transient failures.
    package let retries: Counter
    /// Batches deferred (retries exhausted or shutdown); they stay in the spool.
    package let batchesDeferred: Counter
    /// Damaged regions found in segments.
    package let damagedFrames: Counter
    /// Bytes in damaged regions.
    package let damagedBytes: Counter
    /// Spans the writers reported dropped (drop records in the spool).
    package let writerDroppedSpans: Counter
    /// Segments completely delivered and deleted.
    package let segmentsCompleted: Counter
    /// Segments removed unsent for their age (`maxSegmentAge`).
    package let segmentsExpired: Counter
    /// Spans in segments removed unsent for their age, never delivered.
    package let spansExpired: Counter
    /// Segments waiting in the spools at the last scan.
    package let backlogSegments: Gauge
    /// Bytes of segments waiting at the last scan.
    package let backlogBytes: Gauge
    /// Age of the oldest waiting segment (an upper bound of the oldest span's age), seconds.
    package let oldestSpanAge: Gauge
    /// Creation time of the oldest waiting segment at the last scan, Unix nanoseconds; 0 when none. Kept to
    /// compute `oldestSpanAge` again at a later time (`refreshOldestSpanAge`).
    private let oldestSegmentUnixNanos = Atomic<UInt64>(0)

    /// Every metric of the uploader, in the order of `Docs/Uploader.md`.
    package static let definitions: [Definition] = [
        .spansSentTotal, .spansRejectedTotal, .spansDeadLetteredTotal, .batchesSentTotal, .deadLettersTotal,
        .bytesSentTotal, .requestsTotal, .failedRequestsTotal, .retriesTotal, .batchesDeferredTotal,
        .damagedFramesTotal,
        .damagedBytesTotal, .writerDroppedSpansTotal, .segmentsCompletedTotal, .segmentsExpiredTotal,
        .spansExpiredTotal,
        .backlogSegments, .backlogBytes,
        .oldestSpanAgeSeconds,
    ]

    /// Creates the metrics in `factory` (swift-metrics' global `MetricsSystem.factory` by default).
    package init(factory: any MetricsFactory = MetricsSystem.factory) {
        func counter(_ definition: Definition) -> Counter {
            Counter(label: definition.name, dimensions: [], factory: factory)
        }
        func gauge(_ definition: Definition) -> Gauge {
            Gauge(label: definition.name, dimensions: [], factory: factory)
        }
        spansSent = counter(.spansSentTotal)
        spansRejected = counter(.spansRejectedTotal)
        spansDeadLettered = counter(.spansDeadLetteredTotal)
        batchesSent = counter(.batchesSentTotal)
        deadLetters = counter(.deadLettersTotal)
        bytesSent = counter(.bytesSentTotal)
        requests = counter(.requestsTotal)
        failedRequests = counter(.failedRequestsTotal)
        retries = counter(.retriesTotal)
        batchesDeferred = counter(.batchesDeferredTotal)
        damagedFrames = counter(.damagedFramesTotal)
        damagedBytes = counter(.damagedBytesTotal)
        writerDroppedSpans = counter(.writerDroppedSpansTotal)
        segmentsCompleted = counter(.segmentsCompletedTotal)
        segmentsExpired = counter(.segmentsExpiredTotal)
        spansExpired = counter(.spansExpiredTotal)
        backlogSegments = gauge(.backlogSegments)
        backlogBytes = gauge(.backlogBytes)
        oldestSpanAge = gauge(.oldestSpanAgeSeconds)
    }

    /// Adds a settled batch's span counts to the counters (requests, bytes and retries are counted by the sinks as
    /// they happen).
    package func record(_ report: DeliveryReport) {
        spansSent.increment(by: Int64(report.delivered))
        spansRejected.increment(by: Int64(report.rejected))
        spansDeadLettered.increment(by: Int64(report.deadLettered))
    }

    /// Sets the backlog gauges from a scan of the spools.
    ///
    /// - Parameters:
    ///   - segments: segments waiting.
    ///   - bytes: their size, bytes.
    ///   - oldestSegmentUnixNanos: the creation time of the oldest, Unix nanoseconds (0 when none).
    ///   - nowUnixNanos: the time of the scan, Unix nanoseconds.
    package func recordScan(segments: Int, bytes: Int, oldestSegmentUnixNanos oldest: UInt64, nowUnixNanos: UInt64) {
        backlogSegments.record(segments)
        backlogBytes.record(bytes)
        oldestSegmentUnixNanos.store(oldest, ordering: .relaxed)
        refreshOldestSpanAge(nowUnixNanos: nowUnixNanos)
    }

    /// Sets `oldestSpanAge` for `nowUnixNanos` from the oldest segment of the last scan (0 when there was none, or
    /// its time is later than `nowUnixNanos`). An exporter calls it before it reads the metrics, so the age is that
    /// of the read, not of the scan.
    package func refreshOldestSpanAge(nowUnixNanos: UInt64) {
        let oldest = oldestSegmentUnixNanos.load(ordering: .relaxed)
        oldestSpanAge.record(oldest == 0 || oldest > nowUnixNanos ? 0 : Double(nowUnixNanos - oldest) / 1e9)
    }

    /// The help text of the metric named `name`, if it is one of the uploader's.
    package static func help(forName name: String) -> String? {
        definitions.first { $0.name == name }?.help
    }
}

extension UploadMetrics.Definition {
    private static func counter(_ name: String, _ help: String) -> Self {
        Self(name: "tracespool_upload_" + name, kind: .counter, help: help)
    }

    private static func gauge(_ name: String, _ help: String) -> Self {
        Self(name: "tracespool_upload_" + name, kind: .gauge, help: help)
    }

    /// `tracespool_upload_spans_sent_total`.
    package static let spansSentTotal = counter("spans_sent_total", "Spans accepted by the sink.")
    /// `tracespool_upload_spans_rejected_total`.
    package static let spansRejectedTotal = counter(
        "spans_rejected_total", "Spans rejected by the backend (partial success).")
    /// `tracespool_upload_spans_dead_lettered_total`.
    package static let spansDeadLetteredTotal = counter(
        "spans_dead_lettered_total", "Spans written to the dead-letter directory.")
    /// `tracespool_upload_batches_sent_total`.
    package static let batchesSentTotal = counter("batches_sent_total", "Batches settled.")
    /// `tracespool_upload_dead_letters_total`.
    package static let deadLettersTotal = counter(
        "dead_letters_total", "Batches written to the dead-letter directory.")
    /// `tracespool_upload_bytes_sent_total`.
    package static let bytesSentTotal = counter(
        "bytes_sent_total", "Request body bytes of accepted requests (SQLite: span bytes stored).")
    /// `tracespool_upload_requests_total`.
    package static let requestsTotal = counter(
        "requests_total", "Requests attempted (SQLite: transactions), failed ones and retries included.")
    /// `tracespool_upload_failed_requests_total`.
    package static let failedRequestsTotal = counter(
        "failed_requests_total", "Requests not accepted: no answer, or a status other than 2xx.")
    /// `tracespool_upload_retries_total`.
    package static let retriesTotal = counter("retries_total", "Retries after transient failures.")
    /// `tracespool_upload_batches_deferred_total`.
    package static let batchesDeferredTotal = counter(
        "batches_deferred_total", "Batches left in the spool after retries ran out.")
    /// `tracespool_upload_damaged_frames_total`.
    package static let damagedFramesTotal = counter("damaged_frames_total", "Damaged regions found in segments.")
    /// `tracespool_upload_damaged_bytes_total`.
    package static let damagedBytesTotal = counter("damaged_bytes_total", "Bytes in damaged regions.")
    /// `tracespool_upload_writer_dropped_spans_total`.
    package static let writerDroppedSpansTotal = counter(
        "writer_dropped_spans_total", "Spans writers reported dropped.")
    /// `tracespool_upload_segments_completed_total`.
    package static let segmentsCompletedTotal = counter(
        "segments_completed_total", "Segments delivered and deleted.")
    /// `tracespool_upload_segments_expired_total`.
    package static let segmentsExpiredTotal = counter(
        "segments_expired_total", "Segments removed unsent because they were older than the maximum age.")
    /// `tracespool_upload_spans_expired_total`.
    package static let spansExpiredTotal = counter(
        "spans_expired_total", "Spans dropped unsent in segments older than the maximum age.")
    /// `tracespool_upload_backlog_segments`.
    package static let backlogSegments = gauge("backlog_segments", "Segments waiting at the last scan.")
    /// `tracespool_upload_backlog_bytes`.
    package static let backlogBytes = gauge("backlog_bytes", "Bytes of segments waiting at the last scan.")
    /// `tracespool_upload_oldest_span_age_seconds`.
    package static let oldestSpanAgeSeconds = gauge(
        "oldest_span_age_seconds", "Age of the oldest waiting segment, seconds.")
}
