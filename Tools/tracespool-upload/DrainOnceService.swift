import ServiceLifecycle
import Synchronization
import TraceSpoolUpload

/// `--once` as a service: one `drainOnce()` (stopped early by a graceful shutdown, like the follow mode), its
/// summary kept for the exit status.
final class DrainOnceService: Service, Sendable {
    private let uploader: SpoolUploader
    private let result = Mutex<DrainSummary?>(nil)

    /// A service draining with `uploader`.
    init(uploader: SpoolUploader) {
        self.uploader = uploader
    }

    /// The summary, once `run()` returned.
    var summary: DrainSummary? { result.withLock { $0 } }

    /// Drains once and keeps the summary.
    func run() async {
        let summary = await uploader.drainOnce()
        result.withLock { $0 = summary }
    }
}
