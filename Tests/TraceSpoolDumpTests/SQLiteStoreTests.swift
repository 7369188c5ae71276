import Foundation
import OTLPWire
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolStore
import TraceSpoolTesting

@testable import TraceSpoolDump
@testable import tracespool_dump

/// `spans`, `tree` and `trace` on the uploader's SQLite store: a store filled from a spool as the uploader fills it
/// (`TraceSpoolStore`, one batch per frame with the segment's resource and scope) must render exactly as the spool.
@Suite struct SQLiteStoreTests {
    /// Writes the standard fixture segment and the agent run (with its follow-up trace) into `spool`, and stores
    /// every span of it in a new store at `path`.
    private func fill(_ spool: TemporarySpool, store path: String) throws {
        try Fixture.writeStandard(spool)
        try AgentRunFixture.write(into: spool, withFollowUp: true)
        let store = try SpanStore(path: path)
        for segment in try spool.segments() {
            let reader = try SegmentReader(path: segment.path)
            let resource = try OTLPResource(decoding: reader.header.resource)
            let scope = try OTLPInstrumentationScope(decoding: reader.header.scope)
            while let frame = reader.nextFrame() {
                let spans = try frame.records.filter { $0.type == .span }.map { try OTLPSpan(decoding: $0.body) }
                try store.insert(spans, resource: resource, scope: scope, segment: segment.fileName)
            }
        }
    }

    @Test func treeFromTheStoreEqualsTreeFromTheSpool() throws {
        try withTemporarySpool { spool in
            try withTemporarySpool { work in
                let storePath = work.file("store.sqlite")
                try fill(spool, store: storePath)
                #expect(SQLiteSpanSource.isStore(path: storePath))
                let store = try SQLiteSpanSource(path: storePath)
                let segments = try spool.segments()
                var fromSpool = ""
                let spoolResult = TreeDump(style: .plain).run(segments: segments, to: &fromSpool)
                var fromStore = ""
                let storeResult = try TreeDump(style: .plain).run(store: store, to: &fromStore)
                #expect(fromStore == fromSpool)
                #expect(storeResult.traces == spoolResult.traces && storeResult.spans == spoolResult.spans)
                #expect(storeResult.traces >= 4, "fixture agent + short traces and two agent-layer traces")
                #expect(fromStore.contains("chat (gpt-4o-mini, 120+30 tok"), "\(fromStore)")
                #expect(fromStore.contains("RefundFailed"), "the error event is rebuilt from events_json: \(fromStore)")
                #expect(storeResult.diagnostics.count == 0)

                // The same cap bounds memory for the store.
                var capped = ""
                let cappedResult = try TreeDump(style: .plain, maxSpans: 3).run(store: store, to: &capped)
                #expect(cappedResult.spans == 3 && cappedResult.skippedSpans == spoolResult.spans - 3)
            }
        }
    }

    @Test func spansFromTheStoreEqualSpansFromTheSpool() throws {
        try withTemporarySpool { spool in
            try withTemporarySpool { work in
                let storePath = work.file("store.sqlite")
                try fill(spool, store: storePath)
                let store = try SQLiteSpanSource(path: storePath)
                let segments = try spool.segments()
                for (filter, json) in [
                    (try SpanFilter(session: "sess-7"), true), (try SpanFilter(session: "sess-7"), false),
                    (try SpanFilter(user: "u-42"), true), (try SpanFilter(errorsOnly: true), false),
                ] {
                    var fromSpool = ""
                    SpanLister(filter: filter, json: json).run(segments: segments, to: &fromSpool)
                    var fromStore = ""
                    let result = try SpanLister(filter: filter, json: json).run(store: store, to: &fromStore)
                    #expect(!fromSpool.isEmpty)
                    #expect(
                        !json || fromSpool.contains(#""flags":"#),
                        "the tracer sets flags, so the comparison is not vacuous")
                    #expect(fromStore == fromSpool, "filter \(filter), json \(json)")
                    #expect(result.printed == fromSpool.split(separator: "\n").count)
                }
                var limited = ""
                let result = try SpanLister(limit: 2).run(store: store, to: &limited)
                #expect(result.printed == 2 && limited.split(separator: "\n").count == 2)
            }
        }
    }

