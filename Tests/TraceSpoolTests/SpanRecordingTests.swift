import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Span recording")
    struct SpanRecordingTests {
        struct Failure: Error, CustomStringConvertible {
            var description: String { "tool exploded" }
        }

        @Test("every field of a span is read back from the spool")
        func roundTrip() throws {
            try withTemporarySpool(serviceName: "tracer-tests") { spool in
                let tracer = spool.makeQuietTracer()
                var remote = InstrumentationContext.topLevel
                remote.spoolSpanContext = TraceParent.parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                let linked = tracer.startSpan("linked")
                linked.end()
                let span = tracer.startSpan(
                    "GET /orders", context: remote, ofKind: .server,
                    at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_000))
                span.attributes["http.method"] = "GET"
                span.setAttribute("count", .int64(42))
                span.setAttribute("ratio", .double(0.5))
                span.setAttribute("ok", .bool(true))
                span.setAttribute("list", .stringArray(["a", "b"]))
                span.setAttribute("count", .int64(43))
                span.addEvent(
                    SpanEvent(
                        name: "cache-miss", at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 1_500),
                        attributes: ["key": "k1"]))
                span.addLink(SpanLink(context: linked.context, attributes: ["why": "batch"]))
                span.recordError(Failure())
                span.setStatus(SpanStatus(code: .error))
                span.setLevel(.error)
                span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 2_000))
                span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: 3_000))  // ignored
                #expect(tracer.flush(timeoutMillis: 30_000))
                #expect(tracer.shutdown())

                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.count == 2)
                // The hand-assembled fast paths produce the canonical encoding (what OTLPWire's encoder writes), except
                // for the field order: ids and times come last.
                for body in try rawSpanBodies(spool.path) {
                    #expect(try isCanonicalUpToFieldOrder(body))
                    // What never repeats between spans comes last, so that LZ4 finds one long match per span.
                    let tags = try #require(protobufFields(body)).map { $0[0] }
                    #expect(Array(tags.suffix(3)) == [0x12, 0x39, 0x41])  // span_id, start_time, end_time
                    #expect(tags.first == 0x0A)  // trace_id
                }
                let s = try #require(contents.spans(named: "GET /orders").first)
                #expect(s.traceID.description == "0af7651916cd43dd8448eb211c80319c")
                #expect(s.parentSpanID?.description == "b7ad6b7169203331")
                #expect(s.spanID.isValid)
                #expect(s.kind == .server)
                #expect(s.startNanosecondsSinceEpoch == 1_000)
                #expect(s.endNanosecondsSinceEpoch == 2_000)
                #expect(s.attributes.get("http.method") == "GET")
                #expect(s.attributes.get("count") == 43)
                #expect(s.attributes.get("ratio") == .double(0.5))
                #expect(s.attributes.get("ok") == .bool(true))
                #expect(s.attributes.get("list") == .stringArray(["a", "b"]))
                let raw = try #require(rawSpans(spool.path).first { $0.name == "GET /orders" })
                #expect(raw.attributes.filter { $0.key == "count" }.count == 1)
                #expect(s.status?.code == .error)
                #expect(s.status?.message == "tool exploded")
                #expect(s.attributes.get("tracespool.level") == "ERROR")
                #expect(s.events.count == 2)
                #expect(s.events[0].name == "cache-miss")
                #expect(s.events[0].nanosecondsSinceEpoch == 1_500)
                #expect(s.events[0].attributes.get("key") == "k1")
                let exception = try #require(s.events.first { $0.name == "exception" })
                #expect(exception.attributes.get("exception.message") == "tool exploded")
                #expect(exception.attributes.get("exception.type") != nil)
                #expect(s.links.count == 1)
                #expect(s.links.first?.spanID == linked.spanID)
                #expect(s.links.first?.attributes.get("why") == "batch")
                #expect(s.flags & 0x300 == 0x300)  // has-is-remote + is-remote parent
                #expect(s.resource.get("service.name") == "tracer-tests")
                #expect(s.resource.get("process.pid") != nil)
                let header = try #require(try firstSegmentHeader(spool.path))
                #expect(try OTLPInstrumentationScope(decoding: header.scope).name == "TraceSpool")
                #expect(
                    try SpoolDirectory(path: spool.path, create: false).segments().allSatisfy { $0.state == .sealed })
            }
        }

        @Test("withSpan nests spans and marks thrown errors")
        func withSpanParentChild() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                #expect(throws: Failure.self) {
                    try tracer.withSpan("parent", ofKind: .internal) { _ in
                        tracer.withSpan("child") { _ in }
                        try tracer.withSpan("failing") { _ in throw Failure() }
                    }
                }
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                let parent = try #require(contents.spans(named: "parent").first)
                let child = try #require(contents.spans(named: "child").first)
                let failing = try #require(contents.spans(named: "failing").first)
                #expect(parent.parentSpanID == nil)
                #expect(child.parentSpanID == parent.spanID)
                #expect(failing.parentSpanID == parent.spanID)
                #expect(child.traceID == parent.traceID)
                #expect(failing.status?.code == .error)
                #expect(failing.status?.message == "tool exploded")
                #expect(parent.status?.code == .error)
                #expect(child.status == nil)
            }
        }

        @Test("context propagates into child tasks and across threads")
        func propagationAcrossTasksAndThreads() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                await tracer.withSpan(.agent, "root") { root in
                    await withTaskGroup(of: Void.self) { group in
                        for i in 0..<4 {
                            group.addTask { tracer.withSpan("task-\(i)") { _ in } }
                        }
                    }
                    let context = root.context
                    let done = DispatchSemaphore(value: 0)
                    Thread {
                        tracer.withSpan("on-thread", context: context) { _ in }
                        done.signal()
                    }.start()
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        DispatchQueue.global().async {
                            done.wait()
                            c.resume()
                        }
                    }
                    await Task.detached {
                        await tracer.withSpan(.tool, "detached-with-context") { _ in await Task.yield() }
                    }.value
                }
                #expect(await tracer.flush(timeoutMillis: 30_000))
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                let root = try #require(contents.spans(named: "root").first)
                for i in 0..<4 {
                    let child = try #require(contents.spans(named: "task-\(i)").first)
                    #expect(child.parentSpanID == root.spanID)
                    #expect(child.traceID == root.traceID)
                }
                let onThread = try #require(contents.spans(named: "on-thread").first)
                #expect(onThread.parentSpanID == root.spanID)
                // A detached task does not inherit task-locals: it starts a new trace.
                let detached = try #require(contents.spans(named: "detached-with-context").first)
                #expect(detached.traceID != root.traceID)
            }
        }

        @Test("traceparent inject and extract round-trip")
        func w3cPropagation() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let span = tracer.startSpan("outgoing")
                var headers: [String: String] = [:]
                tracer.inject(span.context, into: &headers, using: DictionaryInjector())
                let header = try #require(headers["traceparent"])
                #expect(header == "00-\(span.traceID!)-\(span.spanID!)-01")
                var extracted = InstrumentationContext.topLevel
                tracer.extract(
                    ["traceparent": header, "tracestate": "vendor=1"], into: &extracted, using: HeaderExtractor())
                #expect(extracted.spoolSpanContext?.traceID == span.traceID)
                #expect(extracted.spoolSpanContext?.isRemote == true)
                #expect(extracted.spoolSpanContext?.traceState == "vendor=1")
                var bad = InstrumentationContext.topLevel
                for value in [
                    "garbage", "00-00000000000000000000000000000000-b7ad6b7169203331-01",
                    "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                ] {
                    tracer.extract(["traceparent": value], into: &bad, using: HeaderExtractor())
                }
                #expect(bad.spoolSpanContext == nil)
                span.end()
                tracer.shutdown()
            }
        }

        @Test(
            "records of every size are framed and encoded canonically (up to field order), on the fast and general paths"
        )
        func recordSizes() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                // Bodies under 128 bytes, up to 16 KiB and beyond (1-, 2- and 3-byte record lengths), fast path or not.
                let sizes = [0, 10, 90, 130, 500, 900, 20_000, 300_000]
                for size in sizes {
                    let value = String(repeating: "v", count: size)
                    tracer.startSpan(
                        "s\(size)", attributes: [.string("k", value), .int("n", size), .string("kk", "x")]
                    )
                    .end()
                    let long = tracer.startSpan("long-name-" + String(repeating: "n", count: 100))  // general path
                    long.setAttribute("k", .string(value))
                    long.setAttribute("n", .int64(Int64(size)))
                    long.setAttribute("k", .string("last"))
                    long.end()
                }
                // The standard attributes API (dictionary mode) on a typed span: type keys written once, values kept.
                let typed = tracer.startSpan(.tool, "dictionary-mode")
                typed.attributes["http.method"] = "GET"
                typed.attributes["retries"] = 2
                typed.attributes = typed.attributes
                typed.end()
                #expect(tracer.flush(timeoutMillis: 30_000))
                tracer.shutdown()
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans.count == sizes.count * 2 + 1)
                let d = try #require(contents.spans(named: "dictionary-mode").first)
                #expect(try rawSpans(spool.path).first { $0.name == "dictionary-mode" }?.attributes.count == 4)
                #expect(d.attributes.get("tracespool.span.type") == "tool")
                #expect(d.attributes.get("http.method") == "GET")
                #expect(d.attributes.get("retries") == 2)
                for body in try rawSpanBodies(spool.path) {
                    #expect(try isCanonicalUpToFieldOrder(body))
                }
                for size in sizes {
                    let s = try #require(contents.spans(named: "s\(size)").first)
                    #expect(s.string("k")?.utf8.count == size)
                    #expect(s.attributes.get("n") == .int64(Int64(size)))
                    #expect(s.attributes.get("kk") == "x")
                }
                let long = contents.spans.filter { $0.operationName.hasPrefix("long-name-") }
                #expect(long.count == sizes.count)
                #expect(long.allSatisfy { $0.attributes.get("k") == "last" && $0.attributes.count == 2 })
                let rawLong = try rawSpans(spool.path).filter { $0.name.hasPrefix("long-name-") }
                #expect(rawLong.count == sizes.count && rawLong.allSatisfy { $0.attributes.count == 2 })
            }
        }

        @Test("attribute count and value length limits are applied and counted")
        func attributeLimits() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer {
                    $0.attributeCountLimit = 3
                    $0.attributeValueLengthLimit = 5
                }
                let span = tracer.startSpan("limited")
                for i in 0..<5 { span.setAttribute("k\(i)", .string("héllo world")) }
                span.end()
                let bulk = tracer.startSpan(
                    .tool, "bulk",
                    attributes: [
                        .string("a", "x"), .int("b", 1), .double("c", 2.5), .bool("d", true), .string("a", "y"),
                    ])
                bulk.attributes = bulk.attributes  // round-trips through the dictionary without duplicating the type
                bulk.end()
                let repeated = tracer.startSpan("repeated-keys")
                for key in ["a", "a", "b", "a", "c", "d"] { repeated.setAttribute(key, .string(key + "!")) }
                repeated.setAttribute("a", .string("last"))
                repeated.end()
                let standard = tracer.startSpan("standard-api")
                for i in 0..<5 { standard.attributes["d\(i)"] = "v" }
                standard.attributes["d0"] = "again"
                #expect(standard.attributes.count == 5)
                standard.end()
                tracer.shutdown()
                let contents = try SpoolContents(reading: spool.path)
                // Attribute counts and order as encoded (a `RecordedSpan` keeps the last of repeated keys).
                let raw = try rawSpans(spool.path)
                let d = try #require(contents.spans(named: "standard-api").first)
                #expect(raw.first { $0.name == "standard-api" }?.attributes.count == 3)
                #expect(d.attributes.count == 3)
                #expect(d.droppedAttributeCount == 2)
                let b = try #require(contents.spans(named: "bulk").first)
                let rawBulk = try #require(raw.first { $0.name == "bulk" })
                #expect(b.attributes.get("tracespool.span.type") == "tool")
                #expect(b.attributes.get("openinference.span.kind") == "TOOL")
                #expect(Set(rawBulk.attributes.map(\.key)).count == rawBulk.attributes.count)
                // Type, kind, and 3 of a/b/c/d: the limit is 3 user attributes.
                #expect(rawBulk.attributes.count == 2 + 3)
                let r = try #require(contents.spans(named: "repeated-keys").first)
                let keys = try #require(raw.first { $0.name == "repeated-keys" }).attributes.map(\.key)
                #expect(keys == ["b", "c", "a"] || keys == ["a", "b", "c"])
                #expect(r.attributes.get("a") == "last")
                #expect(r.droppedAttributeCount == 1)  // "d": the fourth distinct key
                let s = try #require(contents.spans(named: "limited").first)
                #expect(raw.first { $0.name == "limited" }?.attributes.count == 3)
                #expect(s.droppedAttributeCount == 2)
                #expect(s.attributes.get("k0") == "héll")  // 5 bytes would split "é"... "h"+"é"(2)+"ll" = 5 bytes
            }
        }

        @Test("recordError records the exception event only; a thrown error marks the span failed")
        func recordErrorLeavesTheStatus() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let handled = tracer.startSpan("handled")
                handled.recordError(Failure())
                handled.end()
                let markedLater = tracer.startSpan("marked-later")
                markedLater.recordError(Failure())
                markedLater.setStatus(SpanStatus(code: .error))
                markedLater.end()
                _ = try? tracer.withSpan("thrown-standard") { _ throws(Failure) in throw Failure() }
                _ = try? tracer.withSpan(.tool, "thrown-typed") { _ throws(Failure) in throw Failure() }
                #expect(tracer.flush(timeoutMillis: 30_000))

                let contents = try spool.contents()
                let h = try #require(contents.spans(named: "handled").first)
                #expect(h.status == nil)
                #expect(h.attributes.get("tracespool.level") == nil)
                #expect(h.events.map(\.name) == ["exception"])
                #expect(h.events.first?.attributes.get("exception.message") == "tool exploded")
                let m = try #require(contents.spans(named: "marked-later").first)
                #expect(m.status == SpanStatus(code: .error, message: "tool exploded"))
                let standard = try #require(contents.spans(named: "thrown-standard").first)
                #expect(standard.status == SpanStatus(code: .error, message: "tool exploded"))
                #expect(standard.events.map(\.name) == ["exception"])
                let typed = try #require(contents.spans(named: "thrown-typed").first)
                #expect(typed.status == SpanStatus(code: .error, message: "tool exploded"))
                #expect(typed.attributes.get("tracespool.level") == "ERROR")
                #expect(typed.events.map(\.name) == ["exception"])
            }
        }
    }
}
