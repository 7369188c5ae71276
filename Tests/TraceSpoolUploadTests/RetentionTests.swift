import Foundation
import MetricsTestKit
import OTLPWire
import SpoolFormat
import SpoolTestSupport
import Synchronization
import Testing
import TraceSpoolTesting

@testable import TraceSpoolUpload
@testable import tracespool_upload

/// Retention by age (`SpoolUploader.Configuration.maxSegmentAge`): segments older than the maximum age are removed
/// unsent, counted and logged; young ones and a live writer's are uploaded. The drainer's wall clock is injected: the
/// segments' creation times (in their names) are fixed, "now" is chosen.
@Suite struct RetentionTests {
    /// "Now" for these tests, Unix nanoseconds.
    static let now: UInt64 = 1_800_000_000_000_000_000
    static let hour: UInt64 = 3_600_000_000_000

    /// A segment of spans `range` (`perFrame` a frame) created `hoursAgo` before `now`, as the test writer makes it.
    static func segment(_ range: Range<Int>, hoursAgo: UInt64, perFrame: Int = 10) throws -> SegmentBuilder {
        let created = now - hoursAgo * hour
        var builder = SegmentBuilder(
            header: SegmentHeader(
                segmentID: created, createdUnixNanos: created,
                writer: WriterIdentity(pid: 4242, host: "retention-host", startUnixNanos: created),
                resource: OTLPResource(attributes: [OTLPKeyValue("service.name", .string("upload-test"))]).serialized(),
                scope: OTLPInstrumentationScope(name: "tests", version: "1.0").serialized()))
        var i = range.lowerBound
        while i < range.upperBound {
            let end = min(range.upperBound, i + perFrame)
            try builder.appendFrame(spans: (i..<end).map { TestSpans.span($0) })
            i = end
        }
        return builder
    }

    /// A drainer of `spool` into the SQLite store `store`, with `maxAge` and the wall clock at `now`.
    static func drainer(
        _ spool: String, store: String, maxAge: Duration?, metrics: TestMetrics, logs: CapturedLogs
    ) throws -> SpoolDrainer {
        var configuration = SpoolUploader.Configuration(spoolDirectories: [spool], destination: .sqlite(path: store))
        configuration.maxSegmentAge = maxAge
        configuration.follow.maxLatency = .milliseconds(20)
        let uploadMetrics = UploadMetrics(factory: metrics)
        let sink = try SQLiteSink(path: store, logger: logs.logger(), metrics: uploadMetrics, io: .shared)
        return SpoolDrainer(
            configuration: configuration, sink: sink, metrics: uploadMetrics, logger: logs.logger(),
            nowUnixNanos: { now })
    }

    /// The span indexes in the store, sorted.
    static func storedIndexes(_ store: String) throws -> [Int] {
        try TestDatabase.query(store, "SELECT name FROM spans").compactMap { row in
            row[0].flatMap { Int($0.dropFirst("span-".count)) }
        }.sorted()
    }

    /// The spool's segment file names.
    static func segmentFiles(_ spool: String) throws -> [String] {
        try SpoolDirectory(path: spool, create: false).segments().map(\.name.fileName)
    }

    /// The warning lines about expired segments.
    static func expiryWarnings(_ logs: CapturedLogs) -> [CapturedLogs.Entry] {
        logs.entries.filter { $0.level == .warning && $0.message.hasPrefix("segment older than the maximum age") }
    }