    @Test func theBinaryReadsTheStoreAndRefusesSpoolOnlyCommands() throws {
        try withTemporarySpool { spool in
            try withTemporarySpool { work in
                let storePath = work.file("store.sqlite")
                try fill(spool, store: storePath)
                // Detected by its header even without a .sqlite/.db name.
                let renamed = work.file("traces.store")
                try FileManager.default.copyItem(atPath: storePath, toPath: renamed)
                #expect(SQLiteSpanSource.isStore(path: renamed))
                #expect(!SQLiteSpanSource.isStore(path: spool.path))

                let fromSpool = try DumpBinary.run(["spans", "--json", "--session", "sess-7", spool.path])
                let fromStore = try DumpBinary.run(["spans", "--json", "--session", "sess-7", renamed])
                #expect(fromStore.status == 0, "\(fromStore.stderr)")
                #expect(fromStore.stdout == fromSpool.stdout && fromStore.stdout.split(separator: "\n").count == 5)

                let tree = try DumpBinary.run(["tree", "--color", "never", storePath])
                let spoolTree = try DumpBinary.run(["tree", "--color", "never", spool.path])
                #expect(tree.status == 0 && tree.stdout == spoolTree.stdout && !tree.stdout.isEmpty)

                let missing = try DumpBinary.run(["trace", "ffffffff", storePath])
                #expect(missing.status == DumpExitCode.notFound.rawValue)

                for command in ["ls", "stats", "verify", "salvage"] {
                    let run = try DumpBinary.run([command, storePath])
                    #expect(run.status == DumpExitCode.usage.rawValue, "\(command): \(run.stderr)")
                    #expect(
                        run.stderr.contains("works on spools; spans/tree/trace read the uploader's SQLite store"),
                        "\(run.stderr)")
                }
                let follow = try DumpBinary.run(["spans", "--follow", storePath])
                #expect(follow.status == DumpExitCode.usage.rawValue)

                // Not a store: a clear error, exit 1.
                let bogus = work.file("bogus.db")
                try Data("not a database at all, just text....".utf8).write(to: URL(fileURLWithPath: bogus))
                let bad = try DumpBinary.run(["spans", bogus])
                #expect(
                    bad.status == DumpExitCode.failure.rawValue && bad.stderr.contains("SQLite trace store"),
                    "\(bad.stderr)")
                #expect(
                    bad.stderr
                        == "tracespool-dump: \(bogus): cannot read the spans table of the SQLite trace store: file is "
                        + "not a database; check that it is the store `tracespool-upload --sqlite` writes and that it "
                        + "is readable\n")
            }
        }
    }

    @Test func rowsThatCannotBeRebuiltAreReportedAndSkipped() throws {
        try withTemporarySpool { spool in
            try withTemporarySpool { work in
                let storePath = work.file("store.sqlite")
                try fill(spool, store: storePath)
                try TestDatabase.execute(
                    storePath,
                    "UPDATE spans SET links_json = '{' WHERE rowid = 2; UPDATE spans SET span_id = 'x' WHERE rowid = 3")
                var out = ""
                let result = try SpanLister().run(store: try SQLiteSpanSource(path: storePath), to: &out)
                #expect(result.spansRead == 14 && result.printed == 12)
                #expect(
                    result.diagnostics.messages == [
                        "\(storePath): row 2: links_json is not a JSON array of links; skipped",
                        "\(storePath): row 3: trace_id or span_id is not hex; skipped",
                    ])
            }
        }
    }

    @Test func storeErrorsNameWhatFailed() {
        let error = DumpError(StoreError.sqlite(path: "/s.db", operation: .readRow, code: 11, message: "malformed"))
        #expect(
            error.message
                == "/s.db: cannot read a row of the SQLite trace store: malformed; check that it is the store "
                + "`tracespool-upload --sqlite` writes and that it is readable")
        #expect(DumpError(StoreError.notAFile(path: "/d")) == .inputNotFound(path: "/d"))
    }
}
