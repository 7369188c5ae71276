public import Logging
import CSQLite
import OTLPWire
import SpoolFormat

/// Stores spans in one local SQLite file (WAL mode): the default sink when no OTLP endpoint is configured.
///
/// Spans are decoded with `OTLPSpan(decoding:)` and inserted with `ON CONFLICT(trace_id, span_id) DO NOTHING`, so
/// a re-sent batch never duplicates rows. One transaction per batch. A span whose bytes do not decode is counted
/// as rejected and logged. The schema is `SQLiteSink.schema` (documented in `Docs/Uploader.md`).
public final class SQLiteSink: SpanSink {
    /// `sqlite`.
    public var name: String { "sqlite" }
    /// The database file.
    public let path: String
    private let database: SQLiteDatabase
    private let logger: Logger
    private let metrics: UploadMetrics?

    /// The schema, created when missing.
    public static let schema = """
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
            PRIMARY KEY (trace_id, span_id)
        );
        CREATE INDEX IF NOT EXISTS spans_by_trace ON spans(trace_id, start_time_unix_nano);
        CREATE INDEX IF NOT EXISTS spans_by_session ON spans(session_id, start_time_unix_nano);
        CREATE INDEX IF NOT EXISTS spans_by_start ON spans(start_time_unix_nano);
        """

    private static let insertSQL = """
        INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_time_unix_nano, end_time_unix_nano,
            duration_ns, status_code, status_message, service_name, scope_name, scope_version, resource_json,
            attributes_json, events_json, session_id, user_id, span_type, segment, inserted_unix_nano)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
        ON CONFLICT(trace_id, span_id) DO NOTHING
        """

    /// Opens or creates the store and its schema (WAL journal, `synchronous=FULL` so an acknowledged batch survives
    /// power loss before its spool checkpoint moves).
    ///
    /// - Parameter metrics: counters for transactions (`requests`) and span bytes stored (`bytes_sent`).
    /// - Throws: `UploadError.sqlite` when the file cannot be opened or the schema created.
    public init(path: String, logger: Logger, metrics: UploadMetrics? = nil) throws(UploadError) {
        self.path = path
        self.logger = logger
        self.metrics = metrics
        database = try SQLiteDatabase(path: path)
        try database.withConnection { (db: OpaquePointer) throws(UploadError) in
            try SQLiteDatabase.execute(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
            try SQLiteDatabase.execute(db, Self.schema)
        }
    }

    /// Does nothing: the connection closes when the sink is released.
    public func shutdown() async {}

    /// Inserts the batch's spans in one transaction.
    ///
    /// - Throws: `DeliveryDeferred` when SQLite fails (disk full, locked too long); nothing of the batch is kept.
    public func deliver(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport {
        let resource = (try? OTLPResource(decoding: batch.resource)) ?? OTLPResource()
        let scope = (try? OTLPInstrumentationScope(decoding: batch.scope)) ?? OTLPInstrumentationScope()
        let resourceJSON = AttributeJSON.object(resource.attributes)
        let serviceName = AttributeJSON.text(resource.attributes, "service.name")
        var rejected = 0
        var inserted = 0
        let now = Int64(bitPattern: Clock.unixNanos())
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
                    bind(statement, 1, OTLPHex.hexString(of: span.traceID))
                    bind(statement, 2, OTLPHex.hexString(of: span.spanID))
                    bind(statement, 3, span.parentSpanID.isEmpty ? nil : OTLPHex.hexString(of: span.parentSpanID))
                    bind(statement, 4, span.name)
                    sqlite3_bind_int64(statement, 5, Int64(span.kind.rawValue))
                    sqlite3_bind_int64(statement, 6, Int64(bitPattern: span.startTimeUnixNano))
                    sqlite3_bind_int64(statement, 7, Int64(bitPattern: span.endTimeUnixNano))
                    let duration =
                        span.endTimeUnixNano >= span.startTimeUnixNano ? span.endTimeUnixNano - span.startTimeUnixNano : 0
                    sqlite3_bind_int64(statement, 8, Int64(bitPattern: duration))
                    sqlite3_bind_int64(statement, 9, Int64(span.status.code.rawValue))
                    bind(statement, 10, span.status.message.isEmpty ? nil : span.status.message)
                    bind(statement, 11, serviceName)
                    bind(statement, 12, scope.name.isEmpty ? nil : scope.name)
                    bind(statement, 13, scope.version.isEmpty ? nil : scope.version)
                    bind(statement, 14, resourceJSON)
                    bind(statement, 15, AttributeJSON.object(span.attributes))
                    bind(statement, 16, AttributeJSON.events(span.events))
                    bind(statement, 17, AttributeJSON.text(span.attributes, "session.id"))
                    bind(statement, 18, AttributeJSON.text(span.attributes, "user.id"))
                    bind(statement, 19, AttributeJSON.text(span.attributes, "tracespool.span.type"))
                    bind(statement, 20, batch.segment)
                    sqlite3_bind_int64(statement, 21, now)
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
        metrics?.requests.add(1, ordering: .relaxed)
        metrics?.bytesSent.add(batch.spanRecordsSize, ordering: .relaxed)
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
    public static func defaultPath(forSpool spool: String) -> String {
        var trimmed = spool
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed.removeLast() }
        let (parent, _) = FileSystem.split(trimmed)
        return parent == "/" ? "/tracespool.sqlite" : parent + "/tracespool.sqlite"
    }
}
