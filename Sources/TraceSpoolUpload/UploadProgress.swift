import Synchronization

/// How far the uploader got, for a progress display: updated as segments are read and batches settle, readable from
/// any thread at any time. (Metrics go to swift-metrics and are never read back; this is the uploader's own count.)
package final class UploadProgress: Sendable {
    private let consumed = Atomic<Int>(0)
    private let backlog = Atomic<Int>(0)
    private let delivered = Atomic<Int>(0)

    /// Creates a zero progress.
    package init() {}

    /// Segment frame bytes read and turned into settled batches so far, bytes.
    package var spoolBytesConsumed: Int { consumed.load(ordering: .relaxed) }
    /// Bytes of the segments waiting at the last scan of the spools.
    package var backlogBytes: Int { backlog.load(ordering: .relaxed) }
    /// Spans the destination accepted so far.
    package var spansDelivered: Int { delivered.load(ordering: .relaxed) }

    /// Adds consumed segment bytes.
    package func addConsumed(_ bytes: Int) { consumed.add(bytes, ordering: .relaxed) }
    /// Sets the backlog found by a scan.
    package func setBacklog(_ bytes: Int) { backlog.store(bytes, ordering: .relaxed) }
    /// Adds delivered spans.
    package func addDelivered(_ spans: Int) { delivered.add(spans, ordering: .relaxed) }
}
