import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump

/// Runs the built `tracespool-dump` binary as a child process (exit codes are part of its interface).
enum DumpBinary {
    static var path: String? {
        if let env = ProcessInfo.processInfo.environment["TRACESPOOL_DUMP_BIN"] { return env }
        let root = GoldenVectors.packageRoot
        let fm = FileManager.default
        var candidates = [root + "/.build/debug/tracespool-dump"]
        // The test bundle sits next to the executable in the same build directory.
        candidates.insert(Bundle.main.bundlePath + "/../tracespool-dump", at: 0)
        for arg in [CommandLine.arguments.first ?? ""] where arg.contains("/") {
            var dir = arg
            while let slash = dir.lastIndex(of: "/"), !dir.hasSuffix("/debug"), !dir.hasSuffix("/release") {
                dir = String(dir[..<slash])
            }
            candidates.insert(dir + "/tracespool-dump", at: 0)
        }
        return candidates.first { fm.isExecutableFile(atPath: $0) }
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String]) throws -> Run {
        let binary = try #require(path, "build the tracespool-dump product first (swift build)")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
            stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite struct CLITests {
    @Test func verifyExitsZeroWhenCleanAndTwoWhenDamaged() throws {
        try withTemporarySpool { spool in
            let path = try Fixture.writeStandard(spool)
            let clean = try DumpBinary.run(["verify", spool.path])
            #expect(clean.status == 0)
            #expect(clean.stdout.contains("result: clean"))
            var segment = try Fixture.standardSegment()
            segment.flipBit(at: segment.frames[0].payloadOffset + 7, bit: 3)
            try Data(segment.bytes).write(to: URL(fileURLWithPath: path))
            let damaged = try DumpBinary.run(["verify", spool.path])
            #expect(damaged.status == 2)
            #expect(damaged.stdout.contains("payload_crc_mismatch"))
            let json = try DumpBinary.run(["verify", "--json", path])
            #expect(json.status == 2)
            let object = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object["clean"] as? Bool == false)
        }
    }

    @Test func otherExitCodes() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            #expect(try DumpBinary.run(["trace", "0a0a", spool.path]).status == 0)
            let missing = try DumpBinary.run(["trace", "ffff", spool.path])
            #expect(missing.status == 3)
            #expect(missing.stderr.contains("no span of trace ffff"))
            #expect(try DumpBinary.run(["ls", spool.path + "/nope"]).status == 1)
            #expect(try DumpBinary.run(["spans", "--since", "yesterday", spool.path]).status == 64)
            let tree = try DumpBinary.run(["tree", spool.path])
            #expect(tree.status == 0)
            #expect(!tree.stdout.contains("\u{1B}"))  // not a terminal: plain ASCII
            #expect(tree.stdout.contains("`- chat (claude, 300+20 tok) ERROR: rate limited"))
            #expect(try DumpBinary.run(["stats", "--top", "-1", spool.path]).status == 64)
            #expect(try DumpBinary.run(["tree", "--max-depth", "-2", spool.path]).status == 64)
            let colored = try DumpBinary.run(["tree", "--color", "always", spool.path])
            #expect(colored.stdout.contains("\u{1B}[31m") && colored.stdout.contains("└─ "))
            let spans = try DumpBinary.run(["spans", "--json", "--errors", spool.path])
            #expect(spans.stdout.split(separator: "\n").count == 2)
            let badTrace = try DumpBinary.run(["spans", "--trace", "xyz", spool.path])
            #expect(badTrace.status == 64)
            #expect(
                badTrace.stderr.contains("--trace xyz: expected a trace id or a prefix of one in hex (up to 32 digits)")
            )
            let deep = try DumpBinary.run(["tree", "--max-depth", "1", "--trace", "0a", spool.path])
            #expect(deep.status == 0 && deep.stdout.hasSuffix("(1 span deeper than --max-depth 1 not shown)\n"))
            let capped = try DumpBinary.run(["tree", "--max-spans", "3", spool.path])
            #expect(
                capped.stdout.hasSuffix(
                    "\n(span cap of 3 reached: 4 more spans not shown; narrow with --trace/--since/--until or raise "
                        + "--max-spans)\n"))
        }
    }

    @Test func followPrintsSpansAppendedAfterItStartedThenStopsAtTheLimit() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.append([Fixture.span(1, 1, name: "before", from: 0, to: 1)])
            let live = try segment.writeLive(into: spool.path)
            let binary = try #require(DumpBinary.path)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: binary)
            p.arguments = [
                "spans", "--follow", "--new-only", "--json", "--limit", "3", "--interval-millis", "20", spool.path,
            ]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            defer { if p.isRunning { p.terminate() } }
            // Keep appending until the follower has printed three new spans and exited (it may start polling late).
            var n: UInt8 = 2
            let deadline = Date().addingTimeInterval(60)
            while p.isRunning, Date() < deadline, n < 200 {
                try segment.append(
                    [Fixture.span(1, n, name: "after-\(n)", from: UInt64(n), to: UInt64(n) + 1)], to: live)
                n += 1
                usleep(50_000)
            }
            p.waitUntilExit()
            try live.seal()
            #expect(p.terminationStatus == 0)
            let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(
                separator: "\n")
            #expect(lines.count == 3)
            let names = lines.compactMap {
                (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])?["name"] as? String
            }
            #expect(names.count == 3 && names.allSatisfy { $0.hasPrefix("after-") })
        }
    }
}
