public import Logging
import OTLPWire
import SpoolBase
public import SpoolFormat
public import Tracing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A swift-distributed-tracing `Tracer` that writes spans as OTLP protobuf records into a crash-safe on-disk spool.
///
/// `span.end()` encodes the span on the calling thread into a per-thread buffer; one background thread appends
/// full buffers as LZ4 frames to segment files. Nothing on the caller's path waits for I/O: when the writer falls
/// behind, the disk is full or the spool reaches its cap, spans are dropped and counted (`statistics`), and the
/// counts are written into the spool as drop records. Call `flush(timeoutMillis:)` before a short-lived process
/// (a serverless function invocation) freezes or exits; `shutdown()` also runs at normal process exit.
///
/// ```swift
/// let tracer = SpoolTracer(configuration: .fromEnvironment())
/// InstrumentationSystem.bootstrap(tracer)
/// withSpan("handle-request") { span in span.attributes["user"] = "u1" }
/// tracer.forceFlush()
/// ```
public final class SpoolTracer: Tracing.Tracer, Sendable {
    /// The span type of this tracer.
    public typealias Span = SpoolSpan

    /// The configuration in force.
    public let configuration: TracerConfiguration
    let core: TracerCore?
    let logger: Logger
    /// What `withInvocation` counts.
    let invocationCounters = InvocationCounters()

    /// Creates a tracer and (unless disabled) starts its writer thread. The spool directory and first segment are
    /// created lazily by the writer; problems there are logged once and make `flush` return false, never throw.
    ///
    /// - Parameters:
    ///   - configuration: the settings (see `TracerConfiguration.fromEnvironment()`).
    ///   - logger: the tracer's own logger (default label `tracespool`, level from the configuration).
    public convenience init(configuration: TracerConfiguration = .fromEnvironment(), logger: Logger? = nil) {
        self.init(configuration: configuration, logger: logger, testHooks: nil)
    }

    /// `init(configuration:logger:)` with test seams (`TracerTestHooks`), fixed for the tracer's life.
    init(configuration: TracerConfiguration, logger: Logger?, testHooks: TracerTestHooks?) {
        self.configuration = configuration
        var log = logger ?? Logger(label: "tracespool")
        if logger == nil { log.logLevel = configuration.logLevel }
        self.logger = log
        for warning in configuration.warnings { log.warning("TraceSpool configuration: \(warning)") }
        guard !configuration.disabled else {
            self.core = nil
            log.debug("TraceSpool disabled (OTEL_SDK_DISABLED): no spool, no thread")
            return
        }
        let redactor = Redactor(configuration.redaction, logger: log)
        var options = SegmentWriterOptions(
            maxSegmentBytes: configuration.maxSegmentBytes, compress: configuration.compress,
            lz4Acceleration: Self.lz4Acceleration, resource: Self.encodedResource(configuration, redactor),
            scope: Self.encodedScope())
        options.deferSealingOnRotation = true
        let core = TracerCore(
            config: configuration.clamped, logger: log, options: options, testHooks: testHooks, redactor: redactor)
        self.core = core
        TracerCore.immortalize(core)
        core.start()
        if configuration.shutdownAtExit { ExitHook.register(core) }
        log.debug("TraceSpool tracer started", metadata: ["spool": "\(configuration.spoolDirectory)"])
    }

    /// liblz4's acceleration for the tracer's frames. On span records (ids and times last) 2 compresses as well as
    /// or better than 1 with 28 % fewer writer instructions per span (measured with callgrind: `CHANGELOG.md`, 0.1.0).
    static let lz4Acceleration = 2

    /// The version of this library, written as the instrumentation scope version.
    public static let version = PackageVersion.current

    /// Whether spans are recorded at all (false when disabled or after shutdown).
    public var isEnabled: Bool { core.map { !$0.isShutdown.load(ordering: .relaxed) } ?? false }

    // MARK: Tracer

