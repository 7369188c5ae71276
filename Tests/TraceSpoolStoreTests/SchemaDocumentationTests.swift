import CSQLite
import Foundation
import SpoolTestSupport
import Testing

@testable import TraceSpoolStore

/// The schema quoted in `Docs/Uploader.md` is the schema the store creates: the quote and the store's script are run
/// in empty databases and their tables and indexes compared column by column, so a quote that drifts (a column renamed,
/// retyped, reordered, a constraint, default or index changed) fails here.
@Suite struct SchemaDocumentationTests {
    /// The package's root directory.
    static let packageRoot: String = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    /// The `sql` code blocks of the Markdown file at `path` (relative to the package root) that create the `spans`
    /// table.
    static func quotedSchemas(in path: String) throws -> [String] {
        let text = try String(contentsOfFile: packageRoot + "/" + path, encoding: .utf8)
        var blocks: [String] = []
        var current: [Substring]?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.trimmingCharacters(in: .whitespaces) == "```sql" {
                current = []
            } else if let block = current, line.trimmingCharacters(in: .whitespaces) == "```" {
                blocks.append(block.joined(separator: "\n"))
                current = nil
            } else {
                current?.append(line)
            }
        }
        return blocks.filter { $0.contains("CREATE TABLE spans") }
    }

    /// What SQLite made of a schema: the table's columns (`PRAGMA table_info`: position, name, type, not null,
    /// default, primary-key position) and its indexes (`PRAGMA index_list` and `index_info`: name, unique, origin,
    /// partial, and the indexed columns in order).
    struct Shape: Equatable, CustomStringConvertible {
        var columns: [[String?]]
        var indexes: [[String?]]

        var description: String {
            (columns + [["--"]] + indexes).map { $0.map { $0 ?? "NULL" }.joined(separator: " ") }.joined(
                separator: "\n")
        }
    }

    /// Runs `sql` in a new in-memory database and reads the shape of its `spans` table.
    static func shape(of sql: String) throws -> Shape {
        var db: OpaquePointer?
        try #require(sqlite3_open(":memory:", &db) == SQLITE_OK)
        defer { sqlite3_close(db) }
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        try #require(rc == SQLITE_OK, "\(String(cString: sqlite3_errmsg(db)))")
        let columns = try TestDatabase.query(
            db!, "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('spans') ORDER BY cid")
        var indexes: [[String?]] = []
        for index in try TestDatabase.query(
            db!, "SELECT name, \"unique\", origin, partial FROM pragma_index_list('spans') ORDER BY name")
        {
            let name = index[0] ?? ""
            let indexed = try TestDatabase.query(
                db!, "SELECT name FROM pragma_index_info('\(name)') ORDER BY seqno"
            ).map { $0[0] ?? "" }
            // SQLite names the primary key's index itself; keep only that it exists.
            let shownName = name.hasPrefix("sqlite_autoindex_") ? "(primary key)" : name
            indexes.append([shownName] + index.dropFirst() + [indexed.joined(separator: ",")])
        }
        return Shape(columns: columns, indexes: indexes)
    }

    @Test(arguments: ["Docs/Uploader.md"])
    func theQuotedSchemaIsTheStoresSchema(document: String) throws {
        let quotes = try Self.quotedSchemas(in: document)
        #expect(quotes.count == 1, "\(document) quotes the schema once in a ```sql block")
        let code = try Self.shape(of: StoreSchema.script)
        #expect(code.columns.count == 27 && code.indexes.count == 4, "\(code)")
        for quote in quotes {
            let quoted = try Self.shape(of: quote)
            #expect(quoted == code, "\(document) differs from StoreSchema.script:\n\(quoted)\n\nvs\n\(code)")
        }
    }

    @Test func theAddedColumnsEndTheTableWithTheirDefaults() throws {
        let code = try Self.shape(of: StoreSchema.script)
        let added = code.columns.suffix(StoreSchema.addedColumns.count)
        #expect(added.map { $0[1] } == StoreSchema.addedColumns.map(\.name))
        // A row of an older store reads as the column's default: the reader's fallback must be that default.
        #expect(added.map { $0[4] ?? "NULL" } == StoreSchema.addedColumns.map(\.defaultValue))
    }
}
