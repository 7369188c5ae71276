import Synchronization
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

/// A processor that keeps what it sees (and discards nothing).
final class RecordingProcessor: SpanProcessor {
    private let seen = Mutex<(starts: [StartingSpan], ends: [SpanSnapshot])>(([], []))
    var starts: [StartingSpan] { seen.withLock { $0.starts } }
    var ends: [SpanSnapshot] { seen.withLock { $0.ends } }

    func onStart(_ span: StartingSpan) { seen.withLock { $0.starts.append(span) } }

    func onEnd(_ span: SpanSnapshot) -> SpanDecision {
        seen.withLock { $0.ends.append(span) }
        return .record
    }
}

/// Counts starts and ends (the "count" example of Docs/Tracer.md, "Processors").
final class CountingProcessor: SpanProcessor {
    let started = Atomic<Int>(0)
    let ended = Atomic<Int>(0)

    func onStart(_ span: StartingSpan) { started.add(1, ordering: .relaxed) }

    func onEnd(_ span: SpanSnapshot) -> SpanDecision {
        ended.add(1, ordering: .relaxed)
        return .record
    }
}

/// Keeps only spans that failed or took at least `slowNanos` (the "keep errors" example of Docs/Tracer.md).
struct KeepErrorsAndSlowSpans: SpanProcessor {
    var slowNanos: UInt64

    func onEnd(_ span: SpanSnapshot) -> SpanDecision {
        span.isError || span.durationNanos >= slowNanos ? .record : .discard
    }
}

extension TracerTests {
    @Suite("Span processors")
    struct SpanProcessorTests {
        static let t0: UInt64 = 1_700_000_000_000_000_000

        static func at(_ nanos: UInt64) -> ManualClock.Instant {
            ManualClock.Instant(nanosecondsSinceEpoch: t0 + nanos)
        }

        @Test("onStart and onEnd see each span as the spool records it")
        func callbacksMatchTheSpool() throws {
            try withTemporarySpool { spool in
                let recorder = RecordingProcessor()
                let tracer = spool.makeQuietTracer { $0.processors = [recorder] }
                let root = tracer.startSpan(.agent, "planner")
                let child = tracer.startSpan("lookup", context: root.context, ofKind: .client, at: Self.at(10))
                child.setAttribute("lookup.key", "A-1")
                child.attributes["lookup.count"] = 3
                child.addEvent(SpanEvent(name: "retry"))
                child.setStatus(SpanStatus(code: .error, message: "not found"))
                child.end(at: Self.at(250))
                root.setStatus(SpanStatus(code: .ok))
                root.end()
                #expect(tracer.shutdown())

                let spans = try SpoolContents(reading: spool.path).spans
                #expect(spans.count == 2)
                #expect(recorder.starts.count == 2)
                #expect(recorder.ends.map(\.name) == ["lookup", "planner"])
                for recorded in spans {
                    let ended = try #require(recorder.ends.first { $0.spanID == recorded.spanID })
                    #expect(ended.name == recorded.operationName)
                    #expect(ended.traceID == recorded.traceID)
                    #expect(ended.parentSpanID == recorded.parentSpanID)
                    #expect(ended.kind == recorded.kind)
                    #expect(ended.status == recorded.status)
                    #expect(ended.startNanos == recorded.startNanosecondsSinceEpoch)
                    #expect(ended.endNanos == recorded.endNanosecondsSinceEpoch)
                    #expect(ended.attributes == recorded.attributes)
                    #expect(ended.eventCount == recorded.events.count)
                    let started = try #require(recorder.starts.first { $0.spanID == recorded.spanID })
                    #expect(started.name == recorded.operationName)
                    #expect(started.traceID == recorded.traceID)
                    #expect(started.parentSpanID == recorded.parentSpanID)
                    #expect(started.kind == recorded.kind)
                    #expect(started.startNanos == recorded.startNanosecondsSinceEpoch)
                }
                let lookup = try #require(recorder.ends.first { $0.name == "lookup" })
                #expect(lookup.durationNanos == 240)
                #expect(lookup.isError && lookup.status?.message == "not found")
                #expect(lookup.eventCount == 1)
                #expect(lookup.parentSpanID == root.spanID && !lookup.isLocalRoot)
                #expect(recorder.starts.first { $0.name == "planner" }?.type == .agent)
                #expect(recorder.ends.first { $0.name == "planner" }?.type == .agent)
                #expect(recorder.starts.first { $0.name == "lookup" }?.type == nil)
            }
        }

