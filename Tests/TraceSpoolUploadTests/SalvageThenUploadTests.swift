import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting

/// `tracespool-dump salvage` followed by `tracespool-upload --once`, both real processes: every span that survived
/// is delivered exactly once, from the copy; the retired original is not shipped.
@Suite struct SalvageThenUploadTests {
    /// Runs the built executable `name` with `arguments`; its exit status.
    private func run(_ name: String, _ arguments: [String]) async throws -> Int32 {
        let binary = URL(fileURLWithPath: ChildProcess.uploaderBinary).deletingLastPathComponent()
            .appendingPathComponent(name).path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build \(name) first (swift build)")
        let p = try ChildProcess.start(binary, arguments)
        #expect(await ChildProcess.wait(p))
        #expect(p.terminationReason == .exit)
        return p.terminationStatus
    }

    @Test func salvagedSpansAreDeliveredOnce() async throws {
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            _ = try SpoolDirectory(path: spool)
            // A sealed segment of four frames of ten spans; the payload of the second frame is damaged.
            var segment = TestSpans.builder()
            var frames: [SegmentBuilder.Frame] = []
            for f in 0..<4 {
                frames.append(try segment.appendFrame(spans: (f * 10..<f * 10 + 10).map { TestSpans.span($0) }))
            }
            segment.flipBit(at: frames[1].payloadOffset + 5, bit: 2)
            _ = try segment.write(into: spool, as: .sealed)

            #expect(try await run("tracespool-dump", ["salvage", spool]) == 0)
            let server = try await TestHTTPServer.start { _, _ in .status(200) }
            let status = try await run(
                "tracespool-upload", [spool, "--once", "--no-progress", "--endpoint", server.url])
            await server.stop()
            #expect(status == 0)
            #expect(try SpoolDirectory(path: spool).segments().isEmpty)
            let delivered = try TestSpans.indexes(try server.deliveredSpans())
            #expect(delivered.sorted() == Array(0..<10) + Array(20..<40))
        }
    }
}