    /// Starts a span at `instant` as a child of the span in `context` (if any): the `Tracer` requirement, which
    /// swift-distributed-tracing's `startSpan(_:context:ofKind:at:function:file:line:)` and `withSpan` call. The
    /// span is recorded only when the sampler keeps its trace; otherwise a non-recording span still carries the trace
    /// context for propagation. `function`, `file` and `line` are not recorded.
    public func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> SpoolSpan {
        if let hook = core?.testHooks?.startedAtInstant { hook() }
        return makeSpan(
            operationName, parentContext: context(), kind: kind, startNanos: instant().nanosecondsSinceEpoch)
    }

    /// Starts a span now, as a child of the span in `context` (if any), without going through `TracerInstant`
    /// generics: TraceSpool's own fast path, which every call without `at:` resolves to. End it with `end()`.
    ///
    /// - Parameters:
    ///   - operationName: the span's name.
    ///   - context: the parent's context (default: the current task-local context, else `.topLevel`); a context
    ///     without a span starts a new trace.
    ///   - kind: the span kind (default `.internal`).
    @inlinable
    public func startSpan(
        _ operationName: String, context: InstrumentationContext = .current ?? .topLevel,
        ofKind kind: SpanKind = .internal
    ) -> SpoolSpan {
        _startSpan(operationName, context: context, kind: kind, type: nil, attributes: [])
    }

    /// Starts a span now with its attributes in one step: the array becomes the span's attribute storage, so no
    /// per-attribute work happens until `end()` encodes them (the fastest way to record a span). Keys repeated in
    /// `attributes` keep their last value; beyond the count limit, attributes are counted as dropped. `context` and
    /// `kind` as in `startSpan(_:context:ofKind:)`.
    @inlinable
    public func startSpan(
        _ operationName: String, context: InstrumentationContext = .current ?? .topLevel,
        ofKind kind: SpanKind = .internal, attributes: consuming [SpoolAttribute]
    ) -> SpoolSpan {
        _startSpan(operationName, context: context, kind: kind, type: nil, attributes: attributes)
    }

    @usableFromInline
    func _startSpan(
        _ name: consuming String, context parent: InstrumentationContext, kind: SpanKind, type: SpanType?,
        attributes: consuming [SpoolAttribute]
    ) -> SpoolSpan {
        // Optional chaining on the stored reference: no retain and release of the core, which every thread shares
        // (two atomic operations per span on one cache line).
        return core?.makeSpan(
            name, parentContext: parent, kind: kind, startNanos: SystemClock.unixNanos(), type: type,
            attributes: attributes)
            ?? SpoolSpan(nonRecording: parent)
    }

    @inline(__always)
    func makeSpan(_ name: String, parentContext: InstrumentationContext, kind: SpanKind, startNanos: UInt64)
        -> SpoolSpan
    {
        core?.makeSpan(name, parentContext: parentContext, kind: kind, startNanos: startNanos)
            ?? SpoolSpan(nonRecording: parentContext)
    }

    // MARK: Instrument (W3C trace context)

