import Foundation
import OTLPWire
import SpoolFormat
import SpoolTestSupport
import Testing
import TraceSpoolUpload

@Suite struct SQLiteSinkTests {
    func query(_ path: String, _ sql: String) throws -> [[String?]] { try TestDatabase.query(path, sql) }

    func execute(_ path: String, _ sql: String) throws { try TestDatabase.execute(path, sql) }

    /// A span named `name` with span id `n`.
    static func span(_ n: UInt8, name: String = "s") -> OTLPSpan {
        OTLPSpan(
            traceID: Array(repeating: 0xCD, count: 16), spanID: [0, 0, 0, 0, 0, 0, 0, n], name: name, kind: .client,
            startTimeUnixNano: 2_000, endTimeUnixNano: 2_500, attributes: [OTLPKeyValue("k", .string("v"))])
    }

    /// A batch of span records as the batcher makes them (no resource or scope).
    static func batch(_ records: [[UInt8]]) -> SpanBatch {
        SpanBatch(
            spoolPath: "/spool", segment: "new.seg", resource: [], scope: [], spans: records.map { $0[...] },
            start: SegmentCheckpoint(offset: 0), end: SegmentCheckpoint(offset: 0))
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

    @Test func isTheDefaultSinkInAPrivateDirectoryBesideTheSpool() {
        let directory = "tracespool-store-\(geteuid())"
        #expect(
            SQLiteSink.defaultPath(forSpool: "/var/spool/app/traces/")
                == "/var/spool/app/\(directory)/tracespool.sqlite")
        #expect(SQLiteSink.defaultPath(forSpool: "traces") == "./\(directory)/tracespool.sqlite")
    }

    @Test func undecodableSpansAreRejectedAndLogged() async throws {
        let tmp = TempDirectory("sqlite")
        defer { tmp.cleanup() }
        let dbPath = tmp.path + "/store.sqlite"
        let logs = CapturedLogs()
        let sink = try SQLiteSink(path: dbPath, logger: logs.logger())
        #expect(sink.name == "sqlite" && sink.path == dbPath)
        let report = try await sink.deliver(
            Self.batch([Self.span(1).serialized(), [0x0A, 0xFF], Self.span(2).serialized()]))
        #expect(report.delivered == 2 && report.rejected == 1 && report.requests == 1)
        #expect(
            try query(dbPath, "SELECT span_id FROM spans ORDER BY rowid") == [
                ["0000000000000001"], ["0000000000000002"],
            ])
        let warning = try #require(logs.entries.first { $0.message == "undecodable spans skipped" })
        #expect(
            warning.level == .warning && warning.metadata["spans"] == "1" && warning.metadata["segment"] == "new.seg")
    }

    @Test func openingAnOlderStoreLogsTheColumnsItAdds() throws {
        let tmp = TempDirectory("sqlite")
        defer { tmp.cleanup() }
        let dbPath = tmp.path + "/old.sqlite"
        _ = try SQLiteSink(path: dbPath, logger: quietLogger())
        // The store as a version before the trace state, flags, links and dropped counts left it.
        let added = [
            "trace_state", "flags", "links_json", "dropped_attributes_count", "dropped_events_count",
            "dropped_links_count",
        ]
        try execute(dbPath, added.map { "ALTER TABLE spans DROP COLUMN \($0);" }.joined())
        let logs = CapturedLogs()
        _ = try SQLiteSink(path: dbPath, logger: logs.logger())
        let migrated = try #require(logs.entries.first { $0.message == "sqlite store migrated" })
        #expect(migrated.level == .info && migrated.metadata["path"] == dbPath)
        #expect(migrated.metadata["added_columns"] == added.joined(separator: ","))
        let again = CapturedLogs()
        _ = try SQLiteSink(path: dbPath, logger: again.logger())
        #expect(!again.entries.contains { $0.message == "sqlite store migrated" })
    }

    @Test func storeFailuresBecomeUploadErrorsAndDeferredBatches() async throws {
        let tmp = TempDirectory("sqlite")
        defer { tmp.cleanup() }
        let missing = tmp.path + "/no/such/dir/store.sqlite"
        #expect(
            throws: UploadError.sqlite(operation: "open \(missing)", code: 14, message: "unable to open database file")
        ) {
            try SQLiteSink(path: missing, logger: quietLogger())
        }
        let dbPath = tmp.path + "/store.sqlite"
        let sink = try SQLiteSink(path: dbPath, logger: quietLogger())
        try execute(
            dbPath, "CREATE TRIGGER refuse BEFORE INSERT ON spans BEGIN SELECT RAISE(ABORT, 'refused'); END;")
        do {
            _ = try await sink.deliver(Self.batch([Self.span(1).serialized()]))
            Issue.record("the insert must fail")
        } catch {
            #expect(
                error.reason
                    == "sqlite insert failed (code 19): refused (check the database path, its permissions and free space)"
            )
        }
        #expect(try query(dbPath, "SELECT count(*) FROM spans") == [["0"]])
    }
}
