import AsyncHTTPClient
package import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import OTLPWire
import SpoolBase
import Synchronization

/// Sends batches to an OTLP/HTTP traces endpoint as `application/x-protobuf` `ExportTraceServiceRequest`s.
///
/// - Transient failures (connection refused/reset, timeouts, DNS failures, 408, 429, 5xx except 501/505) are
///   retried with `RetryPolicy` (full jitter, `Retry-After` honoured) through a shared `BackoffGate`.
/// - 413 splits the batch in halves, recursively; a single span that still gets 413 is dead-lettered.
/// - Permanent failures (4xx other than 408/413/429, 501, 505) write the batch to the dead-letter directory and
///   settle it.
/// - A 3xx is a configuration problem, not a data problem: redirects are not followed, an error names the status and
///   the `Location` header, and the batch is deferred (kept in the spool) without retrying.
/// - The first failure after a success (or after the start) is logged at once, as an error when the backend never
///   answered HTTP (connection refused, unresolvable host, TLS handshake failure, another protocol such as OTLP/gRPC),
///   with the URL and a hint (`DeliveryFailure`); the retries after it are logged as notices.
/// - With `RetryPolicy.maxUnansweredMillis` set (`drainOnce()`), a batch is given up on after that long while no
///   request of this sink ever got an HTTP answer, instead of spending the whole retry budget.
/// - An endpoint the HTTP client cannot parse is a configuration problem: the batch is deferred without retrying.
/// - A non-200 answer with a `application/grpc` content type (the OTLP/gRPC port over TLS, where HTTP/2 is
///   negotiated) is a configuration problem too: logged with the gRPC hint, the batch deferred, not dead-lettered.
/// - Once one batch's retry budget is exhausted, batches in flight in other workers give up at their next failure
///   instead of spending their own budget (the uploader defers the rest of its pass).
/// - A 2xx is success whatever its body: at most `maxResponseBodyBytes` are read; a larger body is not parsed for
///   partial success (a warning is logged) and the batch counts as delivered.
///
/// Backoff waits and the retry budget run on `clock`; dead letters are written through `DiskIO`.
package final class OTLPHTTPSink<SinkClock: Clock>: SpanSink where SinkClock.Duration == Duration {
    /// `otlp-http`.
    package var name: String { "otlp-http" }
    /// The endpoint configuration.
    package let configuration: SpoolUploader.Configuration.OTLPHTTPExporter
    /// The retry policy.
    package let retryPolicy: RetryPolicy
    private let client: HTTPClient
    private let logger: Logger
    private let metrics: UploadMetrics
    private let clock: SinkClock
    private let gate: BackoffGate<SinkClock>
    private let io: DiskIO
    private let jitter: @Sendable (ClosedRange<Int>) -> Int
    private let deadLetters = DeadLetterWriter()
    private let stopping = Atomic<Bool>(false)
    /// Incremented whenever a batch's retry budget runs out (or a redirect defers it): a retry loop that sees it
    /// change since its batch started gives up at its next failure.
    private let giveUps = Atomic<Int>(0)
    /// Whether any request of this sink got an HTTP answer (any status).
    private let answered = Atomic<Bool>(false)
    /// Whether the last request failed (the next failure is then not the first of a streak and is not diagnosed).
    private let failing = Atomic<Bool>(false)
    /// Where requests go (nil only for an endpoint that `checkEndpoint` would refuse).
    private let address: EndpointAddress?
    /// The client's TLS settings (trust roots, client certificate), for diagnosing certificate failures.
    private let tls: TLSConfiguration?

    /// The most response body bytes read (for partial-success parsing and dead letters); the rest is not read.
    package static var maxResponseBodyBytes: Int { 1 << 20 }

    /// Creates the sink and its HTTP client (certificate verification on, keep-alive connection pool, no redirects,
    /// the configured proxy). TLS files that cannot be loaded (`SpoolUploader` validates them first) leave the
    /// client with the system trust store and no client certificate.
    ///
    /// - Parameters:
    ///   - clock: the clock of backoff waits and of the retry budget.
    ///   - io: where dead letters are written.
    ///   - jitter: picks a backoff delay in a range of milliseconds (default: uniformly at random).
    package init(
        configuration: SpoolUploader.Configuration.OTLPHTTPExporter, retryPolicy: RetryPolicy, metrics: UploadMetrics,
        logger: Logger, clock: SinkClock, io: DiskIO = .shared,
        jitter: @escaping @Sendable (ClosedRange<Int>) -> Int = { Int.random(in: $0) }
    ) {
        self.configuration = configuration
        self.retryPolicy = retryPolicy
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        self.gate = BackoffGate(clock: clock)
        self.io = io
        self.jitter = jitter
        var config = HTTPClient.Configuration()
        config.redirectConfiguration = .disallow
        config.connectionPool.retryConnectionEstablishment = false
        config.timeout.connect = .milliseconds(Int64(min(configuration.timeout.wholeMilliseconds, 10_000)))
        config.decompression = .disabled
        let tls = (try? configuration.tlsConfiguration()) ?? nil
        if let tls { config.tlsConfiguration = tls }
        if let proxy = configuration.proxy { config.proxy = proxy.clientProxy }
        self.tls = tls
        self.address = try? EndpointAddress(url: configuration.tracesEndpoint)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: config)
    }

    /// The timeout of one request, milliseconds.
    private var timeoutMillis: Int { configuration.timeout.wholeMilliseconds }

    /// Stops retrying: a failing attempt from now on defers its batch at once (used on graceful shutdown).
    package func stopRetrying() { stopping.store(true, ordering: .relaxed) }

    /// Shuts the HTTP client down.
    package func shutdown() async {
        try? await client.shutdown()
    }

    /// Delivers one batch (see the type's documentation for the failure handling).
    package func deliver(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport {
        var report = DeliveryReport()
        var pending = [batch]
        while let part = pending.popLast() {
            let body = part.requestBody()
            let outcome: Outcome
            do throws(GiveUp) {
                outcome = try await sendWithRetries(body: body, batch: part, report: &report)
            } catch {
                throw DeliveryDeferred(
                    reason: error.reason, partial: report, backendUnavailable: error.backendUnavailable)
            }
            switch outcome {
            case .accepted(let response):
                let rejected = min(Int(clamping: max(0, response.rejectedSpans)), part.count)
                report.delivered += part.count - rejected
                report.rejected += rejected
                if !response.isFullSuccess {
                    logger.warning(
                        "partial success",
                        metadata: [
                            "segment": "\(part.segment)", "offset": "\(part.start.offset)",
                            "rejected_spans": "\(response.rejectedSpans)", "message": "\(response.errorMessage)",
                        ])
                }
            case .tooLarge(let responseBody):
                if part.count >= 2 {
                    let (a, b) = part.halves()
                    logger.notice(
                        "413 payload too large, splitting batch",
                        metadata: ["segment": "\(part.segment)", "spans": "\(part.count)", "bytes": "\(body.count)"])
                    pending.append(b)
                    pending.append(a)
                } else {
                    try await deadLetter(part, body: body, status: 413, responseBody: responseBody, report: &report)
                }
            case .permanent(let status, let responseBody):
                try await deadLetter(part, body: body, status: status, responseBody: responseBody, report: &report)
            }
        }
        return report
    }

    private func deadLetter(
        _ batch: SpanBatch, body: [UInt8], status: Int, responseBody: [UInt8], report: inout DeliveryReport
    ) async throws(DeliveryDeferred) {
        do {
            let deadLetters = self.deadLetters
            // Disk I/O boundary: the dead letter is written on the thread pool.
            let path = try await io.run(.writeDeadLetter) { () throws(UploadError) -> String in
                try deadLetters.write(
                    batch: batch, body: body, status: status, responseBody: responseBody,
                    reason: "permanent HTTP failure \(status)")
            }
            report.deadLettered += batch.count
            metrics.deadLetters.increment()
            logger.error(
                "batch dead-lettered",
                metadata: [
                    "status": "\(status)", "segment": "\(batch.segment)", "offset": "\(batch.start.offset)",
                    "spans": "\(batch.count)", "file": "\(path)",
                    "response": "\(String(decoding: responseBody.prefix(200), as: UTF8.self))",
                ])
        } catch {
            throw DeliveryDeferred(reason: "cannot write dead letter: \(error)", partial: report)
        }
    }

    enum Outcome {
        case accepted(ExportTraceServiceResponse)
        case tooLarge([UInt8])
        case permanent(Int, [UInt8])
    }

    /// Classification of an HTTP status.
    enum StatusClass: Equatable {
        case success, tooLarge, transient, permanent, redirect
    }

    static func classify(status: Int) -> StatusClass {
        switch status {
        case 200..<300: .success
        case 300..<400: .redirect
        case 413: .tooLarge
        case 408, 429: .transient
        case 501, 505: .permanent
        case 500..<600: .transient
        default: .permanent
        }
    }

    private func sendWithRetries(body: [UInt8], batch: SpanBatch, report: inout DeliveryReport) async throws(GiveUp)
        -> Outcome
    {
        var wire = body
        var encoding: String?
        if configuration.compression == .gzip, let compressed = Gzip.compress(body) {
            wire = compressed
            encoding = "gzip"
        }
        let started = clock.now
        let giveUpsAtStart = giveUps.load(ordering: .relaxed)
        var attempt = 0
        while true {
            do {
                try await gate.wait()
            } catch {
                throw GiveUp(reason: "cancelled")
            }
            var request = HTTPClientRequest(url: configuration.tracesEndpoint)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/x-protobuf")
            request.headers.add(name: "User-Agent", value: "tracespool-upload/1")
            if let encoding { request.headers.add(name: "Content-Encoding", value: encoding) }
            for header in configuration.headers { request.headers.replaceOrAdd(name: header.name, value: header.value) }
            request.body = .bytes(wire)
            report.requests += 1
            metrics.requests.increment()
            // Every attempt not answered with 2xx counts as failed; only accepted bodies count as bytes sent.
            var accepted = false
            defer {
                if accepted {
                    report.bytesSent += wire.count
                    metrics.bytesSent.increment(by: Int64(wire.count))
                } else {
                    report.failedRequests += 1
                    metrics.failedRequests.increment()
                }
            }
            var failure: DeliveryFailure
            var retryAfter: Int?
            do {
                let response = try await client.execute(request, timeout: .milliseconds(Int64(timeoutMillis)))
                answered.store(true, ordering: .relaxed)
                let status = Int(response.status.code)
                if status != 200,
                    response.headers.first(name: "content-type")?.lowercased().hasPrefix("application/grpc") == true,
                    let address
                {
                    // A gRPC server (over TLS the client negotiates HTTP/2) refusing a non-gRPC request: the batch is
                    // fine, the port is wrong; nothing is dead-lettered.
                    let failure = DeliveryFailure.notHTTP(address: address.hostAndPort, http2: true)
                    gate.close(for: .milliseconds(retryPolicy.capMillis))
                    giveUps.add(1, ordering: .relaxed)
                    logger.error(
                        "cannot deliver to \(configuration.tracesEndpoint): \(failure)",
                        metadata: ["url": "\(configuration.tracesEndpoint)", "status": "\(status)"])
                    throw GiveUp(reason: "HTTP \(status) from a gRPC server: \(failure)", backendUnavailable: true)
                }
                let statusClass = Self.classify(status: status)
                accepted = statusClass == .success
                let (responseBody, complete): ([UInt8], Bool)
                do {
                    (responseBody, complete) = try await Self.readPrefix(of: response.body)
                } catch  where statusClass == .success {
                    // The backend accepted the batch; only its answer could not be read.
                    logger.warning(
                        "batch accepted, response body unreadable; not checked for partial success",
                        metadata: ["segment": "\(batch.segment)", "error": "\(Self.describe(error))"])
                    gate.open()
                    failing.store(false, ordering: .relaxed)
                    return .accepted(ExportTraceServiceResponse())
                }
                switch statusClass {
                case .success:
                    gate.open()
                    failing.store(false, ordering: .relaxed)
                    var decoded = ExportTraceServiceResponse()
                    let contentType = response.headers.first(name: "content-type")?.lowercased() ?? ""
                    if !complete {
                        logger.warning(
                            "batch accepted, response body too large to check for partial success",
                            metadata: [
                                "segment": "\(batch.segment)", "status": "\(status)",
                                "limit_bytes": "\(Self.maxResponseBodyBytes)",
                            ])
                    } else if !responseBody.isEmpty, !contentType.contains("json") {
                        if let r = try? ExportTraceServiceResponse(decoding: responseBody) { decoded = r }
                    }
                    return .accepted(decoded)
                case .redirect:
                    let location = response.headers.first(name: "location") ?? "(no Location header)"
                    gate.close(for: .milliseconds(retryPolicy.capMillis))
                    giveUps.add(1, ordering: .relaxed)
                    logger.error(
                        "the endpoint redirects to \(location); configure that URL (redirects are not followed)",
                        metadata: [
                            "status": "\(status)", "location": "\(location)",
                            "endpoint": "\(configuration.tracesEndpoint)",
                        ])
                    throw GiveUp(
                        reason: "HTTP \(status) redirect to \(location); configure that URL", backendUnavailable: true)
                case .tooLarge:
                    gate.open()
                    failing.store(false, ordering: .relaxed)
                    return .tooLarge(responseBody)
                case .permanent:
                    return .permanent(status, responseBody)
                case .transient:
                    failure = .status(status)
                    if let value = response.headers.first(name: "retry-after") {
                        retryAfter = RetryAfter.millis(value)
                    }
                }
            } catch let giveUp as GiveUp {
                throw giveUp
            } catch is CancellationError {
                throw GiveUp(reason: "cancelled")
            } catch let error as HTTPClientError where Self.isInvalidURL(error) {
                // `checkEndpoint` accepts what the client parses; this is a defect, not a transient failure.
                giveUps.add(1, ordering: .relaxed)
                logger.error(
                    "the HTTP client cannot use the endpoint URL; fix the endpoint",
                    metadata: ["url": "\(configuration.tracesEndpoint)", "error": "\(error)"])
                throw GiveUp(reason: "invalid endpoint URL (\(error))", backendUnavailable: true)
            } catch {
                if Task.isCancelled { throw GiveUp(reason: "cancelled") }
                failure = address.map { DeliveryFailure.classify(error, address: $0) } ?? .other(Self.describe(error))
            }
            if !failing.exchange(true, ordering: .relaxed) {
                // The first failure of a streak: find out what it means now, and say so at once.
                if let address, configuration.proxy == nil {
                    failure = await failure.diagnosed(address: address, tls: tls)
                }
                let message = "cannot deliver to \(configuration.tracesEndpoint): \(failure)"
                let metadata: Logger.Metadata = [
                    "url": "\(configuration.tracesEndpoint)", "segment": "\(batch.segment)",
                    "offset": "\(batch.start.offset)",
                ]
                if failure.neverAnswered && !answered.load(ordering: .relaxed) {
                    logger.error("\(message)", metadata: metadata)
                } else {
                    logger.warning("\(message)", metadata: metadata)
                }
            }
            let elapsedMillis = started.duration(to: clock.now).wholeMilliseconds
            let delay = retryPolicy.delayMillis(attempt: attempt, retryAfterMillis: retryAfter, jitter: jitter)
            if stopping.load(ordering: .relaxed) {
                throw GiveUp(reason: "\(failure); shutting down")
            }
            if giveUps.load(ordering: .relaxed) != giveUpsAtStart {
                // Another batch already spent a whole retry budget on this backend since this one started.
                gate.close(for: .milliseconds(delay))
                throw GiveUp(reason: "\(failure); backend unavailable", backendUnavailable: true)
            }
            if let limit = retryPolicy.maxUnansweredMillis, failure.neverAnswered, !answered.load(ordering: .relaxed),
                elapsedMillis + delay > limit
            {
                gate.close(for: .milliseconds(delay))
                giveUps.add(1, ordering: .relaxed)
                throw GiveUp(
                    reason:
                        "\(failure); the backend never answered, given up after \(elapsedMillis) ms (limit \(limit) ms)",
                    backendUnavailable: true)
            }
            if elapsedMillis + delay > retryPolicy.maxElapsedMillis {
                gate.close(for: .milliseconds(delay))
                giveUps.add(1, ordering: .relaxed)
                throw GiveUp(reason: "\(failure); retried for \(elapsedMillis) ms", backendUnavailable: true)
            }
            gate.close(for: .milliseconds(delay))
            report.retries += 1
            metrics.retries.increment()
            logger.notice(
                "transient failure, retrying",
                metadata: [
                    "error": "\(failure)", "attempt": "\(attempt + 1)", "delay_ms": "\(delay)",
                    "segment": "\(batch.segment)", "offset": "\(batch.start.offset)",
                ])
            attempt += 1
        }
    }

    /// Reads at most `maxResponseBodyBytes` of a response body; `complete` is false when the body was longer (the
    /// rest is left unread and the connection is not reused).
    static func readPrefix(of body: HTTPClientResponse.Body) async throws -> (bytes: [UInt8], complete: Bool) {
        var bytes: [UInt8] = []
        for try await var chunk in body {
            let room = maxResponseBodyBytes - bytes.count
            if chunk.readableBytes > room {
                bytes += chunk.readBytes(length: room) ?? []
                return (bytes, false)
            }
            bytes += chunk.readBytes(length: chunk.readableBytes) ?? []
        }
        return (bytes, true)
    }

    /// Whether the HTTP client refused the URL itself (not a network failure).
    static func isInvalidURL(_ error: HTTPClientError) -> Bool {
        if error == .invalidURL || error == .emptyHost || error == .emptyScheme { return true }
        return "\(error)".contains("unsupportedScheme")
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 300 ? String(text.prefix(300)) : text
    }
}

/// Why the retries of one request ended without a settled outcome.
private struct GiveUp: Error {
    var reason: String
    /// The backend cannot take batches now (budget exhausted, redirect), as opposed to a shutdown.
    var backendUnavailable = false
}
