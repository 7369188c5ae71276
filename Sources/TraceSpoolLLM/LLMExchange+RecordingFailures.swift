import Logging
import Synchronization

extension LLMExchange {
    /// The recordings that failed to take an exchange: the first failure of each recording file is logged as an
    /// error, later ones at debug level, and none reaches the caller (its response was received all the same).
    enum RecordingFailures {
        private static let failedPaths = Mutex<Set<String>>([])

        /// Logs `error`, a failure to append to the recording at `path`.
        static func log(_ error: any Error, path: String) {
            let first = failedPaths.withLock { $0.insert(path).inserted }
            let message: Logger.Message = "TraceSpool LLM recording: cannot append to \(path): \(error)"
            if first {
                LLMExchange.logger.error(message)
            } else {
                LLMExchange.logger.debug(message)
            }
        }
    }
}
