import CSQLite
package import Logging
import OTLPWire
import SpoolBase
import SpoolFormat

/// Stores spans in one local SQLite file (WAL mode): the default sink when no OTLP endpoint is configured.
///
/// Spans are decoded with `OTLPSpan(decoding:)` and inserted with `ON CONFLICT(trace_id, span_id) DO NOTHING`, so
/// a re-sent batch never duplicates rows. One transaction per batch. A span whose bytes do not decode is counted
/// as rejected and logged. The schema is `SQLiteSink.schema` (documented in `Docs/Uploader.md`); a store created by
/// an earlier version gets its missing columns when opened.
package final class SQLiteSink: SpanSink {
    /// `sqlite`.
    package var name: String { "sqlite" }
    /// The database file.
    package let path: String
    private let database: SQLiteDatabase
    private let logger: Logger
    private let metrics: UploadMetrics?
    private let io: DiskIO

    /// The schema, created when missing (the columns added since the first version come from `addedColumns`).
    package static let schema = """
        CREATE TABLE IF NOT EXISTS spans (
            trace_id TEXT NOT NULL,
            span_id TEXT NOT NULL,
            parent_span_id TEXT,
            name TEXT NOT NULL,
            kind INTEGER NOT NULL,
            start_time_unix_nano INTEGER NOT NULL,
            end_time_unix_nano INTEGER NOT NULL,
            duration_ns INTEGER NOT NULL,
            status_code INTEGER NOT NULL,
            status_message TEXT,
            service_name TEXT,
            scope_name TEXT,
            scope_version TEXT,
            resource_json TEXT NOT NULL,
            attributes_json TEXT NOT NULL,
            events_json TEXT NOT NULL,
            session_id TEXT,
            user_id TEXT,
            span_type TEXT,
            segment TEXT,
            inserted_unix_nano INTEGER NOT NULL,
            \(addedColumns.map { "\($0.name) \($0.definition)," }.joined(separator: "\n    "))
            PRIMARY KEY (trace_id, span_id)
        );
        CREATE INDEX IF NOT EXISTS spans_by_trace ON spans(trace_id, start_time_unix_nano);
        CREATE INDEX IF NOT EXISTS spans_by_session ON spans(session_id, start_time_unix_nano);
        CREATE INDEX IF NOT EXISTS spans_by_start ON spans(start_time_unix_nano);
        """

    /// The columns added after the first version of the schema, with their definitions: a store created before
    /// them gets them with `ALTER TABLE spans ADD COLUMN` when it is opened (old rows take the defaults).
    static let addedColumns: [(name: String, definition: String)] = [
        ("trace_state", "TEXT"),
        ("flags", "INTEGER NOT NULL DEFAULT 0"),
        ("links_json", "TEXT NOT NULL DEFAULT '[]'"),
        ("dropped_attributes_count", "INTEGER NOT NULL DEFAULT 0"),
        ("dropped_events_count", "INTEGER NOT NULL DEFAULT 0"),
        ("dropped_links_count", "INTEGER NOT NULL DEFAULT 0"),
    ]

    private static let insertSQL = """
        INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_time_unix_nano, end_time_unix_nano,
            duration_ns, status_code, status_message, service_name, scope_name, scope_version, resource_json,
            attributes_json, events_json, session_id, user_id, span_type, segment, inserted_unix_nano, trace_state,
            flags, links_json, dropped_attributes_count, dropped_events_count, dropped_links_count)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
            ?23, ?24, ?25, ?26, ?27)
        ON CONFLICT(trace_id, span_id) DO NOTHING
        """

    /// Opens or creates the store and its schema (WAL journal, `synchronous=FULL` so an acknowledged batch survives
    /// power loss before its spool checkpoint moves). A store created by an earlier version gets the columns it
    /// lacks (`ALTER TABLE spans ADD COLUMN`, in the same transaction as the schema); its rows take their defaults.
    ///
    /// - Parameters:
    ///   - metrics: counters for transactions (`requests`) and span bytes stored (`bytes_sent`).
    ///   - io: where `deliver` runs its transactions.
    /// - Throws: `UploadError.sqlite` when the file cannot be opened or the schema created or migrated.
    package init(path: String, logger: Logger, metrics: UploadMetrics? = nil, io: DiskIO = .shared) throws(UploadError)
    {
        self.path = path
        self.logger = logger
        self.metrics = metrics
        self.io = io
        database = try SQLiteDatabase(path: path)
        let added = try database.withConnection { (db: OpaquePointer) throws(UploadError) -> [String] in
            try SQLiteDatabase.execute(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
            // IMMEDIATE: two uploaders opening an old store at once do not both add the same column.
            try SQLiteDatabase.execute(db, "BEGIN IMMEDIATE")
            do throws(UploadError) {
                try SQLiteDatabase.execute(db, Self.schema)
                let existing = try Self.columnNames(db)
                let missing = Self.addedColumns.filter { !existing.contains($0.name) }
                for column in missing {
                    try SQLiteDatabase.execute(db, "ALTER TABLE spans ADD COLUMN \(column.name) \(column.definition)")
                }
                try SQLiteDatabase.execute(db, "COMMIT")
                return missing.map(\.name)
            } catch {
                try? SQLiteDatabase.execute(db, "ROLLBACK")
                throw error
            }
        }
        if !added.isEmpty {
            logger.info(
                "sqlite store migrated",
                metadata: ["path": "\(path)", "added_columns": "\(added.joined(separator: ","))"])
        }
    }

    /// The column names of the `spans` table (`PRAGMA table_info`).
    private static func columnNames(_ db: OpaquePointer) throws(UploadError) -> Set<String> {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, "PRAGMA table_info(spans)", -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        guard rc == SQLITE_OK, let statement else {
            throw .sqlite(operation: "PRAGMA table_info(spans)", code: rc, message: String(cString: sqlite3_errmsg(db)))
        }
        var names: Set<String> = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                throw .sqlite(
                    operation: "PRAGMA table_info(spans)", code: step, message: String(cString: sqlite3_errmsg(db)))
            }
            // Columns of table_info: cid, name, type, notnull, dflt_value, pk.
            if let name = sqlite3_column_text(statement, 1) { names.insert(String(cString: name)) }
        }
        return names
    }

    /// Does nothing: the connection closes when the sink is released.
    package func shutdown() async {}

    /// Inserts the batch's spans in one transaction, on `io`'s thread pool.
    ///
    /// - Throws: `DeliveryDeferred` when SQLite fails (disk full, locked too long); nothing of the batch is kept.
    package func deliver(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport {
        try await io.run(.sqliteTransaction) { () throws(DeliveryDeferred) in try self.insert(batch) }
    }

    /// Inserts the batch's spans in one transaction (blocking).
    private func insert(_ batch: SpanBatch) throws(DeliveryDeferred) -> DeliveryReport {
        let resource = (try? OTLPResource(decoding: batch.resource)) ?? OTLPResource()
        let scope = (try? OTLPInstrumentationScope(decoding: batch.scope)) ?? OTLPInstrumentationScope()
        let resourceJSON = AttributeJSON.object(resource.attributes)
        let serviceName = AttributeJSON.text(resource.attributes, AttributeNames.serviceName)
        var rejected = 0
        var inserted = 0
        let now = Int64(bitPattern: SystemClock.unixNanos())
        do {
            try database.withConnection { (db: OpaquePointer) throws(UploadError) in
                try SQLiteDatabase.execute(db, "BEGIN IMMEDIATE")
                var statement: OpaquePointer?
                let rc = sqlite3_prepare_v2(db, Self.insertSQL, -1, &statement, nil)
                guard rc == SQLITE_OK, let statement else {
                    let message = String(cString: sqlite3_errmsg(db))
                    try? SQLiteDatabase.execute(db, "ROLLBACK")
                    throw .sqlite(operation: "prepare insert", code: rc, message: message)
                }
                defer { sqlite3_finalize(statement) }
                for bytes in batch.spans {
                    guard let span = try? OTLPSpan(decoding: bytes) else {
                        rejected += 1
                        continue
                    }
                    sqlite3_reset(statement)
                    sqlite3_clear_bindings(statement)
                    bind(statement, 1, Hex.string(of: span.traceID))
                    bind(statement, 2, Hex.string(of: span.spanID))
                    bind(statement, 3, span.parentSpanID.isEmpty ? nil : Hex.string(of: span.parentSpanID))
                    bind(statement, 4, span.name)
                    sqlite3_bind_int64(statement, 5, Int64(span.kind.rawValue))
                    sqlite3_bind_int64(statement, 6, Int64(bitPattern: span.startTimeUnixNano))
                    sqlite3_bind_int64(statement, 7, Int64(bitPattern: span.endTimeUnixNano))
                    let duration =
                        span.endTimeUnixNano >= span.startTimeUnixNano
                        ? span.endTimeUnixNano - span.startTimeUnixNano : 0
                    sqlite3_bind_int64(statement, 8, Int64(bitPattern: duration))
                    sqlite3_bind_int64(statement, 9, Int64(span.status.code.rawValue))
                    bind(statement, 10, span.status.message.isEmpty ? nil : span.status.message)
                    bind(statement, 11, serviceName)
                    bind(statement, 12, scope.name.isEmpty ? nil : scope.name)
                    bind(statement, 13, scope.version.isEmpty ? nil : scope.version)
                    bind(statement, 14, resourceJSON)
                    bind(statement, 15, AttributeJSON.object(span.attributes))
                    bind(statement, 16, AttributeJSON.events(span.events))
                    bind(statement, 17, AttributeJSON.text(span.attributes, AttributeNames.sessionID))
                    bind(statement, 18, AttributeJSON.text(span.attributes, AttributeNames.userID))
                    bind(statement, 19, AttributeJSON.text(span.attributes, AttributeNames.spanType))
                    bind(statement, 20, batch.segment)
                    sqlite3_bind_int64(statement, 21, now)
                    bind(statement, 22, span.traceState.isEmpty ? nil : span.traceState)
                    sqlite3_bind_int64(statement, 23, Int64(span.flags))
                    bind(statement, 24, AttributeJSON.links(span.links))
                    sqlite3_bind_int64(statement, 25, Int64(span.droppedAttributesCount))
                    sqlite3_bind_int64(statement, 26, Int64(span.droppedEventsCount))
                    sqlite3_bind_int64(statement, 27, Int64(span.droppedLinksCount))
                    let step = sqlite3_step(statement)
                    guard step == SQLITE_DONE else {
                        let message = String(cString: sqlite3_errmsg(db))
                        try? SQLiteDatabase.execute(db, "ROLLBACK")
                        throw .sqlite(operation: "insert", code: step, message: message)
                    }
                    inserted += 1
                }
                try SQLiteDatabase.execute(db, "COMMIT")
            }
        } catch {
            throw DeliveryDeferred(reason: error.description)
        }
        metrics?.requests.increment()
        metrics?.bytesSent.increment(by: Int64(batch.spanRecordsSize))
        if rejected > 0 {
            logger.warning(
                "undecodable spans skipped",
                metadata: ["segment": "\(batch.segment)", "offset": "\(batch.start.offset)", "spans": "\(rejected)"])
        }
        return DeliveryReport(
            delivered: inserted, rejected: rejected, requests: 1, bytesSent: batch.spanRecordsSize)
    }

    private func bind(_ statement: OpaquePointer, _ index: Int32, _ text: String?) {
        guard let text else {
            sqlite3_bind_null(statement, index)
            return
        }
        // SQLITE_TRANSIENT: SQLite copies the bytes.
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        sqlite3_bind_text(statement, index, text, -1, transient)
    }
}

extension SQLiteSink {
    /// The default store for a spool directory: `tracespool.sqlite` in the spool directory's parent
    /// (`/var/spool/app/traces` → `/var/spool/app/tracespool.sqlite`), so it lives on the same volume but outside the
    /// directory the spool library scans.
    package static func defaultPath(forSpool spool: String) -> String {
        var trimmed = spool
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let (parent, _) = FileSystem.split(trimmed)
        return parent == "/" ? "/tracespool.sqlite" : parent + "/tracespool.sqlite"
    }
}
