package import OTLPWire
import SpoolBase
import SpoolFormat

/// The SQLite trace store opened for writing: one SQLite file (WAL journal, `synchronous=FULL`) with one row per span
/// in the table `spans` (`StoreSchema`).
///
/// Opening creates the file and the schema when missing and migrates a store of an earlier version. `insert` writes a
/// batch in one transaction, idempotently on `(trace_id, span_id)` (`ON CONFLICT DO NOTHING`), so a batch sent again
/// never duplicates rows. Calls are serialized: one transaction at a time. Read a store with `SpanStoreReader`.
package final class SpanStore: Sendable {
    /// The database file.
    package var path: String { connection.path }
    /// The columns opening added to a store created by an earlier version (empty for a new or current store).
    package let addedColumns: [String]
    private let connection: SQLiteConnection

    private static let insertSQL = """
        INSERT INTO spans (trace_id, span_id, parent_span_id, name, kind, start_time_unix_nano, end_time_unix_nano,
            duration_ns, status_code, status_message, service_name, scope_name, scope_version, resource_json,
            attributes_json, events_json, session_id, user_id, span_type, segment, inserted_unix_nano, trace_state,
            flags, links_json, dropped_attributes_count, dropped_events_count, dropped_links_count)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22,
            ?23, ?24, ?25, ?26, ?27)
        ON CONFLICT(trace_id, span_id) DO NOTHING
        """

    /// Opens or creates the store at `path` and its schema, keeping its files private to this process's user
    /// (`StoreFileGuard`: no symbolic links, no file of another user, mode 0600, the default store's directory 0700),
    /// and (`StoreSchema.createOrMigrate(_:)`): a store created by an
    /// earlier version gets the columns it lacks, in the same transaction as the schema; its rows take the defaults.
    /// Statements wait up to 10 s for another connection's lock.
    ///
    /// - Throws: `StoreError.symbolicLink`, `.notOwned`, `.notAFile` or `.directoryNotPrivate` when a file of the
    ///   store or its private directory fails those checks (nothing is written through it then); `StoreError.sqlite`
    ///   when the file cannot be opened or created, or the schema cannot be created or migrated (not a database,
    ///   read-only, disk full); nothing is changed then.
    package init(path: String) throws(StoreError) {
        try StoreFileGuard.prepare(path)
        connection = try SQLiteConnection(path: path, access: .readWriteCreate, busyTimeoutMillis: 10_000)
        try StoreFileGuard.recheck(path)
        addedColumns = try connection.withDatabase { database throws(StoreError) in
            try StoreSchema.createOrMigrate(database)
        }
        try StoreFileGuard.recheck(path)
    }

    /// Inserts `spans` in one transaction; a span whose `(trace_id, span_id)` is stored already is left as it is.
    ///
    /// - Parameters:
    ///   - spans: the spans, consumed one at a time (a lazy sequence keeps one decoded span in memory).
    ///   - resource: the resource of every span (`service_name`, `resource_json`).
    ///   - scope: the instrumentation scope of every span (`scope_name`, `scope_version`; empty text is NULL).
    ///   - segment: the spool segment the spans came from (`segment`), or nil.
    ///   - insertedUnixNanos: `inserted_unix_nano` of every row, Unix nanoseconds (default: the current time).
    /// - Returns: how many spans were written or found stored already (all of `spans`).
    /// - Throws: `StoreError.sqlite` when SQLite fails (disk full, locked longer than the busy timeout); the
    ///   transaction is rolled back, so nothing of the batch is kept.
    @discardableResult
    package func insert(
        _ spans: some Sequence<OTLPSpan>, resource: OTLPResource, scope: OTLPInstrumentationScope, segment: String?,
        insertedUnixNanos: Int64 = Int64(bitPattern: SystemClock.unixNanos())
    ) throws(StoreError) -> Int {
        let resourceJSON = StoreColumnCodec.encode(attributes: resource.attributes)
        let serviceName = StoreColumnCodec.text(of: AttributeNames.serviceName, in: resource.attributes)
        let scopeName = scope.name.isEmpty ? nil : scope.name
        let scopeVersion = scope.version.isEmpty ? nil : scope.version
        return try connection.withDatabase { database throws(StoreError) -> Int in
            try database.transaction { () throws(StoreError) -> Int in
                let statement = try database.prepare(Self.insertSQL, for: .prepareInsert)
                var written = 0
                for span in spans {
                    statement.reset()
                    statement.bind(1, Hex.string(of: span.traceID))
                    statement.bind(2, Hex.string(of: span.spanID))
                    statement.bind(3, span.parentSpanID.isEmpty ? nil : Hex.string(of: span.parentSpanID))
                    statement.bind(4, span.name)
                    statement.bind(5, Int64(span.kind.rawValue))
                    statement.bind(6, Int64(bitPattern: span.startTimeUnixNano))
                    statement.bind(7, Int64(bitPattern: span.endTimeUnixNano))
                    let duration =
                        span.endTimeUnixNano >= span.startTimeUnixNano
                        ? span.endTimeUnixNano - span.startTimeUnixNano : 0
                    statement.bind(8, Int64(bitPattern: duration))
                    statement.bind(9, Int64(span.status.code.rawValue))
                    statement.bind(10, span.status.message.isEmpty ? nil : span.status.message)
                    statement.bind(11, serviceName)
                    statement.bind(12, scopeName)
                    statement.bind(13, scopeVersion)
                    statement.bind(14, resourceJSON)
                    statement.bind(15, StoreColumnCodec.encode(attributes: span.attributes))
                    statement.bind(16, StoreColumnCodec.encode(events: span.events))
                    statement.bind(17, StoreColumnCodec.text(of: AttributeNames.sessionID, in: span.attributes))
                    statement.bind(18, StoreColumnCodec.text(of: AttributeNames.userID, in: span.attributes))
                    statement.bind(19, StoreColumnCodec.text(of: AttributeNames.spanType, in: span.attributes))
                    statement.bind(20, segment)
                    statement.bind(21, insertedUnixNanos)
                    statement.bind(22, span.traceState.isEmpty ? nil : span.traceState)
                    statement.bind(23, Int64(span.flags))
                    statement.bind(24, StoreColumnCodec.encode(links: span.links))
                    statement.bind(25, Int64(span.droppedAttributesCount))
                    statement.bind(26, Int64(span.droppedEventsCount))
                    statement.bind(27, Int64(span.droppedLinksCount))
                    _ = try statement.step(.insert)
                    written += 1
                }
                return written
            }
        }
    }
}
