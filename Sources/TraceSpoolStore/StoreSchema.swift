/// The schema of the SQLite trace store, and the migration of stores created by earlier versions.
///
/// One table, `spans`: one row per span, keyed by `(trace_id, span_id)`, with three indexes. `Docs/Uploader.md`
/// quotes `script`; a test checks the quote against it. The columns after `inserted_unix_nano` are
/// `addedColumns`: a store created before them gets them when it is opened for writing (`createOrMigrate(_:)`),
/// and readers of a store not opened since take their defaults (`selectSpans(columns:)`).
package enum StoreSchema {
    /// A column added after the first version of the schema.
    package struct AddedColumn: Sendable {
        /// The column's name.
        package var name: String
        /// Its type and constraints, as in `ALTER TABLE spans ADD COLUMN <name> <definition>`.
        package var definition: String
        /// The SQL value rows of an older store take: the column's `DEFAULT`, or `NULL` when it has none.
        package var defaultValue: String
    }

    /// The columns added after the first version of the schema, in table order: a store created before them gets
    /// them with `ALTER TABLE spans ADD COLUMN` when it is opened for writing (old rows take the defaults).
    package static let addedColumns: [AddedColumn] = [
        AddedColumn(name: "trace_state", definition: "TEXT", defaultValue: "NULL"),
        AddedColumn(name: "flags", definition: "INTEGER NOT NULL DEFAULT 0", defaultValue: "0"),
        AddedColumn(name: "links_json", definition: "TEXT NOT NULL DEFAULT '[]'", defaultValue: "'[]'"),
        AddedColumn(name: "dropped_attributes_count", definition: "INTEGER NOT NULL DEFAULT 0", defaultValue: "0"),
        AddedColumn(name: "dropped_events_count", definition: "INTEGER NOT NULL DEFAULT 0", defaultValue: "0"),
        AddedColumn(name: "dropped_links_count", definition: "INTEGER NOT NULL DEFAULT 0", defaultValue: "0"),
    ]

    /// The statements that create the table and its indexes when they are missing.
    package static let script = """
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

    /// Prepares a store opened for writing: WAL journal and `synchronous=FULL` (a committed batch survives power
    /// loss), then, in one `BEGIN IMMEDIATE` transaction (two writers opening an old store at once do not both add a
    /// column), creates what is missing of `script` and adds the `addedColumns` the table lacks.
    ///
    /// - Returns: the names of the columns added (empty for a new or current store).
    /// - Throws: `StoreError.sqlite` when a statement fails; the transaction is then rolled back.
    package static func createOrMigrate(_ database: SQLiteDatabase) throws(StoreError) -> [String] {
        try database.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;")
        return try database.transaction { () throws(StoreError) -> [String] in
            try database.execute(script)
            let existing = try columnNames(database)
            let missing = addedColumns.filter { !existing.contains($0.name) }
            for column in missing {
                try database.execute("ALTER TABLE spans ADD COLUMN \(column.name) \(column.definition)")
            }
            return missing.map(\.name)
        }
    }

    /// The column names of the `spans` table (`PRAGMA table_info`); empty when the store has no such table.
    ///
    /// - Throws: `StoreError.sqlite` with operation `.readColumns` (for example when the file is not a database).
    package static func columnNames(_ database: SQLiteDatabase) throws(StoreError) -> Set<String> {
        let statement = try database.prepare("PRAGMA table_info(spans)", for: .readColumns)
        var names: Set<String> = []
        // Columns of table_info: cid, name, type, notnull, dflt_value, pk.
        while try statement.step(.readColumns) {
            if let name = statement.text(1) { names.insert(name) }
        }
        return names
    }

    /// The columns `SpanStoreReader` reads, in the order it reads them.
    static let readColumns = [
        "trace_id", "span_id", "parent_span_id", "name", "kind", "start_time_unix_nano", "end_time_unix_nano",
        "status_code", "status_message", "attributes_json", "events_json", "trace_state", "flags", "links_json",
        "dropped_attributes_count", "dropped_events_count", "dropped_links_count",
    ]

    /// The query of every span in insertion order (`rowid`) for a table with the columns `present`: an added column
    /// the table lacks reads as its default (`<default> AS <name>`). When `present` is empty the table is missing and
    /// every column is named, so preparing the query reports the missing table.
    static func selectSpans(columns present: Set<String>) -> String {
        let list = readColumns.map { name in
            guard !present.isEmpty, !present.contains(name),
                let added = addedColumns.first(where: { $0.name == name })
            else { return name }
            return "\(added.defaultValue) AS \(name)"
        }
        return "SELECT \(list.joined(separator: ", ")) FROM spans ORDER BY rowid"
    }
}
