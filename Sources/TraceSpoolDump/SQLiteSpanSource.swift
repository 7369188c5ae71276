import CSQLite
public import OTLPWire
import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The uploader's local SQLite trace store (`tracespool-upload --sqlite`) as a source of spans for `spans`, `tree`
/// and `trace ID`: each row of the `spans` table is rebuilt into an `OTLPSpan` (ids from hex; attributes, events and
/// links from their JSON columns; trace state, flags, kind, times, status, dropped counts) and handed to the same
/// filters and renderers as spool spans.
///
/// The file is opened read-only (`SQLITE_OPEN_READONLY`) and rows are streamed one at a time in insertion order
/// (`rowid`), so memory stays bounded whatever the store's size. A store written before the trace state, flags,
/// links and dropped-count columns existed (and not opened by the uploader since, which adds them) reads with their
/// defaults: no trace state, flags 0, no links, no dropped counts. Byte-valued attributes come back as hex strings.
public struct SQLiteSpanSource: Sendable {
    /// The store's path.
    public let path: String

    /// Opens nothing yet: checks that `path` is a regular file.
    ///
    /// - Throws: `DumpError.inputNotFound` when it is not a regular file.
    public init(path: String) throws(DumpError) {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw .inputNotFound(path: path) }
        self.path = path
    }

    /// Whether `path` is a SQLite store rather than a spool: a regular file whose name ends in `.sqlite` or `.db`,
    /// or that starts with the SQLite header `SQLite format 3\0`. Never modifies anything; false when unreadable.
    public static func isStore(path: String) -> Bool {
        var st = stat()
        guard stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return false }
        if path.hasSuffix(".sqlite") || path.hasSuffix(".db") { return true }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var header = [UInt8](repeating: 0, count: 16)
        let n = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
        return n == 16 && header == Array("SQLite format 3\0".utf8)
    }

    /// What a pass over the store found besides the spans.
    public struct Scan: Sendable, Equatable {
        /// Rows read (rebuilt or not).
        public var rowsRead = 0
        /// Problems (rows whose ids or JSON columns do not parse), for standard error.
        public var diagnostics = DumpDiagnostics()
    }

    /// The columns read, in the order `span(_:)` uses them, with the value that stands in for a column an older store
    /// lacks (nil: every store has it).
    private static let columns: [(name: String, fallback: String?)] = [
        ("trace_id", nil), ("span_id", nil), ("parent_span_id", nil), ("name", nil), ("kind", nil),
        ("start_time_unix_nano", nil), ("end_time_unix_nano", nil), ("status_code", nil), ("status_message", nil),
        ("attributes_json", nil), ("events_json", nil), ("trace_state", "NULL"), ("flags", "0"),
        ("links_json", "'[]'"), ("dropped_attributes_count", "0"), ("dropped_events_count", "0"),
        ("dropped_links_count", "0"),
    ]

    /// The row query for a `spans` table with columns `present` (when empty, the table is missing and every column is
    /// named, so preparing the query reports it).
    private static func query(present: Set<String>) -> String {
        let list = columns.map { column in
            guard let fallback = column.fallback, !present.isEmpty, !present.contains(column.name) else {
                return column.name
            }
            return "\(fallback) AS \(column.name)"
        }
        return "SELECT \(list.joined(separator: ", ")) FROM spans ORDER BY rowid"
    }

    /// Streams every span of the store, oldest insertion first, calling `visit` until it returns `.stop`
    /// (`.skipSegment` means the same as `.proceed`: the store has no segments). Rows that cannot be rebuilt are
    /// skipped and noted in the result's diagnostics.
    ///
    /// - Throws: `DumpError.sqlite` when the file cannot be opened read-only, is not a SQLite database, has no
    ///   `spans` table, or a read fails (a corrupt page); spans already visited stay visited.
    @discardableResult
    public func forEachSpan(_ visit: (OTLPSpan) -> ScanControl) throws(DumpError) -> Scan {
        var db: OpaquePointer?
        var rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, nil)
        defer { sqlite3_close(db) }
        guard rc == SQLITE_OK, let db else { throw error(db, "open", rc) }
        sqlite3_busy_timeout(db, 5_000)
        let present = try columnNames(db)
        var statement: OpaquePointer?
        rc = sqlite3_prepare_v2(db, Self.query(present: present), -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        guard rc == SQLITE_OK, let statement else { throw error(db, "read the spans table", rc) }
        var scan = Scan()
        while true {
            rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(db, "read a row", rc) }
            scan.rowsRead += 1
            switch Self.span(statement) {
            case .success(let span):
                if case .stop = visit(span) { return scan }
            case .failure(let problem):
                scan.diagnostics.add("\(path): row \(scan.rowsRead): \(problem.text); skipped")
            }
        }
        return scan
    }

    /// The column names of the `spans` table (`PRAGMA table_info`); empty when there is no such table.
    private func columnNames(_ db: OpaquePointer) throws(DumpError) -> Set<String> {
        var statement: OpaquePointer?
        var rc = sqlite3_prepare_v2(db, "PRAGMA table_info(spans)", -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        guard rc == SQLITE_OK, let statement else { throw error(db, "read the spans table", rc) }
        var names: Set<String> = []
        while true {
            rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(db, "read the spans table", rc) }
            // Columns of table_info: cid, name, type, notnull, dflt_value, pk.
            if let name = sqlite3_column_text(statement, 1) { names.insert(String(cString: name)) }
        }
        return names
    }

    private struct RowProblem: Error { var text: String }

    /// Rebuilds the span of the current row.
    private static func span(_ s: OpaquePointer) -> Result<OTLPSpan, RowProblem> {
        func text(_ column: Int32) -> String? {
            guard sqlite3_column_type(s, column) != SQLITE_NULL, let p = sqlite3_column_text(s, column) else {
                return nil
            }
            return String(cString: p)
        }
        func int(_ column: Int32) -> Int64 { sqlite3_column_int64(s, column) }
        var span = OTLPSpan()
        guard let traceID = text(0).flatMap({ Hex.bytes(fromHex: $0) }),
            let spanID = text(1).flatMap({ Hex.bytes(fromHex: $0) })
        else { return .failure(RowProblem(text: "trace_id or span_id is not hex")) }
        span.traceID = traceID
        span.spanID = spanID
        if let parent = text(2) {
            guard let bytes = Hex.bytes(fromHex: parent) else {
                return .failure(RowProblem(text: "parent_span_id is not hex"))
            }
            span.parentSpanID = bytes
        }
        span.name = text(3) ?? ""
        span.kind = OTLPSpanKind(rawValue: Int32(truncatingIfNeeded: int(4)))
        span.startTimeUnixNano = UInt64(bitPattern: int(5))
        span.endTimeUnixNano = UInt64(bitPattern: int(6))
        span.status = OTLPStatus(
            code: OTLPStatusCode(rawValue: Int32(truncatingIfNeeded: int(7))), message: text(8) ?? "")
        guard let attributes = StoreJSONReader.attributes(text(9) ?? "{}") else {
            return .failure(RowProblem(text: "attributes_json is not a JSON object"))
        }
        span.attributes = attributes
        guard let events = StoreJSONReader.events(text(10) ?? "[]") else {
            return .failure(RowProblem(text: "events_json is not a JSON array of events"))
        }
        span.events = events
        span.traceState = text(11) ?? ""
        span.flags = UInt32(truncatingIfNeeded: int(12))
        guard let links = StoreJSONReader.links(text(13) ?? "[]") else {
            return .failure(RowProblem(text: "links_json is not a JSON array of links"))
        }
        span.links = links
        span.droppedAttributesCount = UInt32(truncatingIfNeeded: int(14))
        span.droppedEventsCount = UInt32(truncatingIfNeeded: int(15))
        span.droppedLinksCount = UInt32(truncatingIfNeeded: int(16))
        return .success(span)
    }

    private func error(_ db: OpaquePointer?, _ operation: String, _ code: Int32) -> DumpError {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
        return .sqlite(path: path, operation: operation, message: message)
    }
}
