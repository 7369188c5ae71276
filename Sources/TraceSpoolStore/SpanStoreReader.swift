package import OTLPWire
import SpoolBase

/// Reads the spans of a SQLite trace store back, read-only (`SQLITE_OPEN_READONLY`: nothing on disk changes, not even
/// a migration).
///
/// Rows are streamed one at a time in insertion order (`rowid`), so memory stays bounded whatever the store's size.
/// Each row is rebuilt into an `OTLPSpan`: ids from hex; attributes, events and links from their JSON columns
/// (`StoreColumnCodec`); trace state, flags, kind, times, status and dropped counts. A store written before the
/// columns of `StoreSchema.addedColumns` existed (and not opened for writing since) reads with their defaults: no
/// trace state, flags 0, no links, no dropped counts. Byte-valued attributes come back as hex strings.
package struct SpanStoreReader: Sendable {
    /// Why a row could not be rebuilt into a span (an id that is not hex, a JSON column that does not parse).
    package struct UnreadableRow: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, for example `attributes_json is not a JSON object`.
        package var description: String
    }

    /// The store's path.
    package let path: String

    /// Opens nothing yet: checks that `path` is a regular file.
    ///
    /// - Throws: `StoreError.notAFile` when it is not.
    package init(path: String) throws(StoreError) {
        guard SpanStore.isRegularFile(path) else { throw .notAFile(path: path) }
        self.path = path
    }

    /// Streams every row of the store, oldest insertion first, calling `visit` with the row's number (from 1) and
    /// its span, or why it could not be rebuilt, until `visit` returns false.
    ///
    /// - Returns: the number of rows read.
    /// - Throws: `StoreError.sqlite` when the file cannot be opened read-only (`.open`), is not a SQLite database or
    ///   has no `spans` table (`.readColumns`, `.prepareRead`), or a read fails (`.readRow`, for example a corrupt
    ///   page); rows already visited stay visited. Waits up to 5 s for a writer's lock.
    @discardableResult
    package func forEachRow(_ visit: (Int, Result<OTLPSpan, UnreadableRow>) -> Bool) throws(StoreError) -> Int {
        let connection = try SQLiteConnection(path: path, access: .readOnly, busyTimeoutMillis: 5_000)
        return try connection.withDatabase { database throws(StoreError) -> Int in
            let present = try StoreSchema.columnNames(database)
            let statement = try database.prepare(StoreSchema.selectSpans(columns: present), for: .prepareRead)
            var rows = 0
            while try statement.step(.readRow) {
                rows += 1
                if !visit(rows, Self.span(statement)) { break }
            }
            return rows
        }
    }

    /// Rebuilds the span of the current row (columns in the order of `StoreSchema.readColumns`).
    private static func span(_ row: borrowing SQLiteStatement) -> Result<OTLPSpan, UnreadableRow> {
        var span = OTLPSpan()
        guard let traceID = row.text(0).flatMap({ Hex.bytes(fromHex: $0) }),
            let spanID = row.text(1).flatMap({ Hex.bytes(fromHex: $0) })
        else { return .failure(UnreadableRow(description: "trace_id or span_id is not hex")) }
        span.traceID = traceID
        span.spanID = spanID
        if let parent = row.text(2) {
            guard let bytes = Hex.bytes(fromHex: parent) else {
                return .failure(UnreadableRow(description: "parent_span_id is not hex"))
            }
            span.parentSpanID = bytes
        }
        span.name = row.text(3) ?? ""
        span.kind = OTLPSpanKind(rawValue: Int32(truncatingIfNeeded: row.int64(4)))
        span.startTimeUnixNano = UInt64(bitPattern: row.int64(5))
        span.endTimeUnixNano = UInt64(bitPattern: row.int64(6))
        span.status = OTLPStatus(
            code: OTLPStatusCode(rawValue: Int32(truncatingIfNeeded: row.int64(7))), message: row.text(8) ?? "")
        guard let attributes = StoreColumnCodec.decodeAttributes(row.text(9) ?? "{}") else {
            return .failure(UnreadableRow(description: "attributes_json is not a JSON object"))
        }
        span.attributes = attributes
        guard let events = StoreColumnCodec.decodeEvents(row.text(10) ?? "[]") else {
            return .failure(UnreadableRow(description: "events_json is not a JSON array of events"))
        }
        span.events = events
        span.traceState = row.text(11) ?? ""
        span.flags = UInt32(truncatingIfNeeded: row.int64(12))
        guard let links = StoreColumnCodec.decodeLinks(row.text(13) ?? "[]") else {
            return .failure(UnreadableRow(description: "links_json is not a JSON array of links"))
        }
        span.links = links
        span.droppedAttributesCount = UInt32(truncatingIfNeeded: row.int64(14))
        span.droppedEventsCount = UInt32(truncatingIfNeeded: row.int64(15))
        span.droppedLinksCount = UInt32(truncatingIfNeeded: row.int64(16))
        return .success(span)
    }
}
