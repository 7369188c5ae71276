import Logging
import Synchronization

/// Log messages kept in memory so tests can assert on what the uploader reported.
final class CapturedLogs: Sendable {
    struct Entry: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let storage = Mutex<[Entry]>([])

    /// Everything logged so far.
    var entries: [Entry] { storage.withLock { $0 } }

    /// A logger writing into this store (level `trace`).
    func logger() -> Logger {
        var logger = Logger(label: "captured") { _ in Handler(store: self) }
        logger.logLevel = .trace
        return logger
    }

    fileprivate func append(_ entry: Entry) { storage.withLock { $0.append(entry) } }

    private struct Handler: LogHandler {
        let store: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var flat: [String: String] = [:]
            for (k, v) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) { flat[k] = "\(v)" }
            store.append(Entry(level: event.level, message: "\(event.message)", metadata: flat))
        }
    }
}
