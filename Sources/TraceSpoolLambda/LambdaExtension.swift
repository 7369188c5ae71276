import LambdaRuntimeAPI
package import Logging
import SpoolBase
import SpoolFormat
import Synchronization
import TraceSpoolUpload

/// `tracespool-upload` as an AWS Lambda extension: registers with the Extensions API, subscribes to the Telemetry
/// API's platform events, and ships the spool according to its `LambdaStrategy`; on SHUTDOWN drains what is left
/// before the deadline and returns.
///
/// Lifecycle facts it relies on (AWS Lambda developer guide, "Lambda execution environment lifecycle",
/// https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html, and "Extensions API"): an
/// invocation ends when the runtime has responded and every extension has called `event/next` again, so time
/// spent here after the response is billed; every process is frozen until the next event; SHUTDOWN gives the
/// extensions until `deadlineMs` (2,000 ms in all with an external extension), then SIGKILL.
package struct LambdaExtension<C: Clock>: Sendable where C.Duration == Duration {
    /// The process environment.
    package var environment: [String: String]
    /// `Lambda-Extension-Name`: the executable's file name.
    package var name: String
    /// The clock of holds, timers and deadlines.
    package var clock: C
    /// The current Unix time, milliseconds (what `deadlineMs` is compared with).
    package var unixMillis: @Sendable () -> Int64
    /// Where the extension logs.
    package var logger: Logger
    /// A configuration problem found before the extension started (the log level variable, read by the
    /// executable): reported with init/error like the others.
    package var startupProblem: LambdaConfigurationError?

    /// Creates the extension.
    package init(
        environment: [String: String], name: String, clock: C, logger: Logger,
        unixMillis: @escaping @Sendable () -> Int64 = { Int64(SystemClock.unixNanos() / 1_000_000) }
    ) {
        self.environment = environment
        self.name = name
        self.clock = clock
        self.logger = logger
        self.unixMillis = unixMillis
    }

    /// Exit statuses of `run()`.
    package enum ExitStatus {
        /// SHUTDOWN handled.
        package static var success: Int32 { 0 }
        /// A configuration error (reported with init/error when the Runtime API was reachable), or the Runtime API
        /// is missing, malformed or unreachable.
        package static var failure: Int32 { 1 }
    }

    /// Runs until SHUTDOWN (returns 0) or a fatal error (returns 1).
    package func run() async -> Int32 {
        guard let raw = environment[RuntimeAPIAddress.variable] else {
            logger.critical("\(RuntimeAPIAddress.variable) is not set: not running in AWS Lambda")
            return ExitStatus.failure
        }
        let address: RuntimeAPIAddress
        do throws(RuntimeAPIAddress.Invalid) {
            address = try RuntimeAPIAddress(raw)
        } catch {
            logger.critical("configuration error", metadata: ["error": "\(error)"])
            return ExitStatus.failure
        }
        let api = ExtensionsAPIClient(address: address)
        let status = await serve(api: api)
        await api.shutdown()
        return status
    }

    /// Registers with `api`, then runs until SHUTDOWN or a fatal error; returns the exit status.
    private func serve(api: ExtensionsAPIClient) async -> Int32 {
        let address = api.address
        do {
            try await api.register(name: name)
        } catch {
            logger.critical(
                "cannot register with the Extensions API", metadata: ["error": "\(error)", "address": "\(address)"])
            return ExitStatus.failure
        }
        let configuration: LambdaConfiguration
        do throws(LambdaConfigurationError) {
            if let startupProblem { throw startupProblem }
            configuration = try LambdaConfiguration.fromEnvironment(environment)
            do throws(SpoolError) {
                _ = try SpoolDirectory(path: configuration.spoolPath, create: true)
            } catch {
                throw LambdaConfigurationError(
                    variable: "TRACESPOOL_DIR",
                    problem: "the spool directory \(configuration.spoolPath) is unusable: \(error)")
            }
        } catch {
            return await failInit(api, error)
        }
        let signal = InvocationEndSignal(spoolPath: configuration.spoolPath)
        let watcher = MarkerWatcher(directory: configuration.spoolPath) { signal.markerAppeared($0) }
        var listener: TelemetryListener?
        var subscribed = false
        if configuration.strategy != .periodic {
            do {
                let started = try await TelemetryListener.start(logger: logger) { id, _ in signal.runtimeDone(id) }
                switch await api.subscribeTelemetry(uri: started.uri) {
                case .subscribed:
                    subscribed = true
                    listener = started
                case .unavailable(let why):
                    logger.notice(
                        "Telemetry API unavailable; invocation markers alone end the holds",
                        metadata: ["reason": "\(why)"])
                    await started.stop()
                }
            } catch {
                logger.notice(
                    "cannot start the telemetry listener; invocation markers alone end the holds",
                    metadata: ["error": "\(error)"])
            }
        }
        let metrics = UploadMetrics()
        let sink = OTLPHTTPSink(
            configuration: configuration.exporter, retryPolicy: Self.holdRetryPolicy, metrics: metrics,
            logger: logger, clock: ContinuousClock())
        var uploadConfiguration = SpoolUploader.Configuration(
            spoolDirectories: [configuration.spoolPath], destination: .otlpHTTP(configuration.exporter))
        uploadConfiguration.follow.usesInotify = false
        let drainer = SpoolDrainer(
            configuration: uploadConfiguration, sink: sink, metrics: metrics, logger: logger)
        let runner = DrainRunner(drainer: drainer, clock: clock)
        logger.info(
            "extension ready",
            metadata: [
                "strategy": "\(configuration.strategy.rawValue)", "spool": "\(configuration.spoolPath)",
                "telemetry": "\(subscribed)", "marker_watch": "\(watcher.isWatching)",
                "hold_budget_ms": "\(configuration.holdBudget.wholeMilliseconds)",
            ])
        let ticker = PeriodicTicker(
            runner: runner, clock: clock, period: configuration.period, timeout: configuration.exporter.timeout,
            logger: logger)
        if configuration.strategy == .periodic { ticker.setEnabled(true) }
        let status = await loop(
            api: api, configuration: configuration, signal: signal, watcher: watcher, runner: runner, ticker: ticker)
        ticker.stop()
        runner.cancelCurrent()
        await listener?.stop()
        await sink.shutdown()
        return status
    }

    /// Handles events until SHUTDOWN (returns 0) or a fatal Extensions API error (returns 1).
    private func loop(
        api: ExtensionsAPIClient, configuration: LambdaConfiguration, signal: InvocationEndSignal,
        watcher: MarkerWatcher, runner: DrainRunner<C>, ticker: PeriodicTicker<C>
    ) async -> Int32 {
        var cadence = InvocationCadence<C.Instant>(
            window: configuration.adaptiveWindow, maxGap: configuration.adaptiveMaxGap)
        var malformed = 0
        while true {
            let event: ExtensionEvent
            do {
                event = try await api.next()
                malformed = 0
            } catch {
                if case .malformedEvent = error, malformed < 5 {
                    malformed += 1
                    logger.warning("ignored a malformed event", metadata: ["error": "\(error)"])
                    continue
                }
                logger.error("the Extensions API failed; exiting", metadata: ["error": "\(error)"])
                try? await api.exitError(errorType: "Extension.RuntimeAPIError", message: "\(error)")
                return ExitStatus.failure
            }
            switch event {
            case .invoke(let requestID, let deadlineMs):
                let now = clock.now
                let invocationDeadline = now.advanced(by: .milliseconds(deadlineMs - unixMillis()))
                let periodic: Bool
                switch configuration.strategy {
                case .periodic: periodic = true
                case .endOfInvocation: periodic = false
                case .adaptive: periodic = cadence.record(invocationAt: now)
                }
                if configuration.strategy == .adaptive { ticker.setEnabled(periodic) }
                if periodic {
                    logger.debug("invocation, no hold (periodic)", metadata: ["request_id": "\(requestID)"])
                    continue
                }
                await hold(
                    requestID: requestID, invocationDeadline: invocationDeadline, budget: configuration.holdBudget,
                    signal: signal, pollMarker: !watcher.isWatching, runner: runner)
            case .shutdown(let reason, let deadlineMs):
                ticker.stop()
                let deadline = clock.now.advanced(
                    by: .milliseconds(deadlineMs - unixMillis()) - configuration.shutdownMargin)
                await shutdown(reason: reason, deadline: deadline, runner: runner, spoolPath: configuration.spoolPath)
                withExtendedLifetime(watcher) {}
                return ExitStatus.success
            }
        }
    }

    /// The sink's retry policy: no retry inside a hold (`maxElapsed` 0: a failed request defers the rest of the
    /// pass at once; the next attempt is a later hold, see `HoldBackoff`); `Retry-After` is not waited for inside a
    /// hold (the backoff across invocations stands for it).
    static var holdRetryPolicy: RetryPolicy {
        RetryPolicy(baseMillis: 50, capMillis: 50, maxElapsedMillis: 0, maxRetryAfterMillis: 0)
    }

    /// Reports `error` with init/error and returns the failure status.
    private func failInit(_ api: ExtensionsAPIClient, _ error: LambdaConfigurationError) async -> Int32 {
        logger.critical("configuration error", metadata: ["error": "\(error)"])
        do {
            try await api.initError(errorType: LambdaConfigurationError.errorType, message: "\(error)")
        } catch {
            logger.error("cannot report the configuration error to Lambda", metadata: ["error": "\(error)"])
        }
        return ExitStatus.failure
    }

    /// The end-of-invocation hold: waits until the function is done with `requestID` (runtimeDone or marker; at
    /// most until the invocation's deadline minus the budget), then drains for at most `budget` (and never past the
    /// invocation's deadline).
    private func hold(
        requestID: String, invocationDeadline: C.Instant, budget: Duration, signal: InvocationEndSignal,
        pollMarker: Bool, runner: DrainRunner<C>
    ) async {
        let waitStart = clock.now
        guard runner.allowsDrain(at: waitStart) else {
            // The backend failed recently: no hold at all; the spans wait in the spool.
            logger.info(
                "invocation", metadata: ["request_id": "\(requestID)", "drain": "skipped: backend down, backing off"])
            return
        }
        let ended = await signal.wait(
            for: requestID, until: invocationDeadline.advanced(by: .zero - budget), clock: clock,
            pollMarker: pollMarker)
        let start = clock.now
        let deadline = min(start.advanced(by: budget), invocationDeadline)
        // A periodic drain (adaptive mode switching back) may still run: it ends by its own deadline.
        await runner.waitIdle(until: deadline)
        let result = await runner.drain(until: deadline)
        let end = clock.now
        var metadata: Logger.Metadata = [
            "request_id": "\(requestID)", "signal": "\(ended)",
            "wait_ms": "\(waitStart.duration(to: start).wholeMilliseconds)",
            "hold_ms": "\(start.duration(to: end).wholeMilliseconds)",
        ]
        switch result {
        case .drained(let summary):
            metadata["spans"] = "\(summary.spansDelivered)"
            metadata["segments_deferred"] = "\(summary.segmentsDeferred)"
            metadata["failed_requests"] = "\(summary.failedRequests)"
        case .backingOff: metadata["drain"] = "skipped: backend down, backing off"
        case .busy: metadata["drain"] = "skipped: a drain is still running"
        case .overran: metadata["drain"] = "cut at the budget"
        }
        logger.info("invocation", metadata: metadata)
    }

    /// SHUTDOWN: drains until `deadline` (passes while something is left and time remains), logs what is left.
    private func shutdown(
        reason: ExtensionEvent.ShutdownReason, deadline: C.Instant, runner: DrainRunner<C>, spoolPath: String
    ) async {
        runner.cancelCurrent()
        await runner.waitIdle(until: deadline)
        var delivered = 0
        var passes = 0
        while clock.now < deadline, passes < 3 {
            passes += 1
            guard case .drained(let summary) = await runner.drain(until: deadline, ignoringBackoff: true) else { break }
            delivered += summary.spansDelivered
            if summary.allDelivered || summary.segmentsDeferred == 0 { break }
        }
        var segmentsLeft = 0
        var bytesLeft = 0
        if let segments = try? SpoolDirectory(path: spoolPath, create: false).segments() {
            segmentsLeft = segments.count
            bytesLeft = segments.reduce(0) { $0 + $1.sizeBytes }
        }
        let metadata: Logger.Metadata = [
            "reason": "\(reason.rawValue)", "spans_sent": "\(delivered)", "segments_left": "\(segmentsLeft)",
            "bytes_left": "\(bytesLeft)",
        ]
        if segmentsLeft > 0 {
            logger.warning(
                "shutdown: segments left in the spool (the next environment on this /tmp ships them)",
                metadata: metadata)
        } else {
            logger.notice("shutdown: spool drained", metadata: metadata)
        }
    }
}
