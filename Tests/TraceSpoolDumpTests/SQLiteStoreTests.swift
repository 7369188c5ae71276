import CSQLite
import Foundation
import Logging
import OTLPWire
import SpoolFormat
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
        let uploader = try SpoolUploader(
            configuration: .init(spoolDirectories: [s.spool.path], destination: .sqlite(path: s.storePath)),
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
            #expect(
                !json || fromSpool.contains(#""flags":"#), "the tracer sets flags, so the comparison is not vacuous")
            #expect(fromStore == fromSpool, "filter \(filter), json \(json)")
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
        #expect(fromStore.stdout == fromSpool.stdout && fromStore.stdout.split(separator: "\n").count == 5)

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
        #expect(
            bad.status == DumpExitCode.failure.rawValue && bad.stderr.contains("SQLite trace store"), "\(bad.stderr)")
    }

    /// All the spans of a store, and the scan's result.
    private func read(_ path: String) throws -> ([OTLPSpan], SQLiteSpanSource.Scan) {
        var spans: [OTLPSpan] = []
        let scan = try SQLiteSpanSource(path: path).forEachSpan { span in
            spans.append(span)
            return .proceed
        }
        return (spans, scan)
    }

    /// Stores `spans` as one batch through the uploader's sink.
    private func store(_ spans: [OTLPSpan], in sink: SQLiteSink) async throws {
        let batch = SpanBatch(
            spoolPath: "/spool", segment: "s.seg", resource: [], scope: [], spans: spans.map { $0.serialized()[...] },
            start: SegmentCheckpoint(offset: 0), end: SegmentCheckpoint(offset: 0))
        let report = try await sink.deliver(batch)
        #expect(report.delivered == spans.count)
    }

    /// A span using every field the store keeps: trace state, flags (sampled + remote), a parent, attributes of each
    /// JSON type, an event, two links (the first with attributes, trace state, flags and a dropped count), a status,
    /// and dropped attribute, event and link counts.
    private func linkedSpan() -> OTLPSpan {
        OTLPSpan(
            traceID: Array(0..<16), spanID: [1, 2, 3, 4, 5, 6, 7, 8],
            traceState: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7",
            parentSpanID: [8, 7, 6, 5, 4, 3, 2, 1], flags: 0x301, name: "linked", kind: .consumer,
            startTimeUnixNano: 1_700_000_000_000_000_000, endTimeUnixNano: 1_700_000_000_250_000_000,
            attributes: [
                OTLPKeyValue("session.id", .string("sess-l")), OTLPKeyValue("n", .int(-3)),
                OTLPKeyValue("r", .double(0.5)),
                OTLPKeyValue("b", .bool(true)), OTLPKeyValue("l", .array([.string("x"), .int(1)])),
            ],
            droppedAttributesCount: 3,
            events: [
                OTLPEvent(
                    timeUnixNano: 1_700_000_000_100_000_000, name: "exception",
                    attributes: [OTLPKeyValue("exception.type", .string("E"))])
            ],
            droppedEventsCount: 4,
            links: [
                OTLPLink(
                    traceID: Array(repeating: 0x0F, count: 16), spanID: [9, 9, 9, 9, 9, 9, 9, 0xFF],
                    traceState: "vendor=x",
                    attributes: [
                        OTLPKeyValue("link.kind", .string("follows")), OTLPKeyValue("n", .int(7)),
                        OTLPKeyValue("o", .kvlist([OTLPKeyValue("k", .bool(false))])),
                    ],
                    droppedAttributesCount: 2, flags: 1),
                OTLPLink(traceID: Array(repeating: 0xEE, count: 16), spanID: Array(repeating: 0x11, count: 8)),
            ],
            droppedLinksCount: 5, status: OTLPStatus(code: .error, message: "boom"))
    }

    @Test func traceStateFlagsLinksAndDroppedCountsComeBackFromTheStore() async throws {
        let work = TempSpool()
        let path = work.file("store.sqlite")
        let span = linkedSpan()
        try await store([span], in: try SQLiteSink(path: path, logger: quietLogger()))
        let (spans, scan) = try read(path)
        #expect(scan.rowsRead == 1 && scan.diagnostics.count == 0)
        let back = try #require(spans.first)
        #expect(back.traceState == span.traceState)
        #expect(back.flags == span.flags)
        #expect(back.links.count == 2)
        for (read, written) in zip(back.links, span.links) {
            #expect(read.traceID == written.traceID && read.spanID == written.spanID)
            #expect(read.traceState == written.traceState)
            #expect(read.attributes == written.attributes)
            #expect(read.droppedAttributesCount == written.droppedAttributesCount)
            #expect(read.flags == written.flags)
        }
        #expect(back.droppedAttributesCount == span.droppedAttributesCount)
        #expect(back.droppedEventsCount == span.droppedEventsCount)
        #expect(back.droppedLinksCount == span.droppedLinksCount)
        #expect(back.traceID == span.traceID && back.spanID == span.spanID && back.parentSpanID == span.parentSpanID)
        #expect(back.name == span.name && back.kind == span.kind && back.status == span.status)
        #expect(back.startTimeUnixNano == span.startTimeUnixNano && back.endTimeUnixNano == span.endTimeUnixNano)
        #expect(back.attributes == span.attributes && back.events == span.events)
        #expect(back == span, "no field left out")
        #expect(OTLPJSON.encode(back) == OTLPJSON.encode(span), "spans --json prints it as from the spool")
    }

    /// The `spans` table as the first version of the uploader created it (no trace state, flags, links or dropped
    /// counts), with one row.
    private static let firstSchemaStore = """
        CREATE TABLE spans (
            trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT NOT NULL,
            kind INTEGER NOT NULL, start_time_unix_nano INTEGER NOT NULL, end_time_unix_nano INTEGER NOT NULL,
            duration_ns INTEGER NOT NULL, status_code INTEGER NOT NULL, status_message TEXT, service_name TEXT,
            scope_name TEXT, scope_version TEXT, resource_json TEXT NOT NULL, attributes_json TEXT NOT NULL,
            events_json TEXT NOT NULL, session_id TEXT, user_id TEXT, span_type TEXT, segment TEXT,
            inserted_unix_nano INTEGER NOT NULL,
            PRIMARY KEY (trace_id, span_id)
        );
        INSERT INTO spans VALUES (
            'abababababababababababababababab', '000000000000000e', NULL, 'old-span', 2, 1000, 1500, 500, 2, 'boom',
            'svc', 'tests', '1.0', '{"service.name":"svc"}', '{"session.id":"s-1","n":3}',
            '[{"name":"exception","time_unix_nano":1200,"attributes":{"exception.type":"E"}}]', 's-1', NULL, 'tool',
            'old.seg', 1700000000000000000);
        """

    @Test func readsAStoreOfTheFirstSchemaBeforeAndAfterTheUploaderMigratesIt() async throws {
        let work = TempSpool()
        let path = work.file("old.sqlite")
        var db: OpaquePointer?
        try #require(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK)
        let rc = sqlite3_exec(db, Self.firstSchemaStore, nil, nil, nil)
        sqlite3_close(db)
        try #require(rc == SQLITE_OK)
        let old = OTLPSpan(
            traceID: Array(repeating: 0xAB, count: 16), spanID: [0, 0, 0, 0, 0, 0, 0, 0x0E], name: "old-span",
            kind: .server, startTimeUnixNano: 1000, endTimeUnixNano: 1500,
            attributes: [OTLPKeyValue("session.id", .string("s-1")), OTLPKeyValue("n", .int(3))],
            events: [
                OTLPEvent(
                    timeUnixNano: 1200, name: "exception", attributes: [OTLPKeyValue("exception.type", .string("E"))])
            ],
            status: OTLPStatus(code: .error, message: "boom"))

        // Not migrated (the dump opens it read-only): the missing columns read as their defaults.
        let (before, scanBefore) = try read(path)
        #expect(scanBefore.rowsRead == 1 && scanBefore.diagnostics.count == 0)
        #expect(before == [old])
        #expect(before.first?.traceState == "" && before.first?.flags == 0 && before.first?.links == [])
        var text = ""
        let listed = try SpanLister(json: true).run(store: try SQLiteSpanSource(path: path), to: &text)
        #expect(listed.printed == 1 && text == OTLPJSON.encode(old) + "\n")

        // The uploader adds the columns; the old row reads the same and a new span comes back whole beside it.
        let sink = try SQLiteSink(path: path, logger: quietLogger())
        #expect(try read(path).0 == [old])
        try await store([linkedSpan()], in: sink)
        let (after, scanAfter) = try read(path)
        #expect(scanAfter.diagnostics.count == 0)
        #expect(after == [old, linkedSpan()])
    }

    @Test func storeJSONReaderKeepsOrderAndTypes() throws {
        let attributes = try #require(
            StoreJSONReader.attributes(
                #"{"b":1,"a":2.5,"s":"x\"\u00e9\ud83d\ude00","t":true,"n":null,"l":["u",3],"o":{"k":false}}"#))
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
        #expect(
            events == [.init(timeUnixNano: 42, name: "exception", attributes: [.init("exception.type", .string("E"))])])
        let links = try #require(
            StoreJSONReader.links(
                #"[{"traceId":"0a0b","spanId":"ff","traceState":"t=1","attributes":{"k":1},"droppedAttributesCount":2,"flags":3},{}]"#
            ))
        #expect(
            links == [
                .init(
                    traceID: [0x0A, 0x0B], spanID: [0xFF], traceState: "t=1", attributes: [.init("k", .int(1))],
                    droppedAttributesCount: 2, flags: 3),
                .init(),
            ])
        #expect(StoreJSONReader.links(#"[{"traceId":"xyz"}]"#) == nil)
        #expect(StoreJSONReader.links(#"{"traceId":"00"}"#) == nil)
    }
}
