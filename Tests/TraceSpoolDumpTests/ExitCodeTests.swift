import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump
@testable import tracespool_dump

/// Inputs that are not spool data make every reading command fail with status 1 and a line saying what the input is
/// not; the verify report's advice is what helps with the damage it found.
@Suite struct ExitCodeTests {
    /// Runs `command` on `input` and checks status 1 and one line on standard error containing `says`.
    private func expectRefused(_ command: String, _ input: String, says: String) throws {
        let run = try DumpBinary.run([command, input])
        #expect(run.status == DumpExitCode.failure.rawValue, "\(command) \(input): \(run.stderr)")
        #expect(run.stderr.hasPrefix("tracespool-dump: ") && run.stderr.contains(says), "\(command): \(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(command): \(run.stderr)")
        #expect(run.stdout.isEmpty, "\(command): \(run.stdout)")
    }

    @Test func inputsThatAreNotSpoolDataAreRefused() throws {
        try withTemporarySpool { work in
            let text = work.path + "/notes.txt"
            try Data("hello, these are notes\n".utf8).write(to: URL(fileURLWithPath: text))
            let foreign = work.path + "/foreign"
            try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: false)
            for name in ["a.txt", "b.log"] {
                try Data("x".utf8).write(to: URL(fileURLWithPath: foreign + "/" + name))
            }
            let sqlite = work.path + "/other.sqlite"
            try TestDatabase.execute(sqlite, "CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('x');")
            for command in ["spans", "tree", "stats", "ls"] {
                try expectRefused(command, text, says: "is not a spool segment file")
                try expectRefused(command, foreign, says: "is not a spool directory: none of its 2 entries")
                try expectRefused(command, "/dev/null", says: "/dev/null is a character device, not a spool")
            }
            for command in ["spans", "tree"] {
                try expectRefused(command, sqlite, says: "cannot read the spans table of the SQLite trace store")
            }
            for command in ["stats", "ls"] {
                let run = try DumpBinary.run([command, sqlite])
                #expect(
                    run.status == DumpExitCode.usage.rawValue && run.stderr.contains("is a SQLite file, not a spool"))
            }
            // An empty directory is a spool whose segments were all delivered.
            let empty = work.path + "/empty"
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
            let ls = try DumpBinary.run(["ls", empty])
            #expect(ls.status == 0 && ls.stdout == "no segments\n")
        }
    }

    @Test func verifyAdvisesWhatHelps() throws {
        try withTemporarySpool { spool in
            // A segment whose header is unreadable: salvage cannot copy anything from it.
            var unreadable = Fixture.segment(created: Fixture.t0)
            try unreadable.appendFrame(spans: [RecordedSpan(operationName: "lost")])
            unreadable.flipBit(at: 20)
            try unreadable.write(into: spool.path)
            let headerOnly = try DumpBinary.run(["verify", spool.path])
            #expect(headerOnly.status == DumpExitCode.damaged.rawValue)
            #expect(!headerOnly.stdout.contains("tracespool-dump verify"), "\(headerOnly.stdout)")
            #expect(!headerOnly.stdout.contains("run `tracespool-dump salvage`"), "\(headerOnly.stdout)")
            #expect(headerOnly.stdout.contains("salvage skips it"), "\(headerOnly.stdout)")
            // Add a segment with a damaged frame: now salvage helps with that one.
            var damaged = Fixture.segment(created: Fixture.t0 + 1_000)
            let frame = try damaged.appendFrame(spans: [RecordedSpan(operationName: "kept")])
            try damaged.appendFrame(spans: [RecordedSpan(operationName: "kept too")])
            damaged.flipBit(at: frame.payloadOffset + 3)
            try damaged.write(into: spool.path)
            let both = try DumpBinary.run(["verify", spool.path])
            #expect(both.stdout.contains("run `tracespool-dump salvage` to copy the readable frames"), "\(both.stdout)")
            #expect(!both.stdout.contains("tracespool-dump verify"), "\(both.stdout)")
        }
    }
}
