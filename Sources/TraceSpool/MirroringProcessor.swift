import Synchronization
public import Tracing

/// A `SpanProcessor` that re-creates every span of its tracer in another swift-distributed-tracing `Tracer` (an
/// OpenTelemetry exporter, a test tracer): started when the span starts, with its parent's mirror as parent, and
/// ended when it ends with the same name, kind, start and end times, attributes and status. Events and links are
/// not mirrored. It records every span it sees (`.record`), whatever other processors decide.
///
/// Spans started before the processor's tracer existed, and spans whose parent is remote, become roots of the other
/// tracer. A span that is never ended keeps its mirror (a few hundred bytes) until the process exits. Attribute
/// values reach the other tracer unredacted (see `SpanSnapshot`). The other tracer's `startSpan` and `end` run on the
/// recording thread: they must not block (see `SpanProcessor`).
///
/// ```swift
/// var configuration = TracerConfiguration.fromEnvironment()
/// configuration.processors = [MirroringProcessor(tracer: otelTracer)]
/// let tracer = SpoolTracer(configuration: configuration)
/// ```
public final class MirroringProcessor<Target: Tracer>: SpanProcessor {
    /// The tracer the spans are mirrored to.
    public let tracer: Target
    /// The mirrors of the spans that started and did not end yet, by span id.
    private let open = Mutex<[SpanID: Target.Span]>([:])

    /// A processor mirroring to `tracer`.
    public init(tracer: Target) {
        self.tracer = tracer
    }

    /// Starts the span's mirror (outside the processor's lock).
    public func onStart(_ span: StartingSpan) {
        let parent = span.parentIsRemote ? nil : span.parentSpanID.flatMap { id in open.withLock { $0[id] } }
        let mirror = tracer.startSpan(
            span.name, context: parent?.context ?? .topLevel, ofKind: span.kind,
            at: NanosecondInstant(nanosecondsSinceEpoch: span.startNanos))
        open.withLock { $0[span.spanID] = mirror }
    }

    /// Ends the span's mirror with the span's name, attributes and status; returns `.record`.
    public func onEnd(_ span: SpanSnapshot) -> SpanDecision {
        let mirror =
            open.withLock { $0.removeValue(forKey: span.spanID) }
            ?? tracer.startSpan(
                span.name, context: .topLevel, ofKind: span.kind,
                at: NanosecondInstant(nanosecondsSinceEpoch: span.startNanos))
        mirror.operationName = span.name
        mirror.updateAttributes { attributes in
            span.attributes.forEach { key, value in attributes[key] = value }
        }
        if let status = span.status { mirror.setStatus(status) }
        mirror.end(at: NanosecondInstant(nanosecondsSinceEpoch: span.endNanos))
        return .record
    }
}

/// A point in time given in nanoseconds since the Unix epoch, for the `Tracer` API's `at:` parameters.
struct NanosecondInstant: TracerInstant {
    var nanosecondsSinceEpoch: UInt64

    static func < (a: Self, b: Self) -> Bool { a.nanosecondsSinceEpoch < b.nanosecondsSinceEpoch }
}
