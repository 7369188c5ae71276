import Foundation
import SpoolFormat
import Testing

@testable import TraceSpoolDump

#if canImport(Glibc)
    import Glibc
#endif

/// A real process holds a segment's lock and is SIGKILLed: the segment turns from live to abandoned, and only then
/// does salvage touch it.
@Suite struct KilledWriterTests {
    static let python: String? = ["/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: python != nil)) func killedLockHolderMakesTheSegmentAbandoned() throws {
        let spool = TempSpool()
        var w: SegmentWriter? = try Fixture.writer(spool)
        try Fixture.append(w!, Fixture.agentTrace())
        let path = w!.currentSegmentPath!
        w = nil
        // The child takes the writer's lock the way a writer does (LOCK_EX on the open segment) and waits.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: Self.python!)
        child.arguments = [
            "-c",
            "import fcntl,os,sys,time\nfd=os.open(sys.argv[1],os.O_RDWR)\nfcntl.flock(fd,fcntl.LOCK_EX)\n"
                + "print('locked',flush=True)\ntime.sleep(600)",
            path,
        ]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        let line = String(decoding: pipe.fileHandleForReading.availableDataOrWait(count: 7), as: UTF8.self)
        #expect(line.hasPrefix("locked"))
        let input = try SpoolInput(path: spool.path)
        #expect(try input.segments().map(\.state) == [.live])
        #expect(SegmentSalvager().run(input: input, segments: try input.segments())[0].action == .skipped)

        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(child.terminationReason == .uncaughtSignal)
        #expect(try input.segments().map(\.state) == [.abandoned])
        let o = SegmentSalvager(removeOriginal: true).run(input: input, segments: try input.segments())[0]
        #expect(o.action == .salvaged && o.spans == 5 && o.removedOriginal)
        #expect(try input.segments().map(\.state) == [.sealed])
    }
}

extension FileHandle {
    /// Reads until `count` bytes arrived or the stream ended.
    func availableDataOrWait(count: Int) -> Data {
        var data = Data()
        while data.count < count {
            let chunk = self.availableData
            if chunk.isEmpty { break }
            data += chunk
        }
        return data
    }
}