    @Test("old segments are removed unsent, counted and logged; young ones and a live writer's are uploaded")
    func drainRemovesOldSegments() async throws {
        try await withTemporarySpool { spool in
            let oldSealed = try Self.segment(0..<30, hoursAgo: 100).write(into: spool.path)
            let oldDead = try Self.segment(30..<50, hoursAgo: 80).write(into: spool.path, as: .abandoned)
            let oldLive = try Self.segment(50..<60, hoursAgo: 90).writeLive(into: spool.path)
            defer { oldLive.abandon() }
            let young = try Self.segment(60..<100, hoursAgo: 1).write(into: spool.path)
            let store = spool.path + "/store.sqlite"
            let metrics = TestMetrics()
            let logs = CapturedLogs()
            let drainer = try Self.drainer(
                spool.path, store: store, maxAge: .seconds(72 * 3600), metrics: metrics, logs: logs)
            let summary = await drainer.pass()
            await drainer.sink.shutdown()

            #expect(summary.segmentsExpired == 2)
            #expect(summary.spansExpired == 50)
            #expect(summary.spansDelivered == 50)
            #expect(!summary.allDelivered, "expired spans were not delivered")
            #expect(try Self.storedIndexes(store) == Array(50..<100))
            let left = try Self.segmentFiles(spool.path)
            #expect(left == [FileManager.default.displayName(atPath: oldLive.path)], "only the live writer's segment")
            for path in [oldSealed, oldDead, young] { #expect(!FileManager.default.fileExists(atPath: path)) }
            #expect(metrics.total(.spansExpiredTotal) == 50)
            #expect(metrics.total(.segmentsExpiredTotal) == 2)
            let warnings = Self.expiryWarnings(logs)
            #expect(warnings.count == 2)
            let bySegment = Dictionary(uniqueKeysWithValues: warnings.map { ($0.metadata["segment"] ?? "", $0) })
            #expect(bySegment[oldSealed]?.metadata["spans"] == "30")
            #expect(bySegment[oldSealed]?.metadata["age_s"] == "360000")
            #expect(bySegment[oldDead]?.metadata["spans"] == "20")
            #expect(bySegment[oldDead]?.metadata["age_s"] == "288000")
            #expect(bySegment[oldDead]?.metadata["max_age_s"] == "259200")
            #expect(bySegment[oldSealed]?.metadata["spans_counted"] == "all")
        }
    }

    @Test("without a maximum age nothing expires: old segments are uploaded")
    func offByDefault() async throws {
        try await withTemporarySpool { spool in
            try Self.segment(0..<30, hoursAgo: 10_000).write(into: spool.path)
            let store = spool.path + "/store.sqlite"
            let metrics = TestMetrics()
            let logs = CapturedLogs()
            #expect(
                SpoolUploader.Configuration(spoolDirectories: [], destination: .sqlite(path: "")).maxSegmentAge == nil)
            let drainer = try Self.drainer(spool.path, store: store, maxAge: nil, metrics: metrics, logs: logs)
            let summary = await drainer.pass()
            await drainer.sink.shutdown()
            #expect(summary.allDelivered && summary.segmentsExpired == 0)
            #expect(try Self.storedIndexes(store) == Array(0..<30))
            #expect(Self.expiryWarnings(logs).isEmpty)
        }
    }

    @Test("a damaged expired segment: the spans of its readable frames are counted, and the warning says so")
    func damagedSegmentCountsReadableFrames() async throws {
        try await withTemporarySpool { spool in
            var builder = try Self.segment(0..<10, hoursAgo: 100)
            let damaged = try builder.appendFrame(spans: (10..<20).map { TestSpans.span($0) })
            try builder.appendFrame(spans: (20..<30).map { TestSpans.span($0) })
            builder.flipBit(at: damaged.payloadOffset + 3)
            let path = try builder.write(into: spool.path)
            let store = spool.path + "/store.sqlite"
            let metrics = TestMetrics()
            let logs = CapturedLogs()
            let drainer = try Self.drainer(
                spool.path, store: store, maxAge: .seconds(3600), metrics: metrics, logs: logs)
            let summary = await drainer.pass()
            await drainer.sink.shutdown()
            #expect(summary.segmentsExpired == 1)
            #expect(summary.spansExpired == 20)
            #expect(summary.damagedRegions == 1)
            #expect(!FileManager.default.fileExists(atPath: path))
            let warning = try #require(Self.expiryWarnings(logs).first)
            #expect(warning.metadata["spans"] == "20")
            #expect(warning.metadata["damaged_regions"] == "1")
            #expect(warning.metadata["spans_counted"] == "readable frames only")
            #expect(try Self.storedIndexes(store).isEmpty)
        }
    }

    @Test("a partly delivered segment that expires counts only the spans after its checkpoint")
    func checkpointedSegment() async throws {
        try await withTemporarySpool { spool in
            // Delivered up to the first frame's end (as a drain before the backend went down would leave it).
            let builder = try Self.segment(0..<30, hoursAgo: 100)
            let path = try builder.write(into: spool.path)
            let name = try #require(SegmentName(fileName: FileManager.default.displayName(atPath: path)))
            let firstFrame = try #require(builder.frames.first)
            try SegmentCheckpoint(offset: firstFrame.endOffset).write(to: spool.path + "/" + name.checkpointFileName)
            let metrics = TestMetrics()
            let logs = CapturedLogs()
            let drainer = try Self.drainer(
                spool.path, store: spool.path + "/store.sqlite", maxAge: .seconds(3600), metrics: metrics, logs: logs)
            let summary = await drainer.pass()
            await drainer.sink.shutdown()
            #expect(summary.spansExpired == 20)
            #expect(metrics.total(.spansExpiredTotal) == 20)
            #expect(!FileManager.default.fileExists(atPath: spool.path + "/" + name.checkpointFileName))
        }
    }

