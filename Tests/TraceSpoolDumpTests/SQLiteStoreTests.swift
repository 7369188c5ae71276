import Foundation
import Logging
import Testing
import TraceSpool
import TraceSpoolUpload
@testable import TraceSpoolDump

/// `spans`, `tree` and `trace` on the uploader's SQLite store: a store made the real way (a spool written by the
/// tracer and the fixture writer, drained by the uploader library into SQLite) must render exactly as a copy of the
/// spool taken before the upload.
@Suite struct SQLiteStoreTests {

    /// A spool and its uploaded SQLite store, plus a copy of the spool taken before the upload.
    final class UploadedSpool {
        let spool = TempSpool()
        let copy = TempSpool()
        let work = TempSpool()
        var storePath: String { work.file("store.sqlite") }
    }

    /// The spool's OTLP/JSON lines without the `flags` field: the store has no flags column (W3C sampled +
    /// OTLP is-remote bits), so spans read back from it carry flags 0, which OTLP/JSON omits. Everything else must match.
    private func withoutFlags(_ text: String) -> String {
        text.replacing(/"flags":[0-9]+,/, with: "")
    }

    private func quietLogger() -> Logger {
        var logger = Logger(label: "sqlite-store-tests")
        logger.logLevel = .critical
        return logger
    }

    /// Records two tracer traces (one with a failing tool) after the fixture segment, copies the spool, uploads it.
    private func makeUploadedSpool() async throws -> UploadedSpool {
        let s = UploadedSpool()
        try Fixture.writeStandard(s.spool)
        let recorded = TracerFixture.recordAgentRun(into: s.spool) { tracer in
            tracer.trace("follow-up", session: "sess-8", user: "u-42") { _ in
                tracer.withTool("notify") { _ in }
            }
        }
        #expect(recorded)
        for name in try FileManager.default.contentsOfDirectory(atPath: s.spool.path) where name.hasSuffix(".seg") {
            try FileManager.default.copyItem(atPath: s.spool.file(name), toPath: s.copy.file(name))
        }
        let sink = try SQLiteSink(path: s.storePath, logger: quietLogger())
        let uploader = Uploader(
            configuration: UploaderConfiguration(spoolPaths: [s.spool.path]), sink: sink, metrics: UploadMetrics(),
            logger: quietLogger())
        let summary = await uploader.drainOnce()
        #expect(summary.allDelivered)
        return s
    }

    @Test func treeFromTheStoreEqualsTreeFromTheSpool() async throws {
        let s = try await makeUploadedSpool()
        #expect(SQLiteSpanSource.isStore(path: s.storePath))
        let store = try SQLiteSpanSource(path: s.storePath)
        let segments = try s.copy.segments()
        var fromSpool = ""
        let spoolResult = TreeDump(style: .plain).run(segments: segments, to: &fromSpool)
        var fromStore = ""
        let storeResult = try TreeDump(style: .plain).run(store: store, to: &fromStore)
        #expect(fromStore == fromSpool)
        #expect(storeResult.traces == spoolResult.traces && storeResult.spans == spoolResult.spans)
        #expect(storeResult.traces >= 4, "fixture agent + short traces and two tracer traces")
        #expect(fromStore.contains("chat (gpt-4o-mini, 120+30 tok"), "\(fromStore)")
        #expect(fromStore.contains("RefundFailed"), "the error event is rebuilt from events_json: \(fromStore)")
        #expect(storeResult.diagnostics.count == 0)

        // The same cap bounds memory for the store.
        var capped = ""
        let cappedResult = try TreeDump(style: .plain, maxSpans: 3).run(store: store, to: &capped)
        #expect(cappedResult.spans == 3 && cappedResult.skippedSpans == spoolResult.spans - 3)
    }

