package import OTLPWire
import TraceSpoolStore

/// The uploader's local SQLite trace store (`tracespool-upload --sqlite`) as a source of spans for `spans`, `tree`
/// and `trace ID`: `TraceSpoolStore`'s `SpanStoreReader` rebuilds each row into an `OTLPSpan`, which goes to the same
/// filters and renderers as spool spans.
///
/// The file is opened read-only and rows are streamed one at a time in insertion order, so memory stays bounded
/// whatever the store's size; a store of an earlier schema reads with the defaults of the columns it lacks.
package struct SQLiteSpanSource: Sendable {
    private let reader: SpanStoreReader

    /// The store's path.
    package var path: String { reader.path }

    /// Opens nothing yet: checks that `path` is a regular file.
    ///
    /// - Throws: `DumpError.inputNotFound` when it is not a regular file.
    package init(path: String) throws(DumpError) {
        do throws(StoreError) {
            reader = try SpanStoreReader(path: path)
        } catch {
            throw DumpError(error)
        }
    }

    /// Whether `path` is a SQLite store rather than a spool (`SpanStore.isStore(path:)`: a regular file named
    /// `*.sqlite` or `*.db`, or starting with the SQLite header). Never modifies anything.
    package static func isStore(path: String) -> Bool {
        SpanStore.isStore(path: path)
    }

    /// What a pass over the store found besides the spans.
    package struct Scan: Sendable, Equatable {
        /// Rows read (rebuilt or not).
        package var rowsRead = 0
        /// Problems (rows whose ids or JSON columns do not parse), for standard error.
        package var diagnostics = DumpDiagnostics()
    }

    /// Streams every span of the store, oldest insertion first, calling `visit` until it returns `.stop`
    /// (`.skipSegment` means the same as `.proceed`: the store has no segments). Rows that cannot be rebuilt are
    /// skipped and noted in the result's diagnostics.
    ///
    /// - Throws: `DumpError.store` when the file cannot be opened read-only, is not a SQLite database, has no
    ///   `spans` table, or a read fails (a corrupt page); spans already visited stay visited.
    @discardableResult
    package func forEachSpan(_ visit: (OTLPSpan) -> ScanControl) throws(DumpError) -> Scan {
        var diagnostics = DumpDiagnostics()
        let rows: Int
        do throws(StoreError) {
            rows = try reader.forEachRow { row, result in
                switch result {
                case .success(let span):
                    if case .stop = visit(span) { return false }
                case .failure(let problem):
                    diagnostics.add("\(path): row \(row): \(problem); skipped")
                }
                return true
            }
        } catch {
            throw DumpError(error)
        }
        return Scan(rowsRead: rows, diagnostics: diagnostics)
    }
}

extension DumpError {
    /// The dump tool's error for a store error: `.inputNotFound` when the path is not a regular file, else `.store`.
    init(_ error: StoreError) {
        switch error {
        case .notAFile(let path): self = .inputNotFound(path: path)
        case .sqlite, .symbolicLink, .notOwned, .directoryNotPrivate: self = .store(error)
        }
    }
}
