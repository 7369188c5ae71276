import SpoolBase
import SpoolFormat
import Tracing

extension SpoolTracer {
    /// The default of `withInvocation`'s `flushMarginMillis`: time kept before the deadline for the marker and the
    /// runtime's response after the flush, milliseconds.
    public static let defaultInvocationFlushMarginMillis = 100

    /// Runs one serverless invocation inside its SERVER span, then makes it durable and marks it done.
    ///
    /// The span is named `name`, else the detected function name (`faas.name`), else the function name in the
    /// invoked ARN, else `invocation`, and carries `faas.invocation_id`, `faas.trigger`, `faas.coldstart` (true for
    /// the first invocation of the process only) and, with an invoked ARN, `cloud.resource_id` (see
    /// `FunctionInvocation`). It is a child of the current span, if any; an incoming X-Ray trace header that parses
    /// becomes a span *link* (not the parent), so that the invocation's trace stays TraceSpool's own while pointing
    /// at the caller's. The span is current for `body`; an error thrown by `body` is recorded (status error,
    /// `exception` event, level ERROR) and rethrown after the steps below.
    ///
    /// After `body` and the end of the span: `flush(timeoutMillis:)` with
    /// `min(flushTimeoutMillis, max(0, deadline − now − flushMarginMillis))` (the configured flush timeout when the
    /// deadline is unknown; see `FunctionInvocation.flushTimeoutMillis(nowUnixMillis:marginMillis:capMillis:)`),
    /// then, whatever the flush's result, the invocation marker `invocation-<request id>.done` in the spool directory
    /// (`Spool/FORMAT.md`, "Invocation markers"), which tells an uploader running as a Lambda extension that the
    /// invocation's spans are on disk. Neither step throws into the caller: a flush that does not complete counts
    /// in `statistics.invocationFlushesIncomplete`, a marker that cannot be written in
    /// `statistics.invocationMarkersFailed` and is logged once at warning. Nothing is flushed or written when the
    /// tracer is disabled.
    public func withInvocation<T>(
        _ invocation: FunctionInvocation, name: String? = nil,
        flushMarginMillis: Int = SpoolTracer.defaultInvocationFlushMarginMillis, _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        try withInvocation(invocation, name: name, flushMarginMillis: flushMarginMillis, seams: .live, body)
    }

    /// Async variant of `withInvocation(_:name:flushMarginMillis:_:)`; the flush suspends instead of blocking, and
    /// returns at once, counted as incomplete, when the calling task is cancelled.
    public func withInvocation<T>(
        _ invocation: FunctionInvocation, name: String? = nil,
        flushMarginMillis: Int = SpoolTracer.defaultInvocationFlushMarginMillis,
        isolation: isolated (any Actor)? = #isolation, _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        try await withInvocation(invocation, name: name, flushMarginMillis: flushMarginMillis, seams: .live, body)
    }

    /// `withInvocation(_:name:flushMarginMillis:_:)` with test seams.
    func withInvocation<T>(
        _ invocation: FunctionInvocation, name: String?, flushMarginMillis: Int, seams: InvocationSeams,
        _ body: (SpoolSpan) throws -> T
    ) rethrows -> T {
        let span = startInvocationSpan(invocation, name: name)
        do {
            let value = try InstrumentationContext.$current.withValue(span.context) { try body(span) }
            span.end()
            let timeout = invocationFlushTimeout(invocation, flushMarginMillis, seams)
            finishInvocation(invocation, timeout, flushed: flushForInvocation(timeout), seams)
            return value
        } catch {
            Self.recordFailure(error, on: span)
            span.end()
            let timeout = invocationFlushTimeout(invocation, flushMarginMillis, seams)
            finishInvocation(invocation, timeout, flushed: flushForInvocation(timeout), seams)
            throw error
        }
    }

