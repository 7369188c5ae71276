import Foundation
import SpoolFormat
import Synchronization
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// `SpoolTracer.withInvocation`: the SERVER span of one serverless invocation, its flush and its marker.
    @Suite("Serverless invocations")
    struct InvocationTests {
        static let traceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        static let linkedTrace = TraceID(hex: "5759e988bd862e3fe1be46a994272793")!
        static let arn = "arn:aws:lambda:eu-west-1:123456789012:function:checkout-fn:live"

        /// Seams with a fixed clock that record the flush timeout and result of each invocation.
        final class Observed: Sendable {
            let now: Int64
            let timeouts = Mutex<[(timeout: Int, flushed: Bool)]>([])
            init(now: Int64 = 1_764_720_000_000) { self.now = now }
            var seams: InvocationSeams {
                InvocationSeams(
                    nowUnixMillis: { [now] in now },
                    willWriteMarker: { timeout, flushed in self.timeouts.withLock { $0.append((timeout, flushed)) } })
            }
        }

        func markerExists(_ spool: TemporarySpool, _ id: String) -> Bool {
            FileManager.default.fileExists(atPath: spool.path + "/invocation-\(id).done")
        }

        @Test("the SERVER span carries faas.*, cloud.resource_id and a link to the X-Ray trace; coldstart once")
        func attributesLinkAndColdStart() async throws {
            ColdStart.reset()
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.platformResource = PlatformResource.detect(lambdaEnvironment) }
                let first = FunctionInvocation(
                    requestID: "req-1", invokedFunctionARN: Self.arn, traceHeader: Self.traceHeader, trigger: .http)
                let returned = tracer.withInvocation(first) { span in
                    tracer.withTool("lookup") { _ in }
                    return span.traceID
                }
                tracer.withInvocation(FunctionInvocation(requestID: "req-2")) { _ in }
                let contents = try await spool.contents()
                #expect(contents.isIntact)
                let servers = contents.spans(named: "checkout-fn")
                #expect(servers.count == 2)
                let one = try #require(servers.first { $0.string("faas.invocation_id") == "req-1" })
                let two = try #require(servers.first { $0.string("faas.invocation_id") == "req-2" })
                #expect(one.kind == .server)
                #expect(one.traceID == returned)
                #expect(one.string("faas.trigger") == "http")
                #expect(one.attributes.get("faas.coldstart") == .bool(true))
                #expect(two.attributes.get("faas.coldstart") == .bool(false))
                #expect(two.string("faas.trigger") == "other")
                #expect(
                    one.string("cloud.resource_id") == "arn:aws:lambda:eu-west-1:123456789012:function:checkout-fn:7",
                    "the alias is replaced by the function version")
                #expect(two.string("cloud.resource_id") == nil)
                #expect(one.links.count == 1)
                let link = try #require(one.links.first)
                #expect(link.traceID == Self.linkedTrace)
                #expect(link.spanID == SpanID(0x5399_5c3f_42cd_8ad8))
                #expect(link.flags & 0xFF == 1, "Sampled=1")
                #expect(one.traceID != Self.linkedTrace, "a link, not the parent")
                #expect(one.parentSpanID == nil)
                #expect(two.links.isEmpty)
                let tool = try #require(contents.span(named: "lookup"))
                #expect(tool.parentSpanID == one.spanID)
                #expect(markerExists(spool, "req-1"))
                #expect(markerExists(spool, "req-2"))
            }
        }

        @Test("the span is named as given, else faas.name, else after the ARN's function, else invocation")
        func names() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.withInvocation(FunctionInvocation(requestID: "a"), name: "given") { _ in }
                tracer.withInvocation(FunctionInvocation(requestID: "b", invokedFunctionARN: Self.arn)) { _ in }
                tracer.withInvocation(FunctionInvocation(requestID: "c", invokedFunctionARN: "not-an-arn")) { _ in }
                let spans = try await spool.spans()
                #expect(Set(spans.map(\.operationName)) == ["given", "checkout-fn", "invocation"])
                let b = try #require(spans.first { $0.operationName == "checkout-fn" })
                #expect(
                    b.string("cloud.resource_id") == "arn:aws:lambda:eu-west-1:123456789012:function:checkout-fn",
                    "no version known: the unqualified ARN")
                let c = try #require(spans.first { $0.operationName == "invocation" })
                #expect(c.string("cloud.resource_id") == "not-an-arn")
            }
        }

        @Test("the flush timeout is min(flushTimeoutMillis, deadline − now − margin), never negative")
        func flushTimeoutForDeadlines() async throws {
            try await withTemporarySpool { spool in
                let observed = Observed()
                let tracer = spool.makeQuietTracer { $0.flushTimeoutMillis = 5000 }
                let now = observed.now
                for (deadline, margin) in [
                    (now + 1500, 100), (now + 60_000, 100), (nil, 100), (now + 50, 100), (now - 10_000, 100),
                    (now + 1500, 0),
                ] as [(Int64?, Int)] {
                    tracer.withInvocation(
                        FunctionInvocation(requestID: "r", deadlineUnixMillis: deadline), name: nil,
                        flushMarginMillis: margin, seams: observed.seams
                    ) { _ in }
                }
                #expect(observed.timeouts.withLock { $0.map(\.timeout) } == [1400, 5000, 5000, 0, 0, 1500])
                #expect(markerExists(spool, "r"))
            }
        }

        @Test("flushTimeoutMillis at the extremes of Int64 and with negative arguments")
        func flushTimeoutArithmetic() {
            func timeout(_ deadline: Int64?, now: Int64, margin: Int = 100, cap: Int = 5000) -> Int {
                FunctionInvocation(requestID: "r", deadlineUnixMillis: deadline).flushTimeoutMillis(
                    nowUnixMillis: now, marginMillis: margin, capMillis: cap)
            }
            #expect(timeout(.max, now: .min) == 5000)
            #expect(timeout(.min, now: .max) == 0)
            #expect(timeout(.min, now: 0) == 0)
            #expect(timeout(.min + 50, now: 0, margin: .max) == 0)
            #expect(timeout(1000, now: 0, margin: -500) == 1000, "a negative margin reads as 0")
            #expect(timeout(1000, now: 0, cap: -1) == 0, "a negative cap reads as 0")
            #expect(timeout(nil, now: 0, cap: -1) == 0)
            #expect(timeout(1100, now: 1000) == 0, "exactly the margin left: 0")
            #expect(timeout(1101, now: 1000) == 1)
        }

        @Test("the marker is written after the flush made the invocation's spans durable")
        func markerAfterDurableSpans() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let path = spool.path
                let seen = Mutex<(spans: [String], marker: Bool, flushed: Bool)?>(nil)
                let seams = InvocationSeams(
                    nowUnixMillis: { 0 },
                    willWriteMarker: { _, flushed in
                        // What a reader of the spool sees at the moment the marker is about to appear.
                        let names = (try? SpoolContents(reading: path).spans.map(\.operationName)) ?? []
                        let marker = FileManager.default.fileExists(atPath: path + "/invocation-m-1.done")
                        seen.withLock { $0 = (names.sorted(), marker, flushed) }
                    })
                tracer.withInvocation(
                    FunctionInvocation(requestID: "m-1"), name: "fn", flushMarginMillis: 0, seams: seams
                ) {
                    _ in
                    tracer.withGeneration("chat", model: "m") { _ in }
                }
                let observed = try #require(seen.withLock { $0 })
                #expect(observed.spans == ["chat", "fn"])
                #expect(observed.marker == false)
                #expect(observed.flushed)
                #expect(markerExists(spool, "m-1"))
                #expect(tracer.statistics.invocationFlushesIncomplete == 0)
            }
        }

        @Test("a thrown error is recorded on the SERVER span and rethrown after the flush and the marker")
        func thrownError() async throws {
            struct Boom: Error {}
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                #expect(throws: Boom.self) {
                    try tracer.withInvocation(FunctionInvocation(requestID: "e-1"), name: "fn") { _ in throw Boom() }
                }
                await #expect(throws: Boom.self) {
                    try await tracer.withInvocation(FunctionInvocation(requestID: "e-2"), name: "fn") { _ in
                        await Task.yield()
                        throw Boom()
                    }
                }
                #expect(markerExists(spool, "e-1"))
                #expect(markerExists(spool, "e-2"))
                let spans = try await spool.spans()
                #expect(spans.count == 2)
                for span in spans {
                    #expect(span.status?.code == .error)
                    #expect(span.events.contains { $0.name == "exception" })
                    #expect(span.string("tracespool.level") == "ERROR")
                }
            }
        }

        @Test("the async variant: attributes, the body's task-local parent, the marker")
        func asyncVariant() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let value = await tracer.withInvocation(
                    FunctionInvocation(requestID: "as-1", traceHeader: Self.traceHeader, trigger: .pubsub), name: "fn"
                ) { _ in
                    await tracer.withTool("t") { _ in await Task.yield() }
                    return 42
                }
                #expect(value == 42)
                #expect(markerExists(spool, "as-1"))
                let contents = try await spool.contents()
                let server = try #require(contents.span(named: "fn"))
                #expect(server.string("faas.trigger") == "pubsub")
                #expect(server.links.map(\.traceID) == [Self.linkedTrace])
                #expect(try #require(contents.span(named: "t")).parentSpanID == server.spanID)
            }
        }

        @Test("garbage X-Ray headers give no link and never trap; valid ones parse in any order")
        func traceHeaders() async throws {
            let garbage = [
                "", ";", "Root=", "Parent=53995c3f42cd8ad8", "Root=1-5759e988-bd862e3fe1be46a994272793",
                "Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
                "Root=1-5759e98-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
                "Root=1-5759e988-bd862e3fe1be46a99427279z;Parent=53995c3f42cd8ad8",
                "Root=1-5759e988_bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8",
                "Root=1-00000000-000000000000000000000000;Parent=53995c3f42cd8ad8",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=0000000000000000",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=+3995c3f42cd8ad8",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8a",
                "Root=1-5759e988-bd862e3fe1be46a994272793é;Parent=53995c3f42cd8ad8",
                String(repeating: "Root=;", count: 10_000), "\u{0}\u{1}=\u{2}",
                "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01",
            ]
            for header in garbage {
                #expect(XRayTraceHeader.parse(header) == nil, "\(header.prefix(80))")
            }
            let valid = [
                Self.traceHeader, "Parent=53995c3f42cd8ad8;Sampled=1;Root=1-5759e988-bd862e3fe1be46a994272793",
                " root = 1-5759E988-BD862E3FE1BE46A994272793 ; PARENT=53995C3F42CD8AD8;sampled=1;Lineage=a87bd80c:1",
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Root=garbage",
            ]
            for header in valid {
                let parsed = try #require(XRayTraceHeader.parse(header), "\(header)")
                #expect(parsed.traceID == Self.linkedTrace)
                #expect(parsed.spanID == SpanID(0x5399_5c3f_42cd_8ad8))
                #expect(parsed.traceFlags == 1)
                #expect(parsed.isRemote)
            }
            for sampled in ["Sampled=0", "Sampled=?", "", "Sampled=yes"] {
                let header = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;\(sampled)"
                #expect(XRayTraceHeader.parse(header)?.traceFlags == 0)
            }
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                for (i, header) in garbage.enumerated() {
                    tracer.withInvocation(FunctionInvocation(requestID: "g-\(i)", traceHeader: header), name: "fn") {
                        _ in
                    }
                }
                let spans = try await spool.spans()
                #expect(spans.count == garbage.count)
                #expect(spans.allSatisfy { $0.links.isEmpty })
            }
        }

        @Test("a deadline already past: the flush is not waited for, the marker is still written, nothing throws")
        func deadlinePast() async throws {
            try await withTemporarySpool { spool in
                let observed = Observed()
                let tracer = spool.makeQuietTracer()
                let value = tracer.withInvocation(
                    FunctionInvocation(requestID: "late", deadlineUnixMillis: observed.now - 1), name: "fn",
                    flushMarginMillis: 100, seams: observed.seams
                ) { _ in "done" }
                #expect(value == "done")
                #expect(observed.timeouts.withLock { $0.map(\.timeout) } == [0])
                #expect(markerExists(spool, "late"))
                // The flush started goes on: the span becomes durable.
                let names = try await spool.spans().map(\.operationName)
                #expect(names == ["fn"])
            }
        }

        @Test("a marker that cannot be written is counted, never thrown")
        func markerFailure() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.withInvocation(FunctionInvocation(requestID: "bad/id"), name: "fn") { _ in }
                tracer.withInvocation(FunctionInvocation(requestID: "bad id"), name: "fn") { _ in }
                #expect(tracer.statistics.invocationMarkersFailed == 2)
                let count = try await spool.spans().count
                #expect(count == 2)
            }
        }

        @Test("a disabled tracer runs the body and writes no marker")
        func disabled() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.disabled = true }
                #expect(tracer.withInvocation(FunctionInvocation(requestID: "d-1")) { _ in 7 } == 7)
                #expect(!markerExists(spool, "d-1"))
            }
        }

        @Test("FunctionInvocation from the Runtime API's headers: any case, trimmed, first wins, bad deadline left out")
        func fromRuntimeHeaders() {
            let headers = [
                ("lambda-runtime-aws-request-id", " 8476a536-e9f4-11e8-9739-2dfe598c3fcd "),
                ("Lambda-Runtime-Aws-Request-Id", "second"), ("LAMBDA-RUNTIME-DEADLINE-MS", "1542409706888"),
                ("Lambda-Runtime-Invoked-Function-Arn", Self.arn), ("Lambda-Runtime-Trace-Id", Self.traceHeader),
                ("Content-Type", "application/json"),
            ]
            let invocation = FunctionInvocation(runtimeHeaders: headers, trigger: .timer)
            #expect(
                invocation
                    == FunctionInvocation(
                        requestID: "8476a536-e9f4-11e8-9739-2dfe598c3fcd", deadlineUnixMillis: 1_542_409_706_888,
                        invokedFunctionARN: Self.arn, traceHeader: Self.traceHeader, trigger: .timer))
            #expect(FunctionInvocation(runtimeHeaders: [("Lambda-Runtime-Deadline-Ms", "1")]) == nil)
            #expect(FunctionInvocation(runtimeHeaders: [("Lambda-Runtime-Aws-Request-Id", "  ")]) == nil)
            for bad in ["", "soon", "-5", "1.5", "99999999999999999999"] {
                let parsed = FunctionInvocation(runtimeHeaders: [
                    ("Lambda-Runtime-Aws-Request-Id", "r"), ("Lambda-Runtime-Deadline-Ms", bad),
                ])
                #expect(parsed?.deadlineUnixMillis == nil, "\(bad)")
                #expect(parsed?.trigger == .other)
            }
        }
    }
}
