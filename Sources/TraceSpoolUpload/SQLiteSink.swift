import CSQLite
package import Logging
import OTLPWire
import TraceSpoolStore

/// Stores spans in the local SQLite trace store (`TraceSpoolStore`'s `SpanStore`, documented in `Docs/Uploader.md`):
/// the default sink when no OTLP endpoint is configured.
///
/// Spans are decoded with `OTLPSpan(decoding:)` and inserted one batch per transaction, idempotently on
/// `(trace_id, span_id)`, so a re-sent batch never duplicates rows. A span whose bytes do not decode is counted as
/// rejected and logged. A store created by an earlier version gets its missing columns when opened (logged).
package final class SQLiteSink: SpanSink {
    /// `sqlite`.
    package var name: String { "sqlite" }
    /// The database file.
    package var path: String { store.path }
    private let store: SpanStore
    private let logger: Logger
    private let metrics: UploadMetrics?
    private let io: DiskIO

    /// Opens or creates the store and its schema (WAL journal, `synchronous=FULL` so an acknowledged batch survives
    /// power loss before its spool checkpoint moves). A store created by an earlier version gets the columns it
    /// lacks, in the same transaction as the schema; its rows take their defaults.
    ///
    /// - Parameters:
    ///   - metrics: counters for transactions (`requests`) and span bytes stored (`bytes_sent`).
    ///   - io: where `deliver` runs its transactions.
    /// - Throws: `UploadError.sqlite` when the file cannot be opened or the schema created or migrated.
    package init(path: String, logger: Logger, metrics: UploadMetrics? = nil, io: DiskIO = .shared) throws(UploadError)
    {
        self.io = io
        self.logger = logger
        self.metrics = metrics
        do throws(StoreError) {
            store = try SpanStore(path: path)
        } catch {
            throw UploadError(error)
        }
        if !store.addedColumns.isEmpty {
            logger.info(
                "sqlite store migrated",
                metadata: ["path": "\(path)", "added_columns": "\(store.addedColumns.joined(separator: ","))"])
        }
    }

    /// Does nothing: the connection closes when the sink is released.
    package func shutdown() async {}

    /// Inserts the batch's spans in one transaction.
    ///
    /// - Throws: `DeliveryDeferred` when SQLite fails (disk full, locked too long); nothing of the batch is kept.
    package func deliver(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport {
        try await io.run(.sqliteTransaction) { () throws(DeliveryDeferred) in try self.insert(batch) }
    }

    private func insert(_ batch: SpanBatch) throws(DeliveryDeferred) -> DeliveryReport {
        let resource = (try? OTLPResource(decoding: batch.resource)) ?? OTLPResource()
        let scope = (try? OTLPInstrumentationScope(decoding: batch.scope)) ?? OTLPInstrumentationScope()
        let spans = batch.spans.lazy.compactMap { try? OTLPSpan(decoding: $0) }
        let inserted: Int
        do throws(StoreError) {
            inserted = try store.insert(spans, resource: resource, scope: scope, segment: batch.segment)
        } catch {
            throw DeliveryDeferred(reason: UploadError(error).description)
        }
        let rejected = batch.spans.count - inserted
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
}

extension SQLiteSink {
    /// The default store for a spool directory: `tracespool.sqlite` in the private directory
    /// `tracespool-store-<euid>` beside the spool directory (`/var/spool/app/traces` →
    /// `/var/spool/app/tracespool-store-1000/tracespool.sqlite`); see `SpanStore.defaultPath(forSpool:)`.
    package static func defaultPath(forSpool spool: String) -> String {
        SpanStore.defaultPath(forSpool: spool)
    }
}

extension UploadError {
    /// The uploader's error for a store error: `.sqlite` naming the failed operation (`open <path>`, the first 60
    /// characters of an SQL statement, `prepare insert`, `insert`); a store file or directory refused as unsafe is
    /// `open <path>` with the store's explanation.
    fileprivate init(_ error: StoreError) {
        switch error {
        case .notAFile(let path):
            self = .sqlite(operation: "open \(path)", code: SQLITE_CANTOPEN, message: "not a regular file")
        case .symbolicLink(let path), .notOwned(let path, _, _), .directoryNotPrivate(let path, _):
            self = .sqlite(operation: "open \(path)", code: SQLITE_CANTOPEN, message: error.description)
        case .sqlite(let path, .open, let code, let message):
            self = .sqlite(operation: "open \(path)", code: code, message: message)
        case .sqlite(_, let operation, let code, let message):
            self = .sqlite(operation: operation.description, code: code, message: message)
        }
    }
}
