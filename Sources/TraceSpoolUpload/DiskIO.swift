import NIOCore
package import NIOPosix

/// The boundary between the uploader's async code and its blocking disk I/O.
///
/// Every file system call of the uploader (spool directory listing and sweep, segment reads, lease files, checkpoint
/// writes with their fsyncs, unlinks and directory fsyncs, quarantine renames, dead-letter writes, the SQLite sink's
/// transactions) runs inside `run(_:_:)`, on a thread of a `NIOThreadPool`, never on a thread of Swift's cooperative
/// pool: a slow or stalled disk then holds a pool thread, not the threads every other task of the process needs.
/// (Outside it: opening the SQLite store in `SpoolUploader.init`, on the caller's thread, and `DirectoryWatcher`'s
/// inotify calls, which read no file data.)
///
/// An operation once submitted always runs to its end, also when the calling task is cancelled meanwhile (a
/// delivered batch's checkpoint is still written, a finished segment still removed); cancellation takes effect at
/// the next step of the caller.
package struct DiskIO: Sendable {
    /// What an operation does, for the seam `willRun` (tests) and the documentation of the call sites.
    package enum Operation: Sendable, Hashable {
        /// Listing a spool directory and sweeping its leftovers.
        case scanSpool
        /// Taking a segment's lease, reading its checkpoint and opening it (or quarantining it).
        case openSegment
        /// Reading the next frames of a segment into a batch.
        case readSegment
        /// Writing a checkpoint durably (temporary file, fsync, rename, directory fsync).
        case writeCheckpoint
        /// Deleting a finished segment and its companions, with a directory fsync.
        case removeSegment
        /// Writing a dead letter durably.
        case writeDeadLetter
        /// One SQLite transaction.
        case sqliteTransaction
    }

    private let pool: NIOThreadPool
    private let willRun: (@Sendable (Operation) -> Void)?

    /// Disk I/O on NIO's shared blocking thread pool (`NIOThreadPool.singleton`).
    package static let shared = DiskIO(pool: .singleton)

    /// Disk I/O on `pool`; `willRun`, when given, is called on the pool thread before each operation (a test seam:
    /// it may block to simulate a stalled disk).
    ///
    /// - Precondition: `pool` is started and stays running while the uploader uses it.
    package init(pool: NIOThreadPool, willRun: (@Sendable (Operation) -> Void)? = nil) {
        self.pool = pool
        self.willRun = willRun
    }

    /// Runs `body` on the thread pool and returns its result (or throws its error) to the calling task; a
    /// `body` that does not throw makes `E` `Never`.
    ///
    /// The calling task is suspended meanwhile; its cancellation does not stop `body` (see the type's documentation).
    package func run<T: Sendable, E: Error>(
        _ operation: Operation, _ body: @escaping @Sendable () throws(E) -> T
    ) async throws(E) -> T {
        let willRun = self.willRun
        let result: Result<T, E>
        do {
            result = try await pool.runIfActive(eventLoop: MultiThreadedEventLoopGroup.singleton.any()) {
                () -> Result<T, E> in
                willRun?(operation)
                do throws(E) {
                    return .success(try body())
                } catch {
                    return .failure(error)
                }
            }.get()
        } catch {
            // The work is wrapped in a Result, so the only error left is the pool's own.
            preconditionFailure("the uploader's disk I/O thread pool was shut down while in use: \(error)")
        }
        return try result.get()
    }
}
