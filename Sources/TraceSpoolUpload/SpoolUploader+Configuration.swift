import SpoolBase

extension SpoolUploader {
    /// What the uploader drains, where the spans go, and how.
    ///
    /// Start from the required values and change what you need; every other property has the default it documents.
    ///
    /// ```swift
    /// var configuration = SpoolUploader.Configuration(
    ///     spoolDirectories: ["/var/spool/app/traces"],
    ///     destination: .otlpHTTP(.init(tracesEndpoint: "http://collector:4318/v1/traces")))
    /// configuration.batching.parallelSegments = 2  // a high-latency backend
    /// configuration.follow.maxLatency = .milliseconds(200)
    /// ```
    ///
    /// To take the endpoint from the standard `OTEL_EXPORTER_OTLP_*` variables, as `tracespool-upload` does, use
    /// ``OTLPHTTPExporter/fromEnvironment()``.
    public struct Configuration: Sendable {
        /// The spool directories to drain; their segments are drained oldest first, across all directories.
        ///
        /// A directory that does not exist yet holds nothing to deliver (``SpoolUploader/run()`` watches for it to
        /// appear); one that fails the spool's validation (a symbolic link, not a directory, owned by another user
        /// or writable by other users, unless it is in ``spoolGroup``) counts as a failed segment in the
        /// ``DrainSummary``. Files named like segments that are not owned by the directory's owner, are not regular
        /// files or whose names do not parse are left in place, logged and counted as refused.
        ///
        /// - Default value: none; at least one is required.
        public var spoolDirectories: [String]

        /// Where the spans go: an OTLP/HTTP backend or a local SQLite store.
        ///
        /// - Default value: none; required.
        public var destination: Destination

        /// How spans are cut into requests and how many segments are drained at once.
        ///
        /// - Default value: ``Batching/init()``.
        public var batching: Batching

        /// How long transient delivery failures are retried (OTLP/HTTP).
        ///
        /// - Default value: ``Retry/init()``.
        public var retry: Retry

        /// How ``SpoolUploader/run()`` notices new spans.
        ///
        /// - Default value: ``Follow/init()``.
        public var follow: Follow

        /// The group id of spool directories shared on purpose with writers running as other users: a spool directory
        /// whose group this is may belong to another user and may be group-writable (never writable by others).
        /// Segments must still belong to the directory's owner. `tracespool-upload` reads it from `--spool-group` or
        /// `TRACESPOOL_SPOOL_GROUP`; see `Docs/Uploader.md`, "Running as another user".
        ///
        /// - Default value: nil: every spool directory must belong to this process's user and be writable by it
        ///   alone.
        public var spoolGroup: UInt32?

        /// Retention by age: segments created longer ago than this are removed without being uploaded, their spans
        /// counted as expired (`tracespool_upload_spans_expired_total`, a warning per segment). The age is the time
        /// since the creation time in the segment's name (its writer's clock when it created the segment). A
        /// segment a live writer still holds open is never removed (it is uploaded as usual), nor one another
        /// uploader holds the lease of. `tracespool-upload` reads it from `--max-age-ms` or
        /// `TRACESPOOL_UPLOAD_MAX_AGE_MS`; see `Docs/Uploader.md`, "Retention by age".
        ///
        /// - Default value: nil: no segment is removed for its age.
        public var maxSegmentAge: Duration?

        /// Creates a configuration for `spoolDirectories` and `destination` with every other property at its default.
        public init(spoolDirectories: [String], destination: Destination) {
            self.spoolDirectories = spoolDirectories
            self.destination = destination
            self.batching = Batching()
            self.retry = Retry()
            self.follow = Follow()
        }
    }
}

extension SpoolUploader.Configuration {
    /// Where settled batches go.
    public enum Destination: Sendable {
        /// An OTLP/HTTP traces endpoint: `application/x-protobuf` `ExportTraceServiceRequest`s.
        case otlpHTTP(OTLPHTTPExporter)
        /// A local SQLite file (WAL journal, `synchronous=FULL`, one transaction per batch, idempotent on
        /// `(trace_id, span_id)`), created with its schema when missing. Its directory must exist.
        case sqlite(path: String)
    }

    /// How spans are cut into requests, and the memory they may hold.
    public struct Batching: Sendable {
        /// The most spans per request.
        ///
        /// - Default value: 8,192. Must be at least 1.
        public var maxSpans: Int

        /// The largest request body (uncompressed protobuf), bytes. A batch never exceeds it; a single span larger
        /// than that is written to the dead-letter directory.
        ///
        /// - Default value: 4 MiB. Must be at least 1,024.
        public var maxBytes: Int

        /// The memory budget for batches in flight, bytes. Each segment drained at the same time holds up to about
        /// three times ``maxBytes`` (frames read, request body, client buffer), so the number of segments drained at
        /// once is `min(parallelSegments, max(1, maxInFlightBytes / (3 * maxBytes)))`.
        ///
        /// - Default value: 24 MiB. Must be at least ``maxBytes``.
        public var maxInFlightBytes: Int

        /// The most segments drained at the same time. One segment at a time already saturates a loopback backend;
        /// raise it for high-latency backends (memory grows by about `3 * maxBytes` per segment, within
        /// ``maxInFlightBytes``).
        ///
        /// - Default value: 1.
        public var parallelSegments: Int

        /// Creates the defaults: 8,192 spans and 4 MiB per request, a 24 MiB budget, one segment at a time.
        public init() {
            maxSpans = 8192
            maxBytes = 4 << 20
            maxInFlightBytes = 24 << 20
            parallelSegments = 1
        }

