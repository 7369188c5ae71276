package import Logging
import Synchronization

/// Log messages kept in memory so tests can assert on what the uploader reported, and wait for a message (no
/// polling).
package final class CapturedLogs: Sendable {
    /// One logged message.
    package struct Entry: Sendable {
        /// Its level.
        package var level: Logger.Level
        /// Its text.
        package var message: String
        /// The logger's and the message's metadata, flattened to strings.
        package var metadata: [String: String]
    }

    private struct State {
        var entries: [Entry] = []
        var nextWaiter = 0
        var waiters: [Int: (message: String, count: Int, continuation: CheckedContinuation<Void, Never>)] = [:]
    }

    private let storage = Mutex(State())

    /// An empty store.
    package init() {}

    /// Everything logged so far.
    package var entries: [Entry] { storage.withLock { $0.entries } }

    /// A logger writing into this store (level `trace`).
    package func logger() -> Logger {
        var logger = Logger(label: "captured") { _ in Handler(store: self) }
        logger.logLevel = .trace
        return logger
    }

    /// Returns once `message` was logged at least `count` times (or the task is cancelled).
    package func waitFor(_ message: String, count: Int = 1) async {
        let id = storage.withLock { s -> Int in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = storage.withLock { s -> Bool in
                    if s.entries.count(where: { $0.message == message }) >= count || Task.isCancelled { return true }
                    s.waiters[id] = (message, count, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            storage.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

    fileprivate func append(_ entry: Entry) {
        let ready = storage.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.entries.append(entry)
            let seen = s.entries.count { $0.message == entry.message }
            let ready = s.waiters.filter { $0.value.message == entry.message && seen >= $0.value.count }
            for id in ready.keys { s.waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
    }

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
