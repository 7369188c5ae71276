/// Where batches go: an OTLP/HTTP backend or the local SQLite store.
public protocol SpanSink: Sendable {
    /// A short name for logs (`otlp-http`, `sqlite`).
    var name: String { get }

    /// Delivers one batch, retrying transient failures as the sink's policy says.
    ///
    /// - Returns: what became of the batch's spans once the batch is settled (delivered, rejected by the backend, or
    ///   dead-lettered); the caller may then checkpoint past it.
    /// - Throws: `DeliveryDeferred` when the batch could not be settled now (retries exhausted, shutting down); the
    ///   caller must not checkpoint past it: it stays in the spool and is sent again later.
    func deliver(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport

    /// Releases connections and files. Called once, after the last `deliver`.
    func shutdown() async

    /// Stops retrying: from now on a failing attempt defers its batch at once (called on SIGTERM/SIGINT).
    func stopRetrying()
}

extension SpanSink {
    /// Does nothing: sinks without retries have nothing to stop.
    public func stopRetrying() {}
}

/// The fate of one settled batch, in spans.
public struct DeliveryReport: Sendable, Equatable {
    /// Spans the sink accepted.
    public var delivered: Int
    /// Spans the backend accepted the request for but rejected (OTLP partial success).
    public var rejected: Int
    /// Spans written to the dead-letter directory after a permanent failure.
    public var deadLettered: Int
    /// Requests (or transactions) made, retries included.
    public var requests: Int
    /// Request body bytes sent, retries included.
    public var bytesSent: Int

    /// Creates a report.
    public init(delivered: Int = 0, rejected: Int = 0, deadLettered: Int = 0, requests: Int = 0, bytesSent: Int = 0) {
        self.delivered = delivered
        self.rejected = rejected
        self.deadLettered = deadLettered
        self.requests = requests
        self.bytesSent = bytesSent
    }

    /// Adds another report.
    public mutating func add(_ other: DeliveryReport) {
        delivered += other.delivered
        rejected += other.rejected
        deadLettered += other.deadLettered
        requests += other.requests
        bytesSent += other.bytesSent
    }
}

/// A batch could not be settled now; it stays in the spool and is retried on a later pass.
public struct DeliveryDeferred: Error, Sendable, CustomStringConvertible {
    /// Why (last error or "shutting down").
    public var reason: String
    /// Spans already delivered from parts of the batch (after a 413 split) before deferring; they will be re-sent.
    public var partial: DeliveryReport
    /// Whether the backend cannot take batches now (unreachable or failing transiently after the whole retry
    /// budget, or redirecting to another URL): the uploader then defers the rest of its pass at once instead of
    /// spending a new retry budget on every remaining segment.
    public var backendUnavailable: Bool

    /// Creates the error.
    public init(reason: String, partial: DeliveryReport = DeliveryReport(), backendUnavailable: Bool = false) {
        self.reason = reason
        self.partial = partial
        self.backendUnavailable = backendUnavailable
    }

    /// The reason, with a hint.
    public var description: String {
        "delivery deferred: \(reason) (the batch stays in the spool and is retried later)"
    }
}