        /// The number of segments drained concurrently under the memory budget.
        package var workers: Int {
            min(max(1, parallelSegments), max(1, maxInFlightBytes / max(1, 3 * maxBytes)))
        }
    }

    /// Exponential backoff with full jitter for transient failures of the OTLP/HTTP destination: the wait before
    /// retry `n` is uniform in `0 ... min(maxBackoff, initialBackoff * 2^n)`, or the server's `Retry-After` when that
    /// is longer (up to 5 minutes). All segments share one backoff, so a backend that is down sees about one request
    /// per backoff delay.
    public struct Retry: Sendable {
        /// The first backoff ceiling.
        ///
        /// - Default value: 500 ms.
        public var initialBackoff: Duration

        /// The largest backoff ceiling: bounds the request rate against a backend that stays down. Also the wait
        /// after a redirect.
        ///
        /// - Default value: 30 s.
        public var maxBackoff: Duration

        /// How long one batch is retried before it is left in the spool for a later pass (nothing is lost); the rest
        /// of that pass is then deferred at once instead of spending a retry budget per segment.
        ///
        /// - Default value: 5 minutes.
        public var maxElapsed: Duration

        /// ``SpoolUploader/drainOnce()`` only: how long a batch is retried while the backend has never answered
        /// HTTP during the operation — connection refused, a host name that does not resolve, a TLS handshake
        /// failure (untrusted or expired certificate, host name mismatch), a server speaking another protocol (the
        /// OTLP/gRPC port), no connection within the connect timeout. The batch and the rest of the pass are then
        /// deferred (nothing is lost). A backend that answered anything (503, 429, ...) keeps ``maxElapsed``;
        /// ``SpoolUploader/run()`` keeps retrying with its backoff.
        ///
        /// - Default value: 10 s.
        public var maxElapsedUnanswered: Duration

        /// Creates the defaults: 500 ms, 30 s, 5 minutes, 10 s without an answer.
        public init() {
            initialBackoff = .milliseconds(500)
            maxBackoff = .seconds(30)
            maxElapsed = .seconds(300)
            maxElapsedUnanswered = .seconds(10)
        }

        /// The policy with these values in milliseconds, for following the spools (no early give-up).
        package var policy: RetryPolicy {
            RetryPolicy(
                baseMillis: initialBackoff.wholeMilliseconds, capMillis: maxBackoff.wholeMilliseconds,
                maxElapsedMillis: maxElapsed.wholeMilliseconds)
        }

        /// The policy of a single pass (``SpoolUploader/drainOnce()``): ``policy`` with ``maxElapsedUnanswered``.
        package var oncePolicy: RetryPolicy {
            var once = policy
            once.maxUnansweredMillis = max(0, maxElapsedUnanswered.wholeMilliseconds)
            return once
        }
    }

    /// How ``SpoolUploader/run()`` notices new spans: a pass whenever a spool directory changes, and at least every
    /// ``maxLatency``.
    public struct Follow: Sendable {
        /// The longest time between a frame reaching the spool and its upload starting.
        ///
        /// - Default value: 1 s. Must be at least 1 ms.
        public var maxLatency: Duration

        /// Whether inotify (Linux) wakes the uploader as soon as a spool directory changes; false polls every
        /// ``maxLatency`` (also what happens where inotify is unavailable).
        ///
        /// - Default value: true.
        public var usesInotify: Bool

        /// Creates the defaults: 1 s, inotify on.
        public init() {
            maxLatency = .seconds(1)
            usesInotify = true
        }
    }
}

extension SpoolUploader.Configuration {
    /// Checks every value; the first problem found is thrown, in the order the properties are documented.
    ///
    /// - Throws: `UploadError.invalidConfiguration` naming the problem.
    package func validate() throws(UploadError) {
        try validateDrain()
        if case .otlpHTTP(let exporter) = destination { try exporter.validate() }
    }

    /// Checks everything but the destination: the spool directories, batching and follow settings.
    ///
    /// - Throws: `UploadError.invalidConfiguration` naming the problem.
    package func validateDrain() throws(UploadError) {
        guard !spoolDirectories.isEmpty else { throw .invalidConfiguration(.noSpoolDirectory) }
        guard batching.maxSpans >= 1 else { throw .invalidConfiguration(.maxSpansBelowOne) }
        guard batching.maxBytes >= 1024 else { throw .invalidConfiguration(.maxBytesBelow1024) }
        guard batching.maxInFlightBytes >= batching.maxBytes else {
            throw .invalidConfiguration(.maxInFlightBytesBelowMaxBytes)
        }
        guard follow.maxLatency.wholeMilliseconds >= 1 else {
            throw .invalidConfiguration(.maxLatencyBelowOneMillisecond)
        }
        if let maxSegmentAge, maxSegmentAge.wholeMilliseconds < 1 {
            throw .invalidConfiguration(.maxSegmentAgeBelowOneMillisecond)
        }
    }
}

extension SpoolUploader.Configuration.OTLPHTTPExporter {
    /// Checks the endpoint (scheme, host, port), the timeout and the TLS files (each read and parsed; the client
    /// certificate and key both or neither).
    ///
    /// - Throws: `UploadError.invalidConfiguration` naming the problem.
    package func validate() throws(UploadError) {
        try Self.checkEndpoint(tracesEndpoint)
        try Self.checkTimeout(timeout)
        _ = try tlsConfiguration()
    }
}
