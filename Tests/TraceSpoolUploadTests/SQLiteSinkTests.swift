import CSQLite
import Foundation
import OTLPWire
import SpoolFormat
import Testing
import TraceSpoolUpload

@Suite struct SQLiteSinkTests {
    /// Runs a query and returns rows of text columns (NULL as nil).
    func query(_ path: String, _ sql: String) throws -> [[String?]] {
        var db: OpaquePointer?
        try #require(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil) == SQLITE_OK)
        defer { sqlite3_close(db) }
        var statement: OpaquePointer?
        try #require(sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK)
        defer { sqlite3_finalize(statement) }
        var rows: [[String?]] = []
        while sqlite3_step(statement) == SQLITE_ROW {
            var row: [String?] = []
            for i in 0..<sqlite3_column_count(statement) {
                row.append(sqlite3_column_text(statement, i).map { String(cString: $0) })
            }
            rows.append(row)
        }
        return rows
    }

    /// Runs SQL statements on a database file, creating it.
    func execute(_ path: String, _ sql: String) throws {
        var db: OpaquePointer?
        try #require(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK)
        defer { sqlite3_close(db) }
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        try #require(rc == SQLITE_OK, "\(String(cString: sqlite3_errmsg(db)))")
    }

    /// The `spans` table as the first version of the sink created it (no trace state, flags, links or dropped
    /// counts), with one row.
    static let firstSchemaStore = """
        CREATE TABLE spans (
            trace_id TEXT NOT NULL, span_id TEXT NOT NULL, parent_span_id TEXT, name TEXT NOT NULL,
            kind INTEGER NOT NULL, start_time_unix_nano INTEGER NOT NULL, end_time_unix_nano INTEGER NOT NULL,
            duration_ns INTEGER NOT NULL, status_code INTEGER NOT NULL, status_message TEXT, service_name TEXT,
            scope_name TEXT, scope_version TEXT, resource_json TEXT NOT NULL, attributes_json TEXT NOT NULL,
            events_json TEXT NOT NULL, session_id TEXT, user_id TEXT, span_type TEXT, segment TEXT,
            inserted_unix_nano INTEGER NOT NULL,
            PRIMARY KEY (trace_id, span_id)
        );
        CREATE INDEX spans_by_trace ON spans(trace_id, start_time_unix_nano);
        CREATE INDEX spans_by_session ON spans(session_id, start_time_unix_nano);
        CREATE INDEX spans_by_start ON spans(start_time_unix_nano);
        INSERT INTO spans VALUES (
            'abababababababababababababababab', '000000000000000e', '000000000000000b', 'old-span', 3, 1000, 1500, 500,
            2, 'boom', 'svc', 'tests', '1.0', '{"service.name":"svc"}', '{"session.id":"s-1","n":3}',
            '[{"name":"exception","time_unix_nano":1200,"attributes":{"exception.type":"E"}}]', 's-1', NULL, 'tool',
            'old.seg', 1700000000000000000);
        """

    /// A span with a trace state, flags (sampled + remote), two links (the first with attributes, a trace state,
    /// flags and a dropped count) and dropped attribute, event and link counts.
    static func linkedSpan() -> OTLPSpan {
        OTLPSpan(
            traceID: Array(repeating: 0xCD, count: 16), spanID: [1, 2, 3, 4, 5, 6, 7, 8],
            traceState: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", flags: 0x301, name: "linked", kind: .client,
            startTimeUnixNano: 2_000, endTimeUnixNano: 2_500, attributes: [OTLPKeyValue("k", .string("v"))],
            droppedAttributesCount: 3, droppedEventsCount: 4,
            links: [
                OTLPLink(
                    traceID: Array(repeating: 0x0F, count: 16), spanID: [9, 9, 9, 9, 9, 9, 9, 0xFF],
                    traceState: "vendor=x",
                    attributes: [OTLPKeyValue("link.kind", .string("follows")), OTLPKeyValue("n", .int(7))],
                    droppedAttributesCount: 2, flags: 1),
                OTLPLink(traceID: Array(repeating: 0xEE, count: 16), spanID: Array(repeating: 0x11, count: 8)),
            ],
            droppedLinksCount: 5)
    }

    /// A batch of `spans` as the batcher makes them (no resource or scope).
    static func batch(_ spans: [OTLPSpan]) -> SpanBatch {
        SpanBatch(
            spoolPath: "/spool", segment: "new.seg", resource: [], scope: [], spans: spans.map { $0.serialized()[...] },
            start: SegmentCheckpoint(offset: 0), end: SegmentCheckpoint(offset: 0))
    }

    static let addedColumns =
        "trace_state, flags, links_json, dropped_attributes_count, dropped_events_count, dropped_links_count"

