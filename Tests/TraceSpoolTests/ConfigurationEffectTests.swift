import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    /// Configuration that must take effect on what is written, not only be parsed: bad sampler arguments, the
    /// resource attributes in each segment header, the segment size, and the span limits.
    @Suite("Configuration effects")
    struct ConfigurationEffectTests {
        @Test(
            "a sampler argument that is not a ratio warns and records everything",
            arguments: ["nan", "NaN", "inf", "-inf", "abc", "0.5x"])
        func badSamplerArgument(_ argument: String) throws {
            try withTemporarySpool { spool in
                let config = TracerConfiguration.fromEnvironment([
                    "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": argument,
                ])
                #expect(config.sampler == .parentBased(root: .traceIDRatio(1)))
                #expect(config.warnings.count == 1)
                #expect(config.warnings.first?.contains("OTEL_TRACES_SAMPLER_ARG") == true)
                let tracer = spool.makeQuietTracer { $0.sampler = config.sampler }
                for _ in 0..<50 { tracer.withSpan("kept") { _ in } }
                #expect(tracer.shutdown())
                let read = try SpoolContents(reading: spool.path)
                #expect(read.spans(named: "kept").count == 50)
            }
        }

        @Test("sampler arguments in range are taken silently; out of range they are clamped with a warning")
        func samplerArgumentRange() {
            let quarter = TracerConfiguration.fromEnvironment([
                "OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": " 0.25 ",
            ])
            #expect(quarter.sampler == .traceIDRatio(0.25))
            #expect(quarter.warnings.isEmpty)
            let high = TracerConfiguration.fromEnvironment([
                "OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": "1.5",
            ])
            #expect(high.sampler == .traceIDRatio(1))
            #expect(high.warnings.count == 1)
            // A sampler without a ratio ignores the argument, as the OTel specification says.
            let on = TracerConfiguration.fromEnvironment([
                "OTEL_TRACES_SAMPLER": "always_on", "OTEL_TRACES_SAMPLER_ARG": "x",
            ])
            #expect(on.sampler == .alwaysOn)
            #expect(on.warnings.isEmpty)
            // Empty is unset: the default ratio, no warning.
            let empty = TracerConfiguration.fromEnvironment([
                "OTEL_TRACES_SAMPLER": "traceidratio", "OTEL_TRACES_SAMPLER_ARG": " ",
            ])
            #expect(empty.sampler == .traceIDRatio(1))
            #expect(empty.warnings.isEmpty)
        }

        @Test("a ratio sampler set in code with a ratio that is not a number does not trap")
        func nonFiniteRatioInCode() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.sampler = .traceIDRatio(.nan) }
                for _ in 0..<20 { tracer.withSpan("root") { _ in } }
                #expect(tracer.shutdown())
                let read = try SpoolContents(reading: spool.path)
                #expect(read.spans(named: "root").count == 20)
                let id = TraceID(high: 7, low: .max)
                #expect(TraceSampler.traceIDRatio(.infinity).shouldSample(traceID: id, parent: nil))
                #expect(!TraceSampler.traceIDRatio(-.infinity).shouldSample(traceID: id, parent: nil))
            }
        }

        /// Starts roots until at least 5 were kept and 5 dropped by `tracer`'s sampler.
        func keptAndDroppedRoots(
            _ tracer: SpoolTracer
        ) throws -> (kept: [SpoolSpanContext], dropped: [SpoolSpanContext]) {
            var kept: [SpoolSpanContext] = []
            var dropped: [SpoolSpanContext] = []
            while kept.count < 5 || dropped.count < 5 {
                let root = tracer.startSpan("root")
                let context = try #require(root.context.spoolSpanContext)
                if root.isRecording { kept.append(context) } else { dropped.append(context) }
                root.end()
            }
            return (kept, dropped)
        }

        /// Scores (with and without the span id) and links a commit to each trace, by id.
        func attachByID(_ tracer: SpoolTracer, _ contexts: [SpoolSpanContext]) {
            for context in contexts {
                tracer.score(traceID: context.traceID, spanID: context.spanID, "helpful", .boolean(true))
                tracer.score(traceID: context.traceID, "on trace", .numeric(1))
                tracer.recordGitCommit(traceID: context.traceID, spanID: context.spanID, sha: "0123456789abcdef")
            }
        }

        /// The trace ids (hex) of the spool's spans named `name`.
        func traces(_ spans: [RecordedSpan], named name: String) -> [String] {
            spans.filter { $0.operationName == name }.map(\.traceID.description).sorted()
        }

        @Test("with a trace-id ratio, scores and git links attached later by id are written only for kept traces")
        func attachedByIDUnderRatio() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.sampler = .traceIDRatio(0.5) }
                let (kept, dropped) = try keptAndDroppedRoots(tracer)
                attachByID(tracer, kept + dropped)
                #expect(tracer.shutdown())
                let spans = try SpoolContents(reading: spool.path).spans
                let keptIDs = kept.map(\.traceID.description).sorted()
                #expect(traces(spans, named: "score: helpful") == keptIDs)
                #expect(traces(spans, named: "score: on trace") == keptIDs)
                #expect(traces(spans, named: "git commit 0123456789ab") == keptIDs)
            }
        }

        @Test("always_off writes no score, not even for a sampled remote parent in the current context")
        func alwaysOffScores() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.sampler = .alwaysOff }
                var remote = InstrumentationContext.topLevel
                remote.spoolSpanContext = SpoolSpanContext(traceID: .random(), spanID: .random(), isRemote: true)
                InstrumentationContext.$current.withValue(remote) { tracer.score("current", .numeric(1)) }
                attachByID(tracer, [SpoolSpanContext(traceID: .random(), spanID: .random())])
                tracer.withSpan("dropped") { _ in }
                #expect(tracer.shutdown())
                let read = try SpoolContents(reading: spool.path)
                #expect(read.spans.isEmpty)
            }
        }

        @Test(
            "under a parent-based sampler, scores and links by id are written for every trace (a remote parent may have decided)",
            arguments: [TraceSampler.parentBased(root: .traceIDRatio(0.5)), .parentBased(root: .alwaysOff)])
        func attachedByIDUnderParentBased(_ sampler: TraceSampler) throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.sampler = sampler }
                // Trace ids of traces this process never saw.
                let contexts = (1...8).map { _ in SpoolSpanContext(traceID: .random(), spanID: .random()) }
                attachByID(tracer, contexts)
                // A span that joined a sampled remote parent is recorded whatever the root rule says; so are its scores.
                var remote = InstrumentationContext.topLevel
                remote.spoolSpanContext = SpoolSpanContext(traceID: .random(), spanID: .random(), isRemote: true)
                let joined = tracer.startSpan("joined", context: remote)
                #expect(joined.isRecording)
                joined.score("live", .numeric(1))
                InstrumentationContext.$current.withValue(joined.context) { tracer.score("current", .numeric(2)) }
                joined.end()
                #expect(tracer.shutdown())
                let spans = try SpoolContents(reading: spool.path).spans
                let all = contexts.map(\.traceID.description).sorted()
                #expect(traces(spans, named: "score: helpful") == all)
                #expect(traces(spans, named: "score: on trace") == all)
                #expect(traces(spans, named: "git commit 0123456789ab") == all)
                let joinedSpan = try #require(spans.first { $0.operationName == "joined" })
                for name in ["score: live", "score: current"] {
                    let score = try #require(spans.first { $0.operationName == name }, "\(name)")
                    #expect(score.parentSpanID == joinedSpan.spanID)
                }
            }
        }

        @Test("OTEL_RESOURCE_ATTRIBUTES reach every segment header; TRACESPOOL_SEGMENT_BYTES sets the rotation size")
        func resourceAndSegmentSize() throws {
            try withTemporarySpool { spool in
                let env = TracerConfiguration.fromEnvironment([
                    "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,service.name=from-resource,team=a%20b",
                    "TRACESPOOL_SEGMENT_BYTES": "65536",
                ])
                #expect(env.warnings.isEmpty)
                let tracer = spool.makeQuietTracer {
                    $0.serviceName = env.serviceName
                    $0.resourceAttributes = env.resourceAttributes
                    $0.maxSegmentBytes = env.maxSegmentBytes
                }
                // Enough incompressible bytes for several 64 KiB segments.
                var random = SystemRandomNumberGenerator()
                for i in 0..<400 {
                    let noise = (0..<1_000).map { _ in
                        Character(UnicodeScalar(UInt8.random(in: 97...122, using: &random)))
                    }
                    tracer.startSpan("filler", attributes: [.string("noise", String(noise)), .int("i", i)]).end()
                }
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans(named: "filler").count == 400)
                let segments = try SpoolDirectory(path: spool.path, create: false).segments()
                #expect(segments.count >= 4, "64 KiB segments for ~400 KB of spans: \(segments.count)")
                for segment in segments {
                    let resource = try OTLPResource(decoding: SegmentReader(path: segment.path).header.resource)
                    func value(_ key: String) -> OTLPValue? { resource.attributes.last { $0.key == key }?.value }
                    #expect(value("service.name") == .string("from-resource"))
                    #expect(value("deployment.environment") == .string("prod"))
                    #expect(value("team") == .string("a b"))
                    #expect(resource.attributes.filter { $0.key == "service.name" }.count == 1)
                }
            }
        }

        @Test("event and link count limits drop the excess and count it in the record")
        func eventAndLinkLimits() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer {
                    $0.eventCountLimit = 3
                    $0.linkCountLimit = 2
                }
                let target = tracer.startSpan("target")
                let span = tracer.startSpan("limited")
                for i in 0..<5 { span.addEvent(SpanEvent(name: "event \(i)")) }
                for _ in 0..<4 { span.addLink(SpanLink(context: target.context, attributes: [:])) }
                span.end()
                target.end()
                #expect(tracer.shutdown())
                let written = try #require(SpoolContents(reading: spool.path).spans(named: "limited").first)
                #expect(written.events.map(\.name) == ["event 0", "event 1", "event 2"])
                #expect(written.droppedEventCount == 2)
                #expect(written.links.count == 2)
                #expect(written.droppedLinkCount == 2)
            }
        }

        @Test("a span larger than a record may be is dropped and counted; the spans around it are written")
        func recordTooLarge() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.withSpan("before") { _ in }
                let huge = String(repeating: "x", count: 5 << 20)  // over the 4 MiB record limit
                tracer.startSpan("huge", attributes: [.string("payload", huge)]).end()
                tracer.withSpan("after") { _ in }
                #expect(tracer.flush(timeoutMillis: 60_000) == false, "a span was lost since the last flush")
                #expect(tracer.statistics.drops.counts[.recordTooLarge] == 1)
                #expect(tracer.shutdown())
                let contents = try SpoolContents(reading: spool.path)
                #expect(contents.spans(named: "before").count == 1)
                #expect(contents.spans(named: "after").count == 1)
                #expect(contents.spans(named: "huge").isEmpty)
                #expect(contents.drops.counts[.recordTooLarge] == 1)
            }
        }
    }
}