        @Test("a counting processor sees every recorded span once; none is discarded")
        func counting() throws {
            try withTemporarySpool { spool in
                let counter = CountingProcessor()
                let tracer = spool.makeQuietTracer { $0.processors = [counter] }
                tracer.trace("workflow") { _ in
                    for i in 0..<5 { tracer.withTool("tool-\(i)") { _ in } }
                    tracer.score("quality", .numeric(0.9))
                }
                let other = spool.makeQuietTracer()
                other.withSpan("not observed") { _ in }
                #expect(tracer.shutdown())
                #expect(other.shutdown())
                let recorded = try SpoolContents(reading: spool.path).spans.filter {
                    $0.operationName != "not observed"
                }
                #expect(recorded.count == 7)
                #expect(counter.started.load(ordering: .relaxed) == 7)
                #expect(counter.ended.load(ordering: .relaxed) == 7)
                #expect(tracer.statistics.spansDiscardedByProcessors == 0)
            }
        }

        @Test("sampling by outcome leaves out exactly the discarded spans and counts them")
        func samplingByOutcome() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.processors = [KeepErrorsAndSlowSpans(slowNanos: 1_000)] }
                var kept: Set<SpanID> = []
                var discarded: Set<SpanID> = []
                for i in 0..<12 {
                    let span = tracer.startSpan("op-\(i)", context: .topLevel, at: Self.at(0))
                    let failed = i % 4 == 0
                    let slow = i % 3 == 0
                    if failed { span.setStatus(SpanStatus(code: .error)) }
                    span.end(at: Self.at(slow ? 5_000 : 20))
                    if failed || slow { kept.insert(span.spanID!) } else { discarded.insert(span.spanID!) }
                }
                // A discarded parent's child that failed is recorded, under a parent missing from the spool.
                let parent = tracer.startSpan("fast parent", context: .topLevel, at: Self.at(0))
                let child = tracer.startSpan("failing child", context: parent.context, at: Self.at(1))
                child.setStatus(SpanStatus(code: .error))
                child.end(at: Self.at(2))
                parent.end(at: Self.at(3))
                kept.insert(child.spanID!)
                discarded.insert(parent.spanID!)
                #expect(tracer.shutdown())

                let contents = try SpoolContents(reading: spool.path)
                #expect(Set(contents.spans.map(\.spanID)) == kept)
                #expect(contents.drops.isEmpty)
                #expect(tracer.statistics.spansDiscardedByProcessors == discarded.count)
                #expect(tracer.statistics.drops.isEmpty)
                let recordedChild = try #require(contents.spans.first { $0.operationName == "failing child" })
                #expect(recordedChild.parentSpanID == parent.spanID)
            }
        }

        @Test("every processor sees every span; one discarding is enough")
        func oneDiscardIsEnough() throws {
            try withTemporarySpool { spool in
                let counter = CountingProcessor()
                let tracer = spool.makeQuietTracer {
                    $0.processors = [KeepErrorsAndSlowSpans(slowNanos: .max), counter]
                }
                tracer.withSpan("fast and fine") { _ in }
                #expect(tracer.shutdown())
                #expect(counter.ended.load(ordering: .relaxed) == 1)
                let spans = try SpoolContents(reading: spool.path).spans
                #expect(spans.isEmpty)
                #expect(tracer.statistics.spansDiscardedByProcessors == 1)
            }
        }

        @Test("a tracer without processors checks one constant")
        func noProcessors() throws {
            try withTemporarySpool { spool in
                let plain = spool.makeQuietTracer()
                #expect(plain.core?.hasProcessors == false)
                #expect(plain.core?.processors == nil)
                let observed = spool.makeQuietTracer { $0.processors = [CountingProcessor()] }
                #expect(observed.core?.hasProcessors == true)
            }
        }
    }
}
