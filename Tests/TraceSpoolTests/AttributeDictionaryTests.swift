import Dispatch
import OTLPWire
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// The standard API's `span.attributes` dictionary, which moves between threads by ownership rather than under
    /// the span's lock (SpanStorage+Dictionary.swift).
    @Suite("Attribute dictionary")
    struct AttributeDictionaryTests {
        @Test("the later write wins between span.attributes[...] and setAttribute, in either order")
        func precedence() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let span = tracer.startSpan("mixed", attributes: [.string("start", "typed")])
                span.attributes["a"] = "dictionary"
                span.setAttribute("a", .string("typed"))  // newer: wins
                span.setAttribute("b", .string("typed"))
                span.attributes["b"] = "dictionary"  // newer: wins
                span.attributes["start"] = "dictionary"  // newer than the start attribute
                span.setAttribute("c", .int64(1))
                #expect(span.attributes["a"]?.toSpanAttribute() == .string("typed"))
                #expect(span.attributes["b"]?.toSpanAttribute() == .string("dictionary"))
                #expect(span.attributes.count == 4)
                span.end()
                span.attributes["late"] = "ignored"  // after end: not recorded
                tracer.shutdown()
                let s = try #require(try SpoolContents(reading: spool.path).spans(named: "mixed").first)
                #expect(s.attributes.get("a") == "typed")
                #expect(s.attributes.get("b") == "dictionary")
                #expect(s.attributes.get("start") == "dictionary")
                #expect(s.attributes.get("c") == 1)
                let raw = try #require(rawSpans(spool.path).first { $0.name == "mixed" })
                #expect(raw.attributes.count == 4)
                #expect(Set(raw.attributes.map(\.key)).count == raw.attributes.count)
            }
        }

        @Test("assigning the dictionary replaces every attribute set before")
        func replace() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let span = tracer.startSpan("replaced")
                span.setAttribute("old-typed", .string("x"))
                span.attributes["old"] = "x"
                span.attributes = ["new": "y"]
                span.setAttribute("after", .bool(true))
                span.end()
                tracer.shutdown()
                let s = try #require(try SpoolContents(reading: spool.path).spans(named: "replaced").first)
                #expect(s.attributeKeys == ["after", "new"])
                #expect(try rawSpans(spool.path).first { $0.name == "replaced" }?.attributes.count == 2)
            }
        }

        @Test("threads mutating one span's dictionary at the same time lose no attribute")
        func concurrentMutation() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.attributeCountLimit = 10_000 }
                let span = tracer.startSpan("shared")
                let threads = 4
                let perThread = 500
                DispatchQueue.concurrentPerform(iterations: threads) { t in
                    for i in 0..<perThread {
                        span.attributes["t\(t)-\(i)"] = i
                        if i % 7 == 0 { span.setAttribute("typed-t\(t)-\(i)", .int64(Int64(i))) }
                        if i % 50 == 0 { _ = span.attributes.count }
                    }
                }
                let typedPerThread = (0..<perThread).filter { $0 % 7 == 0 }.count
                #expect(span.attributes.count == threads * (perThread + typedPerThread))
                span.end()
                tracer.shutdown()
                let s = try #require(try SpoolContents(reading: spool.path).spans(named: "shared").first)
                #expect(s.attributes.count == threads * (perThread + typedPerThread))
                let raw = try #require(rawSpans(spool.path).first { $0.name == "shared" })
                #expect(raw.attributes.count == threads * (perThread + typedPerThread))
                #expect(s.droppedAttributeCount == 0)
                #expect(s.attributes.get("t3-499") == 499)
                #expect(s.attributes.get("typed-t0-497") == 497)
            }
        }

        @Test("a span ended on another thread than the one that set its attributes keeps them")
        func endOnAnotherThread() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let span = tracer.startSpan("handed-over")
                span.attributes["set.on"] = "main"
                let done = DispatchSemaphore(value: 0)
                DispatchQueue.global().async {
                    span.attributes["also.set.on"] = "worker"
                    span.end()
                    done.signal()
                }
                done.wait()
                tracer.shutdown()
                let s = try #require(try SpoolContents(reading: spool.path).spans(named: "handed-over").first)
                #expect(s.attributes.get("set.on") == "main")
                #expect(s.attributes.get("also.set.on") == "worker")
            }
        }
    }
}