extension TracerTests.ConfigurationEffectTests {
    /// Every integer setting of `TracerConfiguration`, by name.
    static func integerSettings() -> [(String, WritableKeyPath<TracerConfiguration, Int>)] {
        [
            ("maxSegmentBytes", \.maxSegmentBytes), ("diskCapBytes", \.diskCapBytes),
            ("attributeCountLimit", \.attributeCountLimit), ("attributeValueLengthLimit", \.attributeValueLengthLimit),
            ("eventCountLimit", \.eventCountLimit), ("linkCountLimit", \.linkCountLimit),
            ("maxInputOutputBytes", \.maxInputOutputBytes), ("flushTimeoutMillis", \.flushTimeoutMillis),
            ("bufferBytes", \.bufferBytes), ("maxQueuedBuffers", \.maxQueuedBuffers),
            ("drainIntervalMillis", \.drainIntervalMillis),
        ]
    }

    @Test("no integer setting at Int.min, -1, 0 or Int.max traps the host: every span is written or counted as dropped")
    func extremeIntegerSettings() throws {
        for (name, keyPath) in Self.integerSettings() {
            for value in [Int.min, -1, 0, Int.max] {
                try withTemporarySpool { spool in
                    let tracer = spool.makeQuietTracer {
                        $0.flushTimeoutMillis = 10_000
                        $0[keyPath: keyPath] = value
                    }
                    let target = tracer.startSpan("target")
                    for i in 0..<50 {
                        tracer.withGeneration("g", model: "m", messages: [ChatMessage(role: "user", content: "hello")])
                        {
                            span in
                            span.setAttribute("i", .int64(Int64(i)))
                            span.setAttribute("text", .string(String(repeating: "x", count: 200)))
                            span.addEvent("event")
                            span.addLink(SpanLink(context: target.context, attributes: [:]))
                        }
                    }
                    target.end()
                    _ = tracer.flush(timeoutMillis: 10_000)
                    _ = tracer.shutdown(timeoutMillis: 10_000)
                    let contents = try SpoolContents(reading: spool.path)
                    let accounted = UInt64(contents.spans.count) + contents.drops.total
                    #expect(
                        accounted == 51, "\(name) = \(value): \(contents.spans.count) written, drops \(contents.drops)")
                }
            }
        }
    }
    @Test("token counts at the edges of Int do not trap: the default total saturates")
    func extremeUsage() throws {
        try withTemporarySpool { spool in
            let tracer = spool.makeQuietTracer()
            tracer.withGeneration("max", model: "m") { $0.setUsage(inputTokens: Int.max, outputTokens: 1) }
            tracer.withGeneration("min", model: "m") { $0.setUsage(inputTokens: Int.min, outputTokens: -1) }
            tracer.withGeneration("plain", model: "m") { $0.setUsage(inputTokens: 248, outputTokens: 80) }
            #expect(tracer.shutdown())
            let contents = try SpoolContents(reading: spool.path)
            #expect(contents.spans(named: "max").first?.int(AttributeNames.totalTokens) == Int64.max)
            #expect(contents.spans(named: "min").first?.int(AttributeNames.totalTokens) == Int64.min)
            #expect(contents.spans(named: "plain").first?.int(AttributeNames.totalTokens) == 328)
        }
    }

    @Test("absurd buffer sizes are clamped: spans are recorded and written", arguments: [Int.min, -5, 0, 1, Int.max])
    func absurdBufferBytes(_ bufferBytes: Int) throws {
        try withTemporarySpool { spool in
            let tracer = spool.makeQuietTracer { $0.bufferBytes = bufferBytes }
            for i in 0..<2_000 { tracer.startSpan("span", attributes: [.int("i", i)]).end() }
            #expect(tracer.flush(timeoutMillis: 60_000))
            #expect(tracer.shutdown())
            let read = try SpoolContents(reading: spool.path)
            #expect(read.spans(named: "span").count == 2_000)
        }
    }

    @Test("absurd time settings and timeouts neither trap nor hang")
    func absurdTimes() throws {
        try withTemporarySpool { spool in
            let env = TracerConfiguration.fromEnvironment(["TRACESPOOL_FLUSH_TIMEOUT_MS": "\(Int.max)"])
            #expect(env.flushTimeoutMillis == Int.max)
            let tracer = spool.makeQuietTracer {
                $0.flushTimeoutMillis = env.flushTimeoutMillis
                $0.drainIntervalMillis = Int.max
            }
            for _ in 0..<10 { tracer.withSpan("span") { _ in } }
            #expect(tracer.flush(timeoutMillis: Int.max))
            _ = tracer.flush(timeoutMillis: Int.min)  // must not trap
            tracer.forceFlush()
            #expect(tracer.shutdown())
            let read = try SpoolContents(reading: spool.path)
            #expect(read.spans(named: "span").count == 10)
        }
    }

    @Test("absurd time settings: the async flush neither traps nor hangs")
    func absurdTimesAsync() async throws {
        try await withTemporarySpool { spool in
            let tracer = spool.makeQuietTracer { $0.drainIntervalMillis = Int.max }
            tracer.withSpan("span") { _ in }
            #expect(await tracer.flush(timeoutMillis: Int.max))
            #expect(tracer.shutdown(timeoutMillis: Int.max))
        }
    }
}