    /// Async `withInvocation(_:name:flushMarginMillis:seams:_:)`.
    func withInvocation<T>(
        _ invocation: FunctionInvocation, name: String?, flushMarginMillis: Int, seams: InvocationSeams,
        isolation: isolated (any Actor)? = #isolation, _ body: (SpoolSpan) async throws -> T
    ) async rethrows -> T {
        let span = startInvocationSpan(invocation, name: name)
        do {
            let value = try await InstrumentationContext.$current.withValue(span.context) { try await body(span) }
            span.end()
            let timeout = invocationFlushTimeout(invocation, flushMarginMillis, seams)
            finishInvocation(invocation, timeout, flushed: await flushForInvocation(timeout), seams)
            return value
        } catch {
            Self.recordFailure(error, on: span)
            span.end()
            let timeout = invocationFlushTimeout(invocation, flushMarginMillis, seams)
            finishInvocation(invocation, timeout, flushed: await flushForInvocation(timeout), seams)
            throw error
        }
    }

    /// Starts the SERVER span of `invocation` with its attributes and link.
    func startInvocationSpan(_ invocation: FunctionInvocation, name: String?) -> SpoolSpan {
        let detected = configuration.platformResource
        let spanName = name ?? detected.string("faas.name") ?? invocation.functionNameFromARN ?? "invocation"
        var attributes: [SpoolAttribute] = [
            SpoolAttribute("faas.invocation_id", .string(invocation.requestID)),
            SpoolAttribute("faas.trigger", .string(invocation.trigger.rawValue)),
            SpoolAttribute("faas.coldstart", .bool(ColdStart.take())),
        ]
        if let resourceID = invocation.resourceID(version: detected.string("faas.version")) {
            attributes.append(SpoolAttribute("cloud.resource_id", .string(resourceID)))
        }
        let span = startSpan(
            spanName, context: InstrumentationContext.current ?? .topLevel, ofKind: .server, attributes: attributes)
        if let header = invocation.traceHeader, let linked = XRayTraceHeader.parse(header) {
            var context = InstrumentationContext.topLevel
            context.spoolSpanContext = linked
            span.addLink(SpanLink(context: context, attributes: [:]))
        }
        return span
    }

    static func recordFailure(_ error: any Error, on span: SpoolSpan) {
        span.recordError(error)
        span.setStatus(SpanStatus(code: .error))
        span.setLevel(.error)
    }

    func invocationFlushTimeout(_ invocation: FunctionInvocation, _ margin: Int, _ seams: InvocationSeams) -> Int {
        invocation.flushTimeoutMillis(
            nowUnixMillis: seams.nowUnixMillis(), marginMillis: margin, capMillis: configuration.flushTimeoutMillis)
    }

    func flushForInvocation(_ timeoutMillis: Int) -> Bool {
        core == nil ? true : flush(timeoutMillis: timeoutMillis)
    }

    func flushForInvocation(_ timeoutMillis: Int) async -> Bool {
        core == nil ? true : await flush(timeoutMillis: timeoutMillis)
    }

    /// Counts an incomplete flush and writes the marker (see `withInvocation(_:name:flushMarginMillis:_:)`).
    func finishInvocation(
        _ invocation: FunctionInvocation, _ timeoutMillis: Int, flushed: Bool, _ seams: InvocationSeams
    ) {
        guard core != nil else { return }
        if !flushed { invocationCounters.flushesIncomplete.add(1, ordering: .relaxed) }
        seams.willWriteMarker?(timeoutMillis, flushed)
        do throws(SystemCallError) {
            try InvocationMarker.write(requestID: invocation.requestID, in: configuration.spoolDirectory)
        } catch {
            invocationCounters.markersFailed.add(1, ordering: .relaxed)
            if !invocationCounters.markerProblemLogged.exchange(true, ordering: .relaxed) {
                logger.warning(
                    "TraceSpool cannot write invocation markers (an uploader running as a Lambda extension then ships at the end of the invocation instead); further failures are counted only",
                    metadata: ["error": "\(error)"])
            }
        }
    }
}
