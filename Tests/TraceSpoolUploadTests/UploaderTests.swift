import Foundation
import MetricsTestKit
import SpoolFormat
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@Suite struct UploaderTests {
    @Test func twoUploadersOnOneSpoolNeverSendTheSameSpanTwice() async throws {
        try await withTemporarySpool { spool in
            let total = 12_000
            for start in stride(from: 0, to: total, by: 400) {
                try TestSpans.write(start..<start + 400, to: spool.path, perFrame: 50)
            }
            let segmentCount = try SpoolDirectory(path: spool.path).segments().count
            #expect(segmentCount == 30)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let a = try makeHTTPUploader(spool: spool.path, url: server.url, maxBatchSpans: 100)
            let b = try makeHTTPUploader(spool: spool.path, url: server.url, maxBatchSpans: 100)
            async let ra = a.drainOnce()
            async let rb = b.drainOnce()
            let (sa, sb) = await (ra, rb)
            await server.stop()
            #expect(sa.segmentsCompleted + sb.segmentsCompleted == segmentCount)
            let delivered = try TestSpans.indexes(server.deliveredSpans())
            var perSpan = [Int](repeating: 0, count: total)
            for i in delivered { perSpan[i] += 1 }
            #expect(perSpan.allSatisfy { $0 == 1 }, "every span delivered exactly once")
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }

    @Test func anOpenSegmentOfALiveWriterIsDrainedIncrementallyAndKeptUntilSealed() async throws {
        try await withTemporarySpool { spool in
            var writer = try TestSpans.writeLive(0..<120, to: spool.path, perFrame: 40)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url, maxBatchSpans: 50)

            let first = await uploader.drainOnce()
            #expect(first.segmentsPartial == 1)
            #expect(first.allDelivered)
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
            #expect(files(in: spool.path, suffix: ".ack").count == 1)

            try writer.append(120..<150)
            #expect(await uploader.drainOnce().segmentsPartial == 1)

            try writer.seal()
            let last = await uploader.drainOnce()
            #expect(last.segmentsCompleted == 1)
            await server.stop()
            let delivered = try TestSpans.indexes(server.deliveredSpans())
            #expect(delivered == Array(0..<150))
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
            #expect(files(in: spool.path, suffix: ".ack").isEmpty)
        }
    }

    @Test func unreadableSegmentsAreQuarantinedAndDoNotBlockTheRest() async throws {
        try await withTemporarySpool { spool in
            var broken = TestSpans.builder()
            try broken.appendFrame(spans: (0..<10).map { TestSpans.span($0) })
            broken.flipBit(at: 3)  // break the header magic
            try broken.write(into: spool.path)
            try TestSpans.write(10..<20, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url)
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(!summary.allDelivered)
            #expect(summary.segmentsFailed == 1)
            #expect(try TestSpans.indexes(server.deliveredSpans()) == Array(10..<20))
            #expect(files(in: spool.path + "/dead-letter", suffix: ".damaged").count == 1)
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }
}

/// Whether Python's `opentelemetry-proto` package can be imported.
let pythonDecoderAvailable: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import opentelemetry.proto.collector.trace.v1.trace_service_pb2"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}()

let runningInCI = ProcessInfo.processInfo.environment["CI"] == "true"

@Suite struct IndependentDecoderTests {
    /// Decodes what the uploader sent with the official Python protobuf classes. Skipped when `opentelemetry-proto`
    /// is missing, except in CI (CI=true), where its absence fails the test.
    @Test(.enabled(if: pythonDecoderAvailable || runningInCI, "pip install opentelemetry-proto to run this test"))
    func pythonOpentelemetryProtoDecodesTheRequests() async throws {
        try #require(pythonDecoderAvailable, "CI=true but python3 cannot import opentelemetry.proto")
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            try TestSpans.write(0..<700, to: spool, perFrame: 64)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let uploader = try makeHTTPUploader(spool: spool, url: server.url, maxBatchSpans: 256, compression: .gzip)
            #expect(await uploader.drainOnce().allDelivered)
            await server.stop()
            var paths: [String] = []
            for (i, r) in server.requests.enumerated() {
                let path = work.path + "/request-\(i).pb"
                try Data(r.body).write(to: URL(fileURLWithPath: path))
                paths.append(path)
            }
            try checkWithPython(paths)
        }
    }

    /// Decodes the request bodies in `paths` with Python's `opentelemetry-proto` and checks what they hold.
    private func checkWithPython(_ paths: [String]) throws {
        let script = """
            import sys, json
            from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
            out = {"spans": [], "services": set(), "scopes": set(), "parents": 0, "sessions": set()}
            for path in sys.argv[1:]:
                req = ExportTraceServiceRequest()
                req.ParseFromString(open(path, "rb").read())
                for rs in req.resource_spans:
                    for a in rs.resource.attributes:
                        if a.key == "service.name": out["services"].add(a.value.string_value)
                    for ss in rs.scope_spans:
                        out["scopes"].add(ss.scope.name + "/" + ss.scope.version)
                        for s in ss.spans:
                            out["spans"].append(int.from_bytes(s.span_id, "big") - 1)
                            if s.parent_span_id: out["parents"] += 1
                            for a in s.attributes:
                                if a.key == "session.id": out["sessions"].add(a.value.string_value)
            for k in ("services", "scopes", "sessions"): out[k] = sorted(out[k])
            print(json.dumps(out))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script] + paths
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        let decoded = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect((decoded["spans"] as? [Int])?.sorted() == Array(0..<700))
        #expect(decoded["services"] as? [String] == ["upload-test"])
        #expect(decoded["scopes"] as? [String] == ["tests/1.0"])
        #expect(decoded["parents"] as? Int == 630)
        #expect(decoded["sessions"] as? [String] == ["session-0", "session-1", "session-2"])
    }
}

@Suite struct SpoolHousekeepingTests {
    @Test func dropRecordsAreCountedAndUnknownRecordsSkipped() async throws {
        try await withTemporarySpool { spool in
            var segment = TestSpans.builder()
            try segment.appendFrame(records: [
                (.span, TestSpans.span(0).encoded()), (.drops, DropCounts([.queueFull: 5, .diskCap: 2]).encoded()),
                (RecordType(rawValue: 99), [1, 2, 3]), (.span, TestSpans.span(1).encoded()),
            ])
            try segment.write(into: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let metrics = TestMetrics()
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url, metrics: metrics)
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.writerDroppedSpans == 7)
            #expect(metrics.total(.writerDroppedSpansTotal) == 7)
            #expect(try TestSpans.indexes(server.deliveredSpans()) == [0, 1])
        }
    }

    @Test func orphanedCheckpointsAndLeasesAreRemoved() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<10, to: spool.path)
            let live = try #require(try SpoolDirectory(path: spool.path).segments().first)
            let orphan = "00000000000000000001-host-1-0000abcd"
            let orphanCheckpoint = SegmentName.checkpointFileName(base: orphan)
            let orphanLease = SegmentName.leaseFileName(base: orphan)
            for name in [orphanCheckpoint, orphanLease, "unrelated.txt"] {
                #expect(FileManager.default.createFile(atPath: spool.path + "/" + name, contents: Data("x".utf8)))
            }
            // A live writer's segment keeps its checkpoint.
            let writer = try TestSpans.writeLive(10..<20, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url)
            _ = await uploader.drainOnce()
            await server.stop()
            let names = Set((try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? [])
            #expect(!names.contains(orphanCheckpoint) && !names.contains(orphanLease))
            #expect(names.contains("unrelated.txt"))
            #expect(!names.contains(live.name.checkpointFileName))
            let openName = try #require(SegmentName(fileName: String(writer.path.split(separator: "/").last!)))
            #expect(names.contains(openName.checkpointFileName))
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<20))
            try writer.seal()
        }
    }

    @Test func deadWritersUnfinishedSegmentFilesAreRemovedOnlyWhenUnlockedAndOld() async throws {
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<10, to: spool.path)
            let old = ".00000000000000000001-host-1-0000abcd.tmp"  // a writer died while creating it
            let locked = ".00000000000000000002-host-2-0000abcd.tmp"  // a writer is creating it right now
            let young = ".00000000000000000003-host-3-0000abcd.tmp"  // too new to tell
            let foreign = ".notes.tmp"  // not a segment name: not ours to delete
            for name in [old, locked, young, foreign] {
                #expect(FileManager.default.createFile(atPath: spool.path + "/" + name, contents: Data("x".utf8)))
            }
            let twoMinutesAgo = Date().addingTimeInterval(-120)
            for name in [old, locked, foreign] {
                try FileManager.default.setAttributes(
                    [.modificationDate: twoMinutesAgo], ofItemAtPath: spool.path + "/" + name)
            }
            let lockFD = open(spool.path + "/" + locked, O_RDONLY)
            #expect(lockFD >= 0 && flock(lockFD, LOCK_EX) == 0)
            defer { close(lockFD) }
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url)
            #expect(await uploader.drainOnce().allDelivered)
            await server.stop()
            let names = Set((try? FileManager.default.contentsOfDirectory(atPath: spool.path)) ?? [])
            #expect(!names.contains(old))
            #expect(names.contains(locked))
            #expect(names.contains(young))
            #expect(names.contains(foreign))
        }
    }
}
