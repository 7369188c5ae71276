import Foundation
import OTLPWire
import SpoolTestSupport
import Testing

@testable import TraceSpoolStore

/// Stores written by the first version of the uploader: read as they are, and migrated when opened for writing.
@Suite struct MigrationTests {
    /// A store of the first schema at a new path.
    private func firstSchemaStore(_ work: TemporaryDirectory) throws -> String {
        let path = work.file("old.sqlite")
        try TestDatabase.execute(path, FirstSchemaStore.sql)
        return path
    }

    @Test func openingForWritingAddsTheMissingColumnsAndKeepsTheRows() throws {
        let work = TemporaryDirectory()
        let path = try firstSchemaStore(work)
        let oldColumns = try TestDatabase.columnNames(path)
        let oldRow = try TestDatabase.query(path, "SELECT * FROM spans")
        #expect(oldColumns.count == FirstSchemaStore.columnCount && oldRow.count == 1 && oldRow[0][3] == "old-span")

        let store = try SpanStore(path: path)
        #expect(store.addedColumns == StoreSchema.addedColumns.map(\.name))
        let columns = try TestDatabase.columnNames(path)
        #expect(columns == oldColumns + SpanStoreTests.addedColumns.components(separatedBy: ", "))
        let allOld = oldColumns.joined(separator: ", ")
        #expect(try TestDatabase.query(path, "SELECT \(allOld) FROM spans") == oldRow, "the old row is intact")
        #expect(
            try TestDatabase.query(path, "SELECT \(SpanStoreTests.addedColumns) FROM spans")
                == [[nil, "0", "[]", "0", "0", "0"]])

        // New spans are stored with every column beside the old row; opening the store again changes nothing.
        try SpanStoreTests.store([SpanStoreTests.linkedSpan()], in: store)
        #expect(try SpanStore(path: path).addedColumns == [])
        #expect(try TestDatabase.columnNames(path) == columns)
        #expect(
            try TestDatabase.query(path, "SELECT name, flags, json_array_length(links_json) FROM spans ORDER BY rowid")
                == [["old-span", "0", "0"], ["linked", "769", "2"]])
        #expect(try TestDatabase.query(path, "SELECT \(allOld) FROM spans WHERE name = 'old-span'") == oldRow)
    }

    @Test func aStoreOfTheFirstSchemaReadsBeforeAndAfterItIsMigrated() throws {
        let work = TemporaryDirectory()
        let path = try firstSchemaStore(work)
        let old = FirstSchemaStore.span

        // Not migrated (the reader opens it read-only): the missing columns read as their defaults.
        let before = try SpanStoreTests.read(path)
        #expect(before.rows == 1 && before.problems.isEmpty)
        #expect(before.spans == [old])
        #expect(
            before.spans.first?.traceState == "" && before.spans.first?.flags == 0 && before.spans.first?.links == [])
        #expect(try TestDatabase.columnNames(path).count == FirstSchemaStore.columnCount, "reading changes nothing")

        // Opened for writing, the store gets the columns; the old row reads the same and a new span comes back
        // whole beside it.
        let store = try SpanStore(path: path)
        #expect(try SpanStoreTests.read(path).spans == [old])
        try SpanStoreTests.store([SpanStoreTests.linkedSpan()], in: store)
        let after = try SpanStoreTests.read(path)
        #expect(after.problems.isEmpty)
        #expect(after.spans == [old, SpanStoreTests.linkedSpan()])
    }

    @Test func twoWritersOpeningAnOldStoreAtOnceBothSucceed() async throws {
        let work = TemporaryDirectory()
        let path = try firstSchemaStore(work)
        let added = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { try SpanStore(path: path).addedColumns } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // One of them migrated; the others found the columns there (BEGIN IMMEDIATE serializes them).
        #expect(added.filter { !$0.isEmpty } == [StoreSchema.addedColumns.map(\.name)])
        #expect(try TestDatabase.columnNames(path).count == 27)
    }
}