    @Test func keepsTraceStateFlagsLinksAndDroppedCounts() async throws {
        let tmp = TempDirectory("sqlite")
        defer { tmp.cleanup() }
        let dbPath = tmp.path + "/store.sqlite"
        let sink = try SQLiteSink(path: dbPath, logger: quietLogger())
        var plain = Self.linkedSpan()
        plain.spanID = [8, 7, 6, 5, 4, 3, 2, 1]
        plain.traceState = ""
        plain.flags = 0
        plain.links = []
        plain.droppedAttributesCount = 0
        plain.droppedEventsCount = 0
        plain.droppedLinksCount = 0
        let report = try await sink.deliver(Self.batch([Self.linkedSpan(), plain]))
        #expect(report.delivered == 2 && report.rejected == 0)
        let rows = try query(dbPath, "SELECT \(Self.addedColumns) FROM spans ORDER BY rowid")
        try #require(rows.count == 2)
        let links =
            #"[{"traceId":"0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f","spanId":"09090909090909ff","traceState":"vendor=x","#
            + #""attributes":{"link.kind":"follows","n":7},"droppedAttributesCount":2,"flags":1},"#
            + #"{"traceId":"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee","spanId":"1111111111111111","traceState":"","#
            + #""attributes":{},"droppedAttributesCount":0,"flags":0}]"#
        #expect(rows[0] == ["congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", "769", links, "3", "4", "5"])
        #expect(rows[1] == [nil, "0", "[]", "0", "0", "0"], "an empty trace state is NULL, no links an empty array")
        #expect(
            try query(
                dbPath,
                #"SELECT json_extract(links_json, '$[0].attributes."link.kind"'), json_array_length(links_json) "#
                    + "FROM spans WHERE flags = 769") == [["follows", "2"]])
    }

    @Test func migratesAStoreOfTheFirstSchema() async throws {
        let tmp = TempDirectory("sqlite")
        defer { tmp.cleanup() }
        let dbPath = tmp.path + "/old.sqlite"
        try execute(dbPath, Self.firstSchemaStore)
        let oldColumns = try query(dbPath, "SELECT name FROM pragma_table_info('spans')").map { $0[0] ?? "" }
        let oldRow = try query(dbPath, "SELECT * FROM spans")
        #expect(oldColumns.count == 21 && oldRow.count == 1 && oldRow[0][3] == "old-span")

        let sink = try SQLiteSink(path: dbPath, logger: quietLogger())
        let columns = try query(dbPath, "SELECT name FROM pragma_table_info('spans')").map { $0[0] ?? "" }
        #expect(columns == oldColumns + Self.addedColumns.components(separatedBy: ", "))
        let allOld = oldColumns.joined(separator: ", ")
        #expect(try query(dbPath, "SELECT \(allOld) FROM spans") == oldRow, "the old row is intact")
        #expect(try query(dbPath, "SELECT \(Self.addedColumns) FROM spans") == [[nil, "0", "[]", "0", "0", "0"]])

        // New spans are stored with every column beside the old row; opening the store again changes nothing.
        #expect(try await sink.deliver(Self.batch([Self.linkedSpan()])).delivered == 1)
        _ = try SQLiteSink(path: dbPath, logger: quietLogger())
        #expect(try query(dbPath, "SELECT name FROM pragma_table_info('spans')").map { $0[0] ?? "" } == columns)
        #expect(
            try query(dbPath, "SELECT name, flags, json_array_length(links_json) FROM spans ORDER BY rowid")
                == [["old-span", "0", "0"], ["linked", "769", "2"]])
        #expect(try query(dbPath, "SELECT \(allOld) FROM spans WHERE name = 'old-span'") == oldRow)
    }

    @Test func storesSpansQueryableWithSQLAndNeverDuplicates() async throws {
        let tmp = TempDirectory("sqlite")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<300, to: tmp.spool)
        let dbPath = tmp.path + "/store.sqlite"
        var configuration = SpoolUploader.Configuration(
            spoolDirectories: [tmp.spool], destination: .sqlite(path: dbPath))
        configuration.batching.maxSpans = 64
        let uploader = try SpoolUploader(configuration: configuration, logger: quietLogger())
        let summary = await uploader.drainOnce()
        #expect(summary.allDelivered)
        #expect(summary.spansDelivered == 300)
        #expect(try query(dbPath, "SELECT count(*) FROM spans") == [["300"]])
        let row = try query(
            dbPath,
            """
            SELECT trace_id, span_id, parent_span_id, name, kind, duration_ns, service_name, session_id, user_id,
                   span_type, json_extract(attributes_json, '$."gen_ai.usage.input_tokens"'), scope_name,
                   json_extract(resource_json, '$."service.name"')
            FROM spans WHERE name = 'span-13'
            """)
        #expect(
            row == [
                [
                    String(repeating: "ab", count: 16), "000000000000000e", "000000000000000b", "span-13", "1", "500",
                    "upload-test", "session-1", "user-1", "tool", "13", "tests", "upload-test",
                ]
            ])
        #expect(try query(dbPath, "SELECT count(*) FROM spans WHERE parent_span_id IS NULL") == [["30"]])
        #expect(try query(dbPath, "SELECT count(*) FROM spans WHERE session_id = 'session-0'") == [["100"]])
        #expect(try query(dbPath, "PRAGMA journal_mode") == [["wal"]])
        let indexes = try query(dbPath, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
        #expect(indexes.contains(["spans_by_session"]) && indexes.contains(["spans_by_start"]))

        // Re-sending the same spans (as after a crash) adds no rows.
        try TestSpans.write(0..<300, to: tmp.spool)
        #expect(await uploader.drainOnce().allDelivered)
        #expect(try query(dbPath, "SELECT count(*) FROM spans") == [["300"]])
    }

    @Test func isTheDefaultSinkBesideTheSpool() {
        #expect(SQLiteSink.defaultPath(forSpool: "/var/spool/app/traces/") == "/var/spool/app/tracespool.sqlite")
        #expect(SQLiteSink.defaultPath(forSpool: "traces") == "./tracespool.sqlite")
    }
}
