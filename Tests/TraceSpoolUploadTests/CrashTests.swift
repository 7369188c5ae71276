import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

/// Child entry point: when `TRACESPOOL_TEST_CHILD=writer`, writes spans into an open segment, leaves a torn
/// partial frame at its end and SIGKILLs itself while holding the segment lock. Otherwise does nothing.
@Test func childWriterEntryPoint() throws {
    let env = ProcessInfo.processInfo.environment
    guard env["TRACESPOOL_TEST_CHILD"] == "writer", let spool = env["TRACESPOOL_TEST_SPOOL"],
        let count = env["TRACESPOOL_TEST_SPANS"].flatMap(Int.init)
    else { return }
    let writer = try TestSpans.writeLive(0..<count, to: spool, perFrame: 50)
    // A torn frame: a valid-looking frame header start with no payload (the writer "died mid-write").
    try writer.appendRaw(FrameHeader.magic + [UInt8](repeating: 0x11, count: 12))
    kill(getpid(), SIGKILL)
}

@Suite(.serialized) struct CrashTests {
    @Test func aWriterKilledMidSegmentIsSalvagedAndRemoved() async throws {
        try await withTemporarySpool { spool in
            let child = try ChildProcess.startTestChild(
                entryPoint: "childWriterEntryPoint",
                environment: [
                    "TRACESPOOL_TEST_CHILD": "writer", "TRACESPOOL_TEST_SPOOL": spool.path,
                    "TRACESPOOL_TEST_SPANS": "730",
                ])
            #expect(await ChildProcess.wait(child))
            #expect(child.terminationReason == .uncaughtSignal)
            #expect(child.terminationStatus == SIGKILL)
            let segments = try SpoolDirectory(path: spool.path).segments()
            try #require(segments.count == 1)
            #expect(segments[0].state == .abandoned)

            let server = try await TestHTTPServer.start { _, _ in .ok }
            let uploader = try makeHTTPUploader(spool: spool.path, url: server.url, maxBatchSpans: 200)
            let summary = await uploader.drainOnce()
            await server.stop()
            #expect(summary.segmentsCompleted == 1)
            #expect(summary.damagedRegions == 0)  // a torn tail is not damage
            #expect(summary.tornTails == 1)
            #expect(summary.allDelivered)
            #expect(try TestSpans.indexes(server.deliveredSpans()).sorted() == Array(0..<730))
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
            #expect(files(in: spool.path, suffix: ".ack").isEmpty && files(in: spool.path, suffix: ".lease").isEmpty)
        }
    }

    @Test func sigkilledUploaderLosesNothingAndResendsAtMostOneBatchPerKill() async throws {
        let binary = ChildProcess.uploaderBinary
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build tracespool-upload first (swift build)")
        try await withTemporarySpool { spool in
            let total = 40_000
            let batch = 250
            try TestSpans.write(0..<total, to: spool.path, perFrame: 100, maxSegmentBytes: 128 << 10)
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let arguments = [
                spool.path, "--once", "--endpoint", server.url, "--max-batch-spans", String(batch),
                "--parallel-segments", "1", "--retry-base-ms", "20", "--retry-cap-ms", "100", "--no-progress",
            ]
            var kills = 0
            for _ in 0..<8 {
                let before = server.requests.count
                let p = try ChildProcess.start(binary, arguments)
                // Kill at a random moment once it has started sending (a child process: polled).
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
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(2))) func followModeShipsNewSpansAndStopsCleanlyOnSIGTERM() async throws {
        let binary = ChildProcess.uploaderBinary
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build tracespool-upload first (swift build)")
        try await withTemporarySpool { spool in
            let server = try await TestHTTPServer.start { _, _ in .ok }
            let p = try ChildProcess.start(
                binary,
                [spool.path, "--endpoint", server.url, "--max-latency-ms", "200", "--drain-deadline-ms", "5000"])
            // A live writer appends while the uploader follows.
            let writer = try TestSpans.writeLive(0..<100, to: spool.path)
            await server.waitForDeliveredSpans(100)
            try writer.seal()
            try TestSpans.write(100..<250, to: spool.path)
            await server.waitForDeliveredSpans(250)
            // Sealed and fully delivered segments are removed by a later pass of the child (polled).
            let deadline = ContinuousClock.now + .seconds(60)
            while try !SpoolDirectory(path: spool.path).segments().isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            kill(p.processIdentifier, SIGTERM)
            #expect(await ChildProcess.wait(p, timeoutSeconds: 60))
            await server.stop()
            #expect(p.terminationReason == .exit)
            #expect(p.terminationStatus == 0)
            let delivered = try TestSpans.indexes(server.deliveredSpans())
            #expect(delivered.sorted() == Array(0..<250))
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }

    @Test(.timeLimit(.minutes(2))) func sigtermWithAHangingBackendStopsAtTheDrainDeadlineAndKeepsTheSpool()
        async throws
    {
        let binary = ChildProcess.uploaderBinary
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build tracespool-upload first (swift build)")
        try await withTemporarySpool { spool in
            try TestSpans.write(0..<100, to: spool.path)
            let server = try await TestHTTPServer.start { _, _ in .hang }
            let p = try ChildProcess.start(
                binary,
                [spool.path, "--endpoint", server.url, "--timeout-ms", "600000", "--drain-deadline-ms", "300"])
            await server.waitForRequests(1)
            kill(p.processIdentifier, SIGTERM)
            // The request would hang for 10 minutes; the drain deadline cancels it.
            #expect(await ChildProcess.wait(p, timeoutSeconds: 60))
            await server.stop()
            #expect(p.terminationReason == .exit)
            #expect(try SpoolDirectory(path: spool.path).segments().count == 1)
            #expect(files(in: spool.path, suffix: ".ack").isEmpty)
        }
    }
}