    /// Writes `traceparent` (and `tracestate` when present) for the span context in `context`, and `baggage` for
    /// its W3C baggage (`InstrumentationContext.baggage`, see `Baggage.headerValue`) when that is not empty.
    public func inject<Carrier, Inject: Injector>(
        _ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {
        if let baggage = context.baggage, case let header = baggage.headerValue, !header.isEmpty {
            injector.inject(header, forKey: Baggage.headerName, into: &carrier)
        }
        guard let span = context.spoolSpanContext else { return }
        injector.inject(TraceParent.format(span), forKey: TraceParent.headerName, into: &carrier)
        if !span.traceState.isEmpty {
            injector.inject(span.traceState, forKey: TraceParent.stateHeaderName, into: &carrier)
        }
    }

    /// Reads `traceparent`/`tracestate` into `context` as a remote parent, and `baggage` into its baggage (replacing
    /// it; see `Baggage.init(header:)`); malformed headers and baggage members are ignored.
    public func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {
        if let header = extractor.extract(key: Baggage.headerName, from: carrier) {
            let baggage = Baggage(header: header)
            if !baggage.isEmpty { context.baggage = baggage }
        }
        guard let header = extractor.extract(key: TraceParent.headerName, from: carrier) else { return }
        let state = extractor.extract(key: TraceParent.stateHeaderName, from: carrier) ?? ""
        if let parsed = TraceParent.parse(header, traceState: state) { context.spoolSpanContext = parsed }
    }

    // MARK: Flush and shutdown

    /// Makes every span that ended before this call durable: written as frames and `fdatasync`ed.
    ///
    /// Safe from any thread, concurrently. Never blocks longer than `timeoutMillis` plus a few milliseconds.
    /// - Returns: true only when every such span is on disk; false on timeout (e.g. a stalled disk), an I/O
    ///   error, or when spans were dropped since the previous flush. Always true when disabled (nothing to do).
    @discardableResult
    public func flush(timeoutMillis: Int) -> Bool {
        guard let core else { return true }
        return core.flush(timeoutMillis: timeoutMillis)
    }

    /// Async variant of `flush(timeoutMillis:)`: suspends without blocking a cooperative thread.
    ///
    /// Honours cancellation: when the calling task is cancelled — before the call or while it waits — it returns false
    /// promptly instead of waiting out `timeoutMillis`. Only this caller stops waiting: the flush goes on, and other
    /// callers still get its result. (Always true when disabled.)
    @discardableResult
    public func flush(timeoutMillis: Int) async -> Bool {
        guard let core else { return true }
        return await core.flush(timeoutMillis: timeoutMillis)
    }

    /// `flush(timeoutMillis:)` that says what it secured: whether it completed (`FlushResult.completed` is what
    /// `flush` returns), why not, and the durability watermark when it returned — spans durable, spans this flush had
    /// to secure, spans dropped, and the last durable frame (segment and frame sequence). Same blocking and timeout
    /// as `flush`; never throws. When disabled: completed, with every count 0.
    public func flushResult(timeoutMillis: Int) -> FlushResult {
        guard let core else { return FlushResult(completed: true) }
        return core.flushResult(timeoutMillis: timeoutMillis)
    }

    /// Async variant of `flushResult(timeoutMillis:)`, with the cancellation of `flush(timeoutMillis:) async`: a
    /// cancelled caller gets `incompleteReason == .cancelled` and the watermark at that moment.
    public func flushResult(timeoutMillis: Int) async -> FlushResult {
        guard let core else { return FlushResult(completed: true) }
        return await core.flushResult(timeoutMillis: timeoutMillis)
    }

    /// `flush` with the configured `flushTimeoutMillis` (the `Tracer` requirement; the result is discarded).
    public func forceFlush() {
        flush(timeoutMillis: configuration.flushTimeoutMillis)
    }

    /// Stops recording, flushes, seals the open segment (renamed to `.seg`) and stops the writer thread.
    /// Idempotent: the first call starts the one shutdown; it and every later `shutdown` or `flush` wait (each up to
    /// its own timeout) for its outcome. A call that times out returns false without affecting the others; the
    /// shutdown goes on, and the exit hook still waits for it at normal process exit. Also runs at normal process
    /// exit. After it, spans are non-recording and ended ones are counted as `afterShutdown` drops.
    /// - Returns: true when everything recorded before was made durable and sealed within `timeoutMillis`
    ///   (default: the configured flush timeout); false on timeout, on an I/O error, or when spans were dropped
    ///   since the previous flush.
    @discardableResult
    public func shutdown(timeoutMillis: Int? = nil) -> Bool {
        guard let core else { return true }
        return core.shutdown(timeoutMillis: timeoutMillis ?? configuration.flushTimeoutMillis)
    }

    // MARK: Statistics

    /// Counters of this tracer since it started.
    public var statistics: TracerStatistics {
        guard let core else { return TracerStatistics() }
        return TracerStatistics(
            spansWritten: core.spansWritten.load(ordering: .relaxed),
            framesWritten: core.framesWritten.load(ordering: .relaxed),
            bytesWritten: core.bytesWritten.load(ordering: .relaxed),
            spansBuffered: core.bufferedSpans,
            drops: core.drops.totalCounts(),
            valuesRedacted: core.redactor.valuesRedacted,
            invocationFlushesIncomplete: invocationCounters.flushesIncomplete.load(ordering: .relaxed),
            invocationMarkersFailed: invocationCounters.markersFailed.load(ordering: .relaxed),
            spansDiscardedByProcessors: core.processors?.discarded.load(ordering: .relaxed) ?? 0)
    }

    // MARK: Resource

    /// The resource: `service.name`, the SDK and process attributes, the detected platform attributes (when
    /// `detectsPlatform`) and `resourceAttributes` (which win on a conflict), redacted by `redactor`.
    static func encodedResource(_ c: TracerConfiguration, _ redactor: Redactor) -> [UInt8] {
        var attributes: [OTLPKeyValue] = [
            OTLPKeyValue(AttributeNames.serviceName, .string(c.serviceName)),
            OTLPKeyValue("telemetry.sdk.name", .string("tracespool")),
            OTLPKeyValue("telemetry.sdk.language", .string("swift")),
            OTLPKeyValue("telemetry.sdk.version", .string(version)),
            OTLPKeyValue("process.pid", .int(Int64(getpid()))),
            OTLPKeyValue("host.name", .string(HostName.current)),
        ]
        // Detected attributes first, so that the user's `OTEL_RESOURCE_ATTRIBUTES` win on a conflict.
        if c.detectsPlatform {
            for detected in c.platformResource.attributes where detected.key != AttributeNames.serviceName {
                let value: OTLPValue =
                    switch detected.value {
                    case .string(let s): .string(s)
                    case .int(let i): .int(i)
                    }
                if let i = attributes.firstIndex(where: { $0.key == detected.key }) {
                    attributes[i].value = value
                } else {
                    attributes.append(OTLPKeyValue(detected.key, value))
                }
            }
        }
        for (key, value) in c.resourceAttributes where key != AttributeNames.serviceName {
            if let i = attributes.firstIndex(where: { $0.key == key }) {
                attributes[i].value = .string(value)
            } else {
                attributes.append(OTLPKeyValue(key, .string(value)))
            }
        }
        for i in attributes.indices {
            guard case .string(let value) = attributes[i].value else { continue }
            if redactor.redactsKey(attributes[i].key) {
                attributes[i].value = .string(Redactor.keyMarker)
                redactor.noteKeyRedaction()
            } else {
                attributes[i].value = .string(redactor.redact(value))
            }
        }
        return OTLPResource(attributes: attributes).serialized()
    }

    static func encodedScope() -> [UInt8] {
        OTLPInstrumentationScope(name: "TraceSpool", version: version).serialized()
    }
}

/// Counters of a `SpoolTracer`.
public struct TracerStatistics: Sendable, Equatable {
    /// Spans appended to segment files (not necessarily synced).
    public var spansWritten = 0
    /// Frames appended.
    public var framesWritten = 0
    /// Bytes appended, frame headers included.
    public var bytesWritten = 0
    /// Spans ended but still in per-thread buffers.
    public var spansBuffered = 0
    /// Spans dropped, by reason.
    public var drops = DropCounts()
    /// Values redacted before they reached the disk (`TracerConfiguration.redaction`): each attribute value, array
    /// element, status message or resource attribute that a credential or a key pattern changed counts once.
    public var valuesRedacted = 0
    /// Invocations run with `SpoolTracer.withInvocation` whose flush did not complete (timed out, failed, dropped
    /// spans, or the calling task was cancelled).
    public var invocationFlushesIncomplete = 0
    /// Invocation markers `SpoolTracer.withInvocation` could not write (the first failure is logged).
    public var invocationMarkersFailed = 0
    /// Spans a `SpanProcessor` left out of the spool (`SpanDecision.discard`): a decision, not a loss, so not in
    /// `drops` nor in the spool's drop records.
    public var spansDiscardedByProcessors = 0
}
