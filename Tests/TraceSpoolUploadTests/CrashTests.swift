import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolUpload

/// Child entry point: when `TRACESPOOL_TEST_CHILD=writer`, writes spans into an open segment, leaves a torn
/// partial frame at its end and SIGKILLs itself while holding the segment lock. Otherwise does nothing.
@Test func childWriterEntryPoint() throws {
    let env = ProcessInfo.processInfo.environment
    guard env["TRACESPOOL_TEST_CHILD"] == "writer", let spool = env["TRACESPOOL_TEST_SPOOL"],
        let count = env["TRACESPOOL_TEST_SPANS"].flatMap(Int.init)
    else { return }
    let writer = try TestSpans.write(0..<count, to: spool, perFrame: 50, seal: false)
    let path = try #require(writer.currentSegmentPath)
    // A torn frame: a valid-looking frame header start with no payload (the writer "died mid-write").
    let fd = open(path, O_WRONLY | O_APPEND)
    var torn: [UInt8] = FrameHeader.magic + [UInt8](repeating: 0x11, count: 12)
    _ = write(fd, &torn, torn.count)
    fsync(fd)
    kill(getpid(), SIGKILL)
}

@Suite(.serialized) struct CrashTests {
    @Test func aWriterKilledMidSegmentIsSalvagedAndRemoved() async throws {
        let tmp = TempDirectory("dead-writer")
        defer { tmp.cleanup() }
        let child = try ChildProcess.startTestChild(
            entryPoint: "childWriterEntryPoint",
            environment: [
                "TRACESPOOL_TEST_CHILD": "writer", "TRACESPOOL_TEST_SPOOL": tmp.spool, "TRACESPOOL_TEST_SPANS": "730",
            ])
        #expect(await ChildProcess.wait(child))
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(child.terminationStatus == SIGKILL)
        let segments = try SpoolDirectory(path: tmp.spool).segments()
        try #require(segments.count == 1)
        #expect(segments[0].state == .abandoned)

        let server = try await TestHTTPServer.start { _, _ in .ok }
        let uploader = makeHTTPUploader(spool: tmp.spool, url: server.url, maxBatchSpans: 200)
        let summary = await uploader.drainOnce()
        await uploader.sink.shutdown()
        await server.stop()
        #expect(summary.segmentsCompleted == 1)
        #expect(summary.damagedRegions == 1)  // the torn tail, reported
        #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<730))
        #expect(try SpoolDirectory(path: tmp.spool).segments().isEmpty)
        #expect(files(in: tmp.spool, suffix: ".ack").isEmpty && files(in: tmp.spool, suffix: ".lease").isEmpty)
    }

    @Test func sigkilledUploaderLosesNothingAndResendsAtMostOneBatchPerKill() async throws {
        let binary = ChildProcess.uploaderBinary
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build tracespool-upload first (swift build)")
        let tmp = TempDirectory("sigkill")
        defer { tmp.cleanup() }
        let total = 40_000
        let batch = 250
        try TestSpans.write(0..<total, to: tmp.spool, perFrame: 100, maxSegmentBytes: 128 << 10)
        let server = try await TestHTTPServer.start { _, _ in .ok }
        let arguments = [
            tmp.spool, "--once", "--endpoint", server.url, "--max-batch-spans", String(batch),
            "--parallel-segments", "1", "--retry-base-ms", "20", "--retry-cap-ms", "100", "--no-progress",
        ]
        var kills = 0
        for _ in 0..<8 {
            let before = server.requests.count
            let p = try ChildProcess.start(binary, arguments)
            // Kill at a random moment once it has started sending.
            let deadline = ContinuousClock.now + .seconds(60)
            while server.requests.count == before, p.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            try await Task.sleep(for: .milliseconds(Int.random(in: 0...150)))
            if p.isRunning {
                kill(p.processIdentifier, SIGKILL)
                kills += 1
            }
            #expect(await ChildProcess.wait(p))
        }
        let final = try ChildProcess.start(binary, arguments)
        #expect(await ChildProcess.wait(final))
        await server.stop()
        #expect(final.terminationStatus == 0)
        let delivered = try TestSpans.indexes(server.deliveredSpans())
        #expect(Set(delivered) == Set(0..<total))
        let duplicates = delivered.count - Set(delivered).count
        #expect(duplicates <= kills * batch, "\(duplicates) duplicates after \(kills) kills")
        #expect(try SpoolDirectory(path: tmp.spool).segments().isEmpty)
    }

    @Test func followModeShipsNewSpansAndStopsCleanlyOnSIGTERM() async throws {
        let binary = ChildProcess.uploaderBinary
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build tracespool-upload first (swift build)")
        let tmp = TempDirectory("follow")
        defer { tmp.cleanup() }
        _ = try SpoolDirectory(path: tmp.spool)
        let server = try await TestHTTPServer.start { _, _ in .ok }
        let p = try ChildProcess.start(
            binary, [tmp.spool, "--endpoint", server.url, "--max-latency-ms", "200", "--drain-deadline-ms", "5000"])
        // A live writer appends while the uploader follows.
        let writer = try TestSpans.write(0..<100, to: tmp.spool, seal: false)
        let deadline = ContinuousClock.now + .seconds(60)
        while try server.deliveredSpans().count < 100, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        try writer.seal()
        try TestSpans.write(100..<250, to: tmp.spool)
        while try server.deliveredSpans().count < 250, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        // Sealed and fully delivered segments are removed by a later pass.
        while try !SpoolDirectory(path: tmp.spool).segments().isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        kill(p.processIdentifier, SIGTERM)
        #expect(await ChildProcess.wait(p, timeoutSeconds: 60))
        await server.stop()
        #expect(p.terminationReason == .exit)
        #expect(p.terminationStatus == 0)
        let delivered = try TestSpans.indexes(server.deliveredSpans())
        #expect(delivered.sorted() == Array(0..<250))
        #expect(try SpoolDirectory(path: tmp.spool).segments().isEmpty)
    }

    @Test func sigtermWithAHangingBackendStopsAtTheDrainDeadlineAndKeepsTheSpool() async throws {
        let binary = ChildProcess.uploaderBinary
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build tracespool-upload first (swift build)")
        let tmp = TempDirectory("deadline")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<100, to: tmp.spool)
        let server = try await TestHTTPServer.start { _, _ in .hang }
        let p = try ChildProcess.start(
            binary, [tmp.spool, "--endpoint", server.url, "--timeout-ms", "600000", "--drain-deadline-ms", "300"])
        let deadline = ContinuousClock.now + .seconds(60)
        while server.requests.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        try #require(!server.requests.isEmpty)
        kill(p.processIdentifier, SIGTERM)
        // The request would hang for 10 minutes; the drain deadline cancels it.
        #expect(await ChildProcess.wait(p, timeoutSeconds: 60))
        await server.stop()
        #expect(p.terminationReason == .exit)
        #expect(try SpoolDirectory(path: tmp.spool).segments().count == 1)
        #expect(files(in: tmp.spool, suffix: ".ack").isEmpty)
    }
}
