/// Where batches go: an OTLP/HTTP backend or the local SQLite store.
package protocol SpanSink: Sendable {
    /// A short name for logs (`otlp-http`, `sqlite`).
    var name: String { get }

    /// Delivers one batch, retrying transient failures as the sink's policy says.
    ///
    /// - Returns: what became of the batch's spans once the batch is settled (delivered, rejected by the backend, or
    ///   dead-lettered); the caller may then checkpoint past it.
    /// - Throws: `DeliveryDeferred` when the batch could not be settled now (retries exhausted, shutting down); the
    ///   caller must not checkpoint past it: it stays in the spool and is sent again later.
    func deliver(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport

    /// Releases what the sink opened for one operation of the uploader (`run` or `drainOnce`), such as its HTTP
    /// connections. Called once per operation, after its last `deliver`.
    func shutdown() async

    /// Stops retrying: from now on a failing attempt defers its batch at once (called on graceful shutdown).
    func stopRetrying()
}

extension SpanSink {
    /// Does nothing: sinks without retries have nothing to stop.
    package func stopRetrying() {}
}

/// The fate of one settled batch, in spans.
package struct DeliveryReport: Sendable, Equatable {
    /// Spans the sink accepted.
    package var delivered: Int
    /// Spans the backend accepted the request for but rejected (OTLP partial success).
    package var rejected: Int
    /// Spans written to the dead-letter directory after a permanent failure.
    package var deadLettered: Int
    /// Every request (or transaction) attempted, whatever its outcome: failed ones and retries included.
    package var requests: Int
    /// The requests of `requests` that were not accepted: no answer (connection error, timeout) or a status other
    /// than 2xx (413 and permanent failures included).
    package var failedRequests: Int
    /// Request body bytes (as sent: compressed when gzip is on) of the accepted requests only.
    package var bytesSent: Int
    /// Retries after transient failures.
    package var retries: Int

    /// Creates a report.
    package init(
        delivered: Int = 0, rejected: Int = 0, deadLettered: Int = 0, requests: Int = 0, failedRequests: Int = 0,
        bytesSent: Int = 0, retries: Int = 0
    ) {
        self.delivered = delivered
        self.rejected = rejected
        self.deadLettered = deadLettered
        self.requests = requests
        self.failedRequests = failedRequests
        self.bytesSent = bytesSent
        self.retries = retries
    }

    /// The request counts alone (`requests`, `failedRequests`, `bytesSent`, `retries`), without span counts: what a
    /// deferred batch adds to a summary (its spans are sent again later and counted then).
    package var requestTotals: DeliveryReport {
        DeliveryReport(requests: requests, failedRequests: failedRequests, bytesSent: bytesSent, retries: retries)
    }

    /// Adds another report.
    package mutating func add(_ other: DeliveryReport) {
        delivered += other.delivered
        rejected += other.rejected
        deadLettered += other.deadLettered
        requests += other.requests
        failedRequests += other.failedRequests
        bytesSent += other.bytesSent
        retries += other.retries
    }
}

/// A batch could not be settled now; it stays in the spool and is retried on a later pass.
package struct DeliveryDeferred: Error, Sendable, CustomStringConvertible {
    /// Why (last error or "shutting down").
    package var reason: String
    /// Spans already delivered from parts of the batch (after a 413 split) before deferring; they will be re-sent.
    package var partial: DeliveryReport
    /// Whether the backend cannot take batches now (unreachable or failing transiently after the whole retry
    /// budget, or redirecting to another URL): the uploader then defers the rest of its pass at once instead of
    /// spending a new retry budget on every remaining segment.
    package var backendUnavailable: Bool

    /// Creates the error.
    package init(reason: String, partial: DeliveryReport = DeliveryReport(), backendUnavailable: Bool = false) {
        self.reason = reason
        self.partial = partial
        self.backendUnavailable = backendUnavailable
    }

    /// The reason, with a hint.
    package var description: String {
        "delivery deferred: \(reason) (the batch stays in the spool and is retried later)"
    }
}
