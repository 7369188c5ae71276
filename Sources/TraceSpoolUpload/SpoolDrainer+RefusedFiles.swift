import Logging
import SpoolFormat
import Synchronization

extension SpoolDrainer {
    /// The refused files a drainer has logged, so that follow mode logs each once, not on every pass.
    final class RefusedFiles: Sendable {
        private let logged = Mutex<Set<String>>([])

        /// Whether `path` is seen for the first time (since it was last forgotten); remembers it.
        func firstSighting(of path: String) -> Bool {
            logged.withLock { $0.insert(path).inserted }
        }

        /// Forgets the logged files of `spool` that are not in `current` (removed or renamed since).
        func keep(only current: Set<String>, in spool: String) {
            logged.withLock { set in set = set.filter { !$0.hasPrefix(spool + "/") || current.contains($0) } }
        }
    }

    /// Logs (a warning, once per file while it stays) the files named like segments that the listing of `spool`
    /// refused (`SpoolListing.RefusedFile`): they are left in place and not read.
    ///
    /// - Returns: how many files were refused, for the summary's `segmentsRefused`.
    func reportRefused(_ refused: [SpoolListing.RefusedFile], in spool: SpoolDirectory) -> Int {
        let paths = Set(refused.map { spool.path(of: $0.fileName) })
        refusedFiles.keep(only: paths, in: spool.path)
        for file in refused where refusedFiles.firstSighting(of: spool.path(of: file.fileName)) {
            logger.warning(
                "segment file refused", metadata: ["spool": "\(spool.path)", "reason": "\(file)"])
        }
        return refused.count
    }
}