    @Test func spansFromTheStoreEqualSpansFromTheSpool() async throws {
        let s = try await makeUploadedSpool()
        let store = try SQLiteSpanSource(path: s.storePath)
        let segments = try s.copy.segments()
        for (filter, json) in [
            (try SpanFilter(session: "sess-7"), true), (try SpanFilter(session: "sess-7"), false),
            (try SpanFilter(user: "u-42"), true), (try SpanFilter(errorsOnly: true), false),
        ] {
            var fromSpool = ""
            SpanLister(filter: filter, json: json).run(segments: segments, to: &fromSpool)
            var fromStore = ""
            let result = try SpanLister(filter: filter, json: json).run(store: store, to: &fromStore)
            #expect(!fromSpool.isEmpty)
            #expect(!json || fromSpool.contains(#""flags":"#), "the tracer sets flags, so the comparison is not vacuous")
            #expect(fromStore == withoutFlags(fromSpool), "filter \(filter), json \(json)")
            #expect(result.printed == fromSpool.split(separator: "\n").count)
        }
        var limited = ""
        let result = try SpanLister(limit: 2).run(store: store, to: &limited)
        #expect(result.printed == 2 && limited.split(separator: "\n").count == 2)
    }

    @Test func theBinaryReadsTheStoreAndRefusesSpoolOnlyCommands() async throws {
        let s = try await makeUploadedSpool()
        // Detected by its header even without a .sqlite/.db name.
        let renamed = s.work.file("traces.store")
        try FileManager.default.copyItem(atPath: s.storePath, toPath: renamed)
        #expect(SQLiteSpanSource.isStore(path: renamed))
        #expect(!SQLiteSpanSource.isStore(path: s.copy.path))

        let fromSpool = try DumpBinary.run(["spans", "--json", "--session", "sess-7", s.copy.path])
        let fromStore = try DumpBinary.run(["spans", "--json", "--session", "sess-7", renamed])
        #expect(fromStore.status == 0, "\(fromStore.stderr)")
        #expect(fromStore.stdout == withoutFlags(fromSpool.stdout) && fromStore.stdout.split(separator: "\n").count == 5)

        let tree = try DumpBinary.run(["tree", "--color", "never", s.storePath])
        let spoolTree = try DumpBinary.run(["tree", "--color", "never", s.copy.path])
        #expect(tree.status == 0 && tree.stdout == spoolTree.stdout && !tree.stdout.isEmpty)

        let missing = try DumpBinary.run(["trace", "ffffffff", s.storePath])
        #expect(missing.status == DumpExitCode.notFound.rawValue)

        for command in ["ls", "stats", "verify", "salvage"] {
            let run = try DumpBinary.run([command, s.storePath])
            #expect(run.status == DumpExitCode.usage.rawValue, "\(command): \(run.stderr)")
            #expect(run.stderr.contains("works on spools; for the SQLite store use spans/tree/trace"), "\(run.stderr)")
        }
        let follow = try DumpBinary.run(["spans", "--follow", s.storePath])
        #expect(follow.status == DumpExitCode.usage.rawValue)

        // Not a store: a clear error, exit 1.
        let bogus = s.work.file("bogus.db")
        try Data("not a database at all, just text....".utf8).write(to: URL(fileURLWithPath: bogus))
        let bad = try DumpBinary.run(["spans", bogus])
        #expect(bad.status == DumpExitCode.failure.rawValue && bad.stderr.contains("SQLite trace store"), "\(bad.stderr)")
    }

    @Test func storeJSONReaderKeepsOrderAndTypes() throws {
        let attributes = try #require(
            StoreJSONReader.attributes(#"{"b":1,"a":2.5,"s":"x\"\u00e9\ud83d\ude00","t":true,"n":null,"l":["u",3],"o":{"k":false}}"#))
        #expect(attributes.map(\.key) == ["b", "a", "s", "t", "n", "l", "o"])
        #expect(attributes[0].value == .int(1) && attributes[1].value == .double(2.5))
        #expect(attributes[2].value == .string("x\"é😀"))
        #expect(attributes[3].value == .bool(true) && attributes[4].value == .empty)
        #expect(attributes[5].value == .array([.string("u"), .int(3)]))
        #expect(attributes[6].value == .kvlist([.init("k", .bool(false))]))
        #expect(StoreJSONReader.attributes("[1]") == nil)
        #expect(StoreJSONReader.attributes(#"{"a":1"#) == nil)
        let events = try #require(
            StoreJSONReader.events(#"[{"name":"exception","time_unix_nano":42,"attributes":{"exception.type":"E"}}]"#))
        #expect(events == [.init(timeUnixNano: 42, name: "exception", attributes: [.init("exception.type", .string("E"))])])
    }
}
