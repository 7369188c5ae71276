import Synchronization
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

/// A minimal swift-distributed-tracing tracer that keeps its ended spans in memory.
final class InMemoryTracer: Tracer {
    struct Finished: Sendable {
        var name: String
        var id: Int
        var parentID: Int?
        var kind: SpanKind
        var startNanos: UInt64
        var endNanos: UInt64
        var attributes: SpanAttributes
        var status: SpanStatus?
    }

    enum IDKey: ServiceContextKey {
        typealias Value = Int
    }

    final class MemorySpan: Tracing.Span {
        let tracer: InMemoryTracer
        let state: Mutex<Finished>
        let context: InstrumentationContext

        init(tracer: InMemoryTracer, state: Finished, context: InstrumentationContext) {
            self.tracer = tracer
            self.state = Mutex(state)
            self.context = context
        }

        var operationName: String {
            get { state.withLock { $0.name } }
            set { state.withLock { $0.name = newValue } }
        }
        var attributes: SpanAttributes {
            get { state.withLock { $0.attributes } }
            set { state.withLock { $0.attributes = newValue } }
        }
        var isRecording: Bool { true }
        func setStatus(_ status: SpanStatus) { state.withLock { $0.status = status } }
        func addEvent(_ event: SpanEvent) {}
        func recordError<Instant: TracerInstant>(
            _ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant
        ) {}
        func addLink(_ link: SpanLink) {}
        func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
            let finished = state.withLock { s in
                s.endNanos = instant().nanosecondsSinceEpoch
                return s
            }
            tracer.finished.withLock { $0.append(finished) }
        }
    }

    let finished = Mutex<[Finished]>([])
    private let nextID = Atomic<Int>(1)

    func startSpan<Instant: TracerInstant>(
        _ operationName: String, context: @autoclosure () -> InstrumentationContext, ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant, function: String, file fileID: String, line: UInt
    ) -> MemorySpan {
        let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
        var spanContext = context()
        let parentID = spanContext[IDKey.self]
        spanContext[IDKey.self] = id
        let state = Finished(
            name: operationName, id: id, parentID: parentID, kind: kind,
            startNanos: instant().nanosecondsSinceEpoch, endNanos: 0, attributes: [:], status: nil)
        return MemorySpan(tracer: self, state: state, context: spanContext)
    }

    func forceFlush() {}
    func inject<Carrier, Inject: Injector>(
        _ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject
    ) where Inject.Carrier == Carrier {}
    func extract<Carrier, Extract: Extractor>(
        _ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract
    ) where Extract.Carrier == Carrier {}
}

extension TracerTests {
    @Suite("Mirroring processor")
    struct MirroringProcessorTests {
        @Test("spans are re-created in another tracer with their parents, times, attributes and status")
        func mirrors() throws {
            try withTemporarySpool { spool in
                let memory = InMemoryTracer()
                let tracer = spool.makeQuietTracer { $0.processors = [MirroringProcessor(tracer: memory)] }
                tracer.trace("workflow") { _ in
                    tracer.withTool("search") { tool in
                        tool.setAttribute("query.size", 3)
                        tool.setStatus(SpanStatus(code: .error, message: "timeout"))
                    }
                    tracer.withSpan("renamed") { span in span.operationName = "final name" }
                }
                #expect(tracer.shutdown())
                let recorded = try SpoolContents(reading: spool.path).spans
                let mirrored = memory.finished.withLock { $0 }
                #expect(mirrored.count == recorded.count)
                #expect(Set(mirrored.map(\.name)) == ["workflow", "search", "final name"])
                for span in recorded {
                    let mirror = try #require(mirrored.first { $0.name == span.operationName })
                    #expect(mirror.startNanos == span.startNanosecondsSinceEpoch)
                    #expect(mirror.endNanos == span.endNanosecondsSinceEpoch)
                    #expect(mirror.attributes == span.attributes)
                    #expect(mirror.status == span.status)
                    #expect(mirror.kind == span.kind)
                }
                let root = try #require(mirrored.first { $0.name == "workflow" })
                #expect(root.parentID == nil)
                #expect(mirrored.filter { $0.name != "workflow" }.allSatisfy { $0.parentID == root.id })
                #expect(mirrored.first { $0.name == "search" }?.status == SpanStatus(code: .error, message: "timeout"))
            }
        }
    }
}
