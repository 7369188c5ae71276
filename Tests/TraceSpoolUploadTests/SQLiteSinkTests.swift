import CSQLite
import Foundation
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

    @Test func storesSpansQueryableWithSQLAndNeverDuplicates() async throws {
        let tmp = TempDirectory("sqlite")
        defer { tmp.cleanup() }
        try TestSpans.write(0..<300, to: tmp.spool)
        let dbPath = tmp.path + "/store.sqlite"
        let metrics = UploadMetrics()
        let sink = try SQLiteSink(path: dbPath, logger: quietLogger())
        let uploader = Uploader(
            configuration: UploaderConfiguration(spoolPaths: [tmp.spool], maxBatchSpans: 64), sink: sink,
            metrics: metrics, logger: quietLogger())
        let summary = await uploader.drainOnce()
        #expect(summary.allDelivered)
        #expect(summary.report.delivered == 300)
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
