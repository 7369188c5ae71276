import Foundation
import SpoolTestSupport
import Testing

@testable import TraceSpoolStore

/// Where a store lives by default, and how a store is told from a spool.
@Suite struct StoreFilesTests {
    @Test func theDefaultStoreIsInAPrivateDirectoryBesideTheSpool() {
        let directory = "tracespool-store-\(geteuid())"
        #expect(
            SpanStore.defaultPath(forSpool: "/var/spool/app/traces/") == "/var/spool/app/\(directory)/tracespool.sqlite"
        )
        #expect(
            SpanStore.defaultPath(forSpool: "/var/spool/app/traces") == "/var/spool/app/\(directory)/tracespool.sqlite")
        #expect(SpanStore.defaultPath(forSpool: "/traces") == "/\(directory)/tracespool.sqlite")
        #expect(SpanStore.defaultPath(forSpool: "traces") == "./\(directory)/tracespool.sqlite")
    }

    @Test func aStoreIsAFileNamedLikeOneOrWithTheSQLiteHeader() throws {
        let work = TemporaryDirectory()
        #expect(!SpanStore.isStore(path: work.path), "a directory is a spool")
        #expect(!SpanStore.isStore(path: work.file("missing.sqlite")))
        let empty = work.file("empty.db")
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        #expect(SpanStore.isStore(path: empty), "the name is enough")
        let store = work.file("traces.store")
        _ = try SpanStore(path: store)
        #expect(SpanStore.isStore(path: store), "the header is enough")
        let text = work.file("notes.txt")
        _ = FileManager.default.createFile(atPath: text, contents: Data("SQLite format 2\0 and more".utf8))
        #expect(!SpanStore.isStore(path: text))
    }

    @Test func readingWhatIsNotAStoreFailsWithTheOperation() throws {
        let work = TemporaryDirectory()
        #expect(throws: StoreError.notAFile(path: work.path)) { try SpanStoreReader(path: work.path) }
        let text = work.file("bogus.db")
        _ = FileManager.default.createFile(atPath: text, contents: Data("not a database at all, just text....".utf8))
        #expect {
            try SpanStoreReader(path: text).forEachRow { _, _ in true }
        } throws: { error in
            guard case .sqlite(text, .readColumns, _, let message) = error as? StoreError else { return false }
            return message == "file is not a database"
        }
        let empty = work.file("empty.sqlite")
        try TestDatabase.execute(empty, "CREATE TABLE other (x)")
        #expect {
            try SpanStoreReader(path: empty).forEachRow { _, _ in true }
        } throws: { error in
            guard case .sqlite(empty, .prepareRead, _, let message) = error as? StoreError else { return false }
            return message == "no such table: spans"
        }
        let description = StoreError.sqlite(path: "/s", operation: .insert, code: 13, message: "disk full").description
        #expect(
            description.contains("sqlite insert of /s failed (code 13): disk full") && description.contains("check"))
    }

    @Test func readingStopsWhenAskedAndReportsRowsItCannotRebuild() throws {
        let work = TemporaryDirectory()
        let path = work.file("store.sqlite")
        let store = try SpanStore(path: path)
        try SpanStoreTests.store(
            (1...3).map { i in
                var span = SpanStoreTests.linkedSpan()
                span.spanID = [0, 0, 0, 0, 0, 0, 0, UInt8(i)]
                return span
            }, in: store)
        try TestDatabase.execute(path, "UPDATE spans SET attributes_json = 'nope' WHERE span_id = '0000000000000002'")
        var seen: [Int] = []
        var problems: [String] = []
        let rows = try SpanStoreReader(path: path).forEachRow { row, result in
            seen.append(row)
            if case .failure(let problem) = result { problems.append(problem.description) }
            return true
        }
        #expect(rows == 3 && seen == [1, 2, 3] && problems == ["attributes_json is not a JSON object"])
        let stopped = try SpanStoreReader(path: path).forEachRow { row, _ in row < 2 }
        #expect(stopped == 2)
    }
}
