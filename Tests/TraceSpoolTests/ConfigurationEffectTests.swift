import Foundation
import OTLPWire
import SpoolFormat
import Testing
import Tracing
@testable import TraceSpool

extension TracerTests {
    /// Configuration that must take effect on what is written, not only be parsed: bad sampler arguments, the
    /// resource attributes in each segment header, the segment size, and the span limits.
    @Suite("Configuration effects")
    struct ConfigurationEffectTests {
        @Test(
            "a sampler argument that is not a ratio warns and records everything",
            arguments: ["nan", "NaN", "inf", "-inf", "abc", ""])
        func badSamplerArgument(_ argument: String) throws {
            let dir = TempDir("sampler-arg")
            defer { dir.cleanup() }
            let config = TracerConfiguration.fromEnvironment([
                "OTEL_TRACES_SAMPLER": "parentbased_traceidratio", "OTEL_TRACES_SAMPLER_ARG": argument,
            ])
            #expect(config.sampler == .parentBased(root: .traceIDRatio(1)))
            #expect(config.warnings.count == 1)
            #expect(config.warnings.first?.contains("OTEL_TRACES_SAMPLER_ARG") == true)
            let tracer = SpoolTracer(configuration: testConfiguration(dir) { $0.sampler = config.sampler })
            for _ in 0..<50 { tracer.withSpan("kept") { _ in } }
            #expect(tracer.shutdown())
            #expect(try readSpool(dir.spool).spans(named: "kept").count == 50)
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
        }

        @Test("a ratio sampler set in code with a ratio that is not a number does not trap")
        func nonFiniteRatioInCode() throws {
            let dir = TempDir("sampler-nan")
            defer { dir.cleanup() }
            let tracer = SpoolTracer(configuration: testConfiguration(dir) { $0.sampler = .traceIDRatio(.nan) })
            for _ in 0..<20 { tracer.withSpan("root") { _ in } }
            #expect(tracer.shutdown())
            #expect(try readSpool(dir.spool).spans(named: "root").count == 20)
            let id = TraceID(high: 7, low: .max)
            #expect(TraceSampler.traceIDRatio(.infinity).shouldSample(traceID: id, parent: nil))
            #expect(!TraceSampler.traceIDRatio(-.infinity).shouldSample(traceID: id, parent: nil))
        }

        @Test("scores and git links attached later by trace id follow the sampler's decision for that trace")
        func scoresOfDroppedTraces() throws {
            let dir = TempDir("score-sampling")
            defer { dir.cleanup() }
            let tracer = SpoolTracer(
                configuration: testConfiguration(dir) { $0.sampler = .parentBased(root: .traceIDRatio(0.5)) })
            var kept: [SpoolSpanContext] = []
            var dropped: [SpoolSpanContext] = []
            while kept.count < 5 || dropped.count < 5 {
                let root = tracer.startSpan("root")
                let context = try #require(root.context.spoolSpanContext)
                if root.isRecording { kept.append(context) } else { dropped.append(context) }
                root.end()
            }
            // With the span id (the score is that span's child) and without (a parentless span of the trace).
            for context in kept + dropped {
                tracer.score(traceID: context.traceID, spanID: context.spanID, "helpful", .boolean(true))
                tracer.score(traceID: context.traceID, "on trace", .numeric(1))
                tracer.recordGitCommit(traceID: context.traceID, spanID: context.spanID, sha: "0123456789abcdef")
            }
            #expect(tracer.shutdown())
            let spans = try readSpool(dir.spool).spans
            let keptIDs = Set(kept.map(\.traceID.description))
            #expect(Set(spans.filter { $0.name == "score: helpful" }.map(\.traceIDHex)) == keptIDs)
            #expect(Set(spans.filter { $0.name == "score: on trace" }.map(\.traceIDHex)) == keptIDs)
            #expect(spans.filter { $0.name.hasPrefix("score: ") }.count == 2 * kept.count)
            #expect(Set(spans.filter { $0.name == "git commit 0123456789ab" }.map(\.traceIDHex)) == keptIDs)
            // An always-on root rule cannot know what a remote parent decided: scores are kept.
            #expect(TraceSampler.parentBased(root: .alwaysOff).mayHaveRecorded(traceID: dropped[0].traceID))
            #expect(!TraceSampler.alwaysOff.mayHaveRecorded(traceID: kept[0].traceID))
        }