    @Test("follow mode removes a segment once it is older than the maximum age")
    func followMode() async throws {
        try await withTemporarySpool { spool in
            let old = try Self.segment(0..<10, hoursAgo: 100).write(into: spool.path)
            let young = try Self.segment(10..<20, hoursAgo: 1).write(into: spool.path)
            let store = spool.path + "/store.sqlite"
            let metrics = TestMetrics()
            let logs = CapturedLogs()
            let drainer = try Self.drainer(
                spool.path, store: store, maxAge: .seconds(72 * 3600), metrics: metrics, logs: logs)
            let following = Task { await drainer.follow() }
            // Bounded polling of the outcome (no sleeping for a fixed time).
            for _ in 0..<2000
            where FileManager.default.fileExists(atPath: old) || FileManager.default.fileExists(atPath: young) {
                try await Task.sleep(for: .milliseconds(5))
            }
            drainer.requestStop()
            let summary = await following.value
            await drainer.sink.shutdown()
            #expect(summary.segmentsExpired == 1 && summary.spansExpired == 10)
            #expect(try Self.storedIndexes(store) == Array(10..<20))
            #expect(Self.expiryWarnings(logs).count == 1)
        }
    }

    @Test("the configuration example of Docs/Uploader.md, \"Retention by age\", sets 72 hours")
    func documentationExample() throws {
        var configuration = SpoolUploader.Configuration(
            spoolDirectories: ["/var/spool/app/traces"], destination: .sqlite(path: "/var/lib/app/traces.sqlite"))
        configuration.maxSegmentAge = .seconds(72 * 3600)

        #expect(configuration.maxSegmentAge == .milliseconds(259_200_000))
        try configuration.validateDrain()
        configuration.maxSegmentAge = .zero
        #expect(throws: UploadError.invalidConfiguration(.maxSegmentAgeBelowOneMillisecond)) {
            try configuration.validateDrain()
        }
    }

    @Test("bad --max-age-ms values and TRACESPOOL_UPLOAD_MAX_AGE_MS values are configuration errors naming them")
    func badValues() async throws {
        try await withTemporarySpool { spool in
            for value in ["0", "-5", "72h"] {
                let run = try await ToolProcess.run(
                    "tracespool-upload", [spool.path, "--once", "--no-progress", "--max-age-ms", value])
                #expect(run.status == 64, "\(value): \(run.stderr)")
                #expect(run.stderr.contains("--max-age-ms"), "\(value): \(run.stderr)")
            }
            for value in ["0", "72h", "-1", "99999999999999999999"] {
                let run = try await ToolProcess.run(
                    "tracespool-upload", [spool.path, "--once", "--no-progress"],
                    environment: [MaxSegmentAge.variable: value])
                #expect(run.status == UploadExitCode.configuration, "\(value): \(run.stderr)")
                #expect(run.stderr.contains("TRACESPOOL_UPLOAD_MAX_AGE_MS must be"), "\(value): \(run.stderr)")
            }
        }
    }

    @Test("the CLI: --max-age-ms removes an old segment (exit 3, counted in the summary); the variable does too")
    func commandLine() async throws {
        try await withTemporarySpool { spool in
            // `TestSpans` segments are created in 2023 (fixed times): far older than 1 ms on the real clock.
            try TestSpans.write(0..<5, to: spool.path)
            let run = try await ToolProcess.run(
                "tracespool-upload",
                [spool.path, "--once", "--no-progress", "--sqlite", spool.path + "/s.sqlite", "--max-age-ms", "1"])
            #expect(run.status == UploadExitCode.partial, "\(run.stderr)")
            #expect(
                run.stderr.contains("segments_expired=1") && run.stderr.contains("spans_expired=5"), "\(run.stderr)")
            #expect(try Self.segmentFiles(spool.path).isEmpty)
            try TestSpans.write(5..<8, to: spool.path)
            let fromVariable = try await ToolProcess.run(
                "tracespool-upload", [spool.path, "--once", "--no-progress", "--sqlite", spool.path + "/s.sqlite"],
                environment: [MaxSegmentAge.variable: "1"])
            #expect(fromVariable.status == UploadExitCode.partial, "\(fromVariable.stderr)")
            #expect(fromVariable.stderr.contains("spans_expired=3"), "\(fromVariable.stderr)")
        }
    }
}
