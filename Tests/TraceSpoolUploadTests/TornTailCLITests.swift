import Foundation
import SpoolBase
import SpoolFormat
import Testing
import TraceSpoolTesting

/// `tracespool-dump verify` and `tracespool-upload --once`, run as processes on the same spool, agree about a torn
/// tail (`Spool/FORMAT.md` §7): the unfinished last frame of a dead writer's `.open` segment is not damage for
/// either, and both name it in the same words; a sealed segment cut short is damage for both.
@Suite(.serialized) struct TornTailCLITests {
    struct Run {
        var status: Int32
        var output: String
    }

    /// Runs a tool built beside the test binary, with standard output and error captured together.
    func run(_ tool: String, _ arguments: [String]) async throws -> Run {
        let binary = URL(fileURLWithPath: ChildProcess.testBinary).deletingLastPathComponent()
            .appendingPathComponent(tool).path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build \(tool) first (swift build)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        #expect(await ChildProcess.wait(p))
        return Run(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    func upload(_ spool: String, store: String) async throws -> Run {
        try await run("tracespool-upload", [spool, "--once", "--no-progress", "--sqlite", store])
    }

    @Test("a writer SIGKILLed mid-frame: verify is clean, upload --once delivers everything and exits 0")
    func tornTailOfAKilledWriter() async throws {
        try await withTemporarySpool { work in
            let spool = work.path + "/spool"
            let child = try ChildProcess.startTestChild(
                entryPoint: "childWriterEntryPoint",
                environment: [
                    "TRACESPOOL_TEST_CHILD": "writer", "TRACESPOOL_TEST_SPOOL": spool, "TRACESPOOL_TEST_SPANS": "120",
                ])
            #expect(await ChildProcess.wait(child))
            #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
            let segments = try SpoolDirectory(path: spool).segments()
            try #require(segments.count == 1)
            #expect(segments[0].state == .abandoned)
            let reader = try SegmentReader(path: segments[0].path)
            while reader.nextFrame() != nil {}
            guard case .partialFrame(let offset, let length) = reader.tail else {
                Issue.record("no torn tail: \(reader.tail)")
                return
            }
            let note = SegmentTail.tornTailNote(offset: offset, length: length)

            let verify = try await run("tracespool-dump", ["verify", spool])
            #expect(verify.status == 0, "\(verify.output)")
            #expect(verify.output.contains(note), "\(verify.output)")
            #expect(verify.output.contains("result: clean"), "\(verify.output)")

            let upload = try await upload(spool, store: work.path + "/s.sqlite")
            #expect(upload.status == 0, "\(upload.output)")
            #expect(upload.output.contains(note), "\(upload.output)")
            #expect(upload.output.contains("torn_tails=1"), "\(upload.output)")
            #expect(upload.output.contains("damaged_regions=0"), "\(upload.output)")
            #expect(upload.output.contains("spans_sent=120"), "\(upload.output)")
            #expect(try SpoolDirectory(path: spool).segments().isEmpty, "the abandoned segment was delivered")
        }
    }

    @Test("a sealed segment cut mid-frame or at a frame boundary is damage for both tools")
    func cutSealedSegmentsAreDamage() async throws {
        for cutMidFrame in [true, false] {
            try await withTemporarySpool { work in
                let spool = work.path + "/spool"
                let writer = try SegmentWriter(directory: SpoolDirectory(path: spool, create: true))
                var payload: [UInt8] = []
                for i in 0..<3 {
                    payload.removeAll()
                    RecordEncoding.append(
                        type: .span, body: RecordedSpan(operationName: "s\(i)").encoded(), to: &payload)
                    try writer.append(payload: payload, recordCount: 1)
                }
                let open = try #require(writer.currentSegmentPath)
                try writer.close()
                let path = try #require(SegmentName.path(open, withState: .sealed))
                let reader = try SegmentReader(path: path)
                var last = 0
                while let f = reader.nextFrame() { last = f.offset }
                let seal = try #require(reader.seal, "the writer seals with a seal frame")
                #expect(truncate(path, off_t(cutMidFrame ? last + 40 : seal.offset)) == 0)
                let code = cutMidFrame ? "truncated_frame" : "seal_missing"

                let verify = try await run("tracespool-dump", ["verify", spool])
                #expect(verify.status == 2, "\(verify.output)")
                #expect(verify.output.contains(code), "\(verify.output)")
                #expect(!verify.output.contains("torn tail"), "\(verify.output)")

                let upload = try await upload(spool, store: work.path + "/s.sqlite")
                #expect(upload.status == 3, "\(upload.output)")
                #expect(upload.output.contains("reason=\(code)"), "\(upload.output)")
                #expect(upload.output.contains("torn_tails=0"), "\(upload.output)")
            }
        }
    }
}