        @Test("OTEL_RESOURCE_ATTRIBUTES reach every segment header; TRACESPOOL_SEGMENT_BYTES sets the rotation size")
        func resourceAndSegmentSize() throws {
            let dir = TempDir("resource")
            defer { dir.cleanup() }
            let env = TracerConfiguration.fromEnvironment([
                "OTEL_RESOURCE_ATTRIBUTES": "deployment.environment=prod,service.name=from-resource,team=a%20b",
                "TRACESPOOL_SEGMENT_BYTES": "65536",
            ])
            #expect(env.warnings.isEmpty)
            let tracer = SpoolTracer(
                configuration: testConfiguration(dir) {
                    $0.serviceName = env.serviceName
                    $0.resourceAttributes = env.resourceAttributes
                    $0.maxSegmentBytes = env.maxSegmentBytes
                })
            // Enough incompressible bytes for several 64 KiB segments.
            var random = SystemRandomNumberGenerator()
            for i in 0..<400 {
                let noise = (0..<1_000).map { _ in
                    Character(UnicodeScalar(UInt8.random(in: 97...122, using: &random)))
                }
                tracer.startSpan("filler", attributes: [.string("noise", String(noise)), .int("i", i)]).end()
            }
            #expect(tracer.shutdown())
            let contents = try readSpool(dir.spool)
            #expect(contents.spans(named: "filler").count == 400)
            #expect(contents.headers.count >= 4, "64 KiB segments for ~400 KB of spans: \(contents.headers.count)")
            for header in contents.headers {
                let resource = try OTLPResource(decoding: header.resource)
                func value(_ key: String) -> OTLPValue? { resource.attributes.last { $0.key == key }?.value }
                #expect(value("service.name") == .string("from-resource"))
                #expect(value("deployment.environment") == .string("prod"))
                #expect(value("team") == .string("a b"))
                #expect(resource.attributes.filter { $0.key == "service.name" }.count == 1)
            }
        }

        @Test("event and link count limits drop the excess and count it in the record")
        func eventAndLinkLimits() throws {
            let dir = TempDir("event-limits")
            defer { dir.cleanup() }
            let tracer = SpoolTracer(
                configuration: testConfiguration(dir) {
                    $0.eventCountLimit = 3
                    $0.linkCountLimit = 2
                })
            let target = tracer.startSpan("target")
            let span = tracer.startSpan("limited")
            for i in 0..<5 { span.addEvent(SpanEvent(name: "event \(i)")) }
            for _ in 0..<4 { span.addLink(SpanLink(context: target.context, attributes: [:])) }
            span.end()
            target.end()
            #expect(tracer.shutdown())
            let written = try #require(readSpool(dir.spool).spans(named: "limited").first)
            #expect(written.events.map(\.name) == ["event 0", "event 1", "event 2"])
            #expect(written.droppedEventsCount == 2)
            #expect(written.links.count == 2)
            #expect(written.droppedLinksCount == 2)
        }

        @Test("a span larger than a record may be is dropped and counted; the spans around it are written")
        func recordTooLarge() throws {
            let dir = TempDir("too-large")
            defer { dir.cleanup() }
            let tracer = SpoolTracer(configuration: testConfiguration(dir))
            tracer.withSpan("before") { _ in }
            let huge = String(repeating: "x", count: 5 << 20)  // over the 4 MiB record limit
            tracer.startSpan("huge", attributes: [.string("payload", huge)]).end()
            tracer.withSpan("after") { _ in }
            #expect(tracer.flush(timeoutMillis: 60_000) == false, "a span was lost since the last flush")
            #expect(tracer.statistics.drops.counts[.recordTooLarge] == 1)
            #expect(tracer.shutdown())
            let contents = try readSpool(dir.spool)
            #expect(contents.spans(named: "before").count == 1)
            #expect(contents.spans(named: "after").count == 1)
            #expect(contents.spans(named: "huge").isEmpty)
            #expect(contents.drops.counts[.recordTooLarge] == 1)
        }
    }
}
