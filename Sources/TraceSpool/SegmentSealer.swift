import Dispatch
import SpoolFormat
import Synchronization

/// Seals the segments the writer thread rotated away from, on a thread of its own, so that the writer never waits
/// for a rotation's two `fsync`s (milliseconds, sometimes tens of them, on a real disk), in which spans keep
/// arriving and a full queue would drop them.
///
/// The thread exists only while there is work: it is started by `submit` and ends when the queue is empty. A flush
/// or shutdown cycle of the writer waits for it (`waitUntilIdle`) before answering, so `flush` still returns true
/// only when every span is durable. A segment whose seal fails is closed unsealed (readers salvage it) and the spans
/// appended to it since its last sync count as `ioError` drops.
final class SegmentSealer: Sendable {
    /// A rotated segment, and what is lost if it cannot be sealed.
    struct Job: Sendable {
        var segment: RotatedSegment
        /// Spans appended to it since it was last synced.
        var unsyncedSpans: UInt64
        /// Drop counts recorded in those frames (written again if they are lost).
        var unsyncedDrops: DropCounts
    }

    private struct State {
        var jobs: [Job] = []
        var running = false
        /// Woken when the queue is empty and the last seal is done.
        var idleWaiters: [DispatchSemaphore] = []
        /// Woken when the thread takes a job from the queue (room for one more).
        var roomWaiters: [DispatchSemaphore] = []
    }

    /// Why the writer thread waits for the sealing thread (reported to `TracerTestHooks.writerWaitsForSealer`).
    enum WriterWait: Sendable, Equatable {
        /// A flush or stop waits until every submitted segment is sealed (`waitUntilIdle`).
        case idle
        /// `submit` waits for room: `maxQueuedSegments` segments are queued.
        case room
    }

    private let core: TracerCore
    private let state = Mutex(State())

    init(core: TracerCore) { self.core = core }

    /// The sealing thread's name (visible in `/proc/<pid>/task/*/comm` and `top -H`).
    static let threadName = "tracespool-seal"

    /// The most rotated segments waiting in the queue, besides the one being sealed (each holds two descriptors
    /// and up to a segment of unsynced data). On a disk so slow that the queue is full, `submit` waits until the
    /// thread takes the next segment from it.
    static let maxQueuedSegments = 8

    /// Queues a rotated segment for sealing and starts the thread if it is not running; first waits for room when
    /// `maxQueuedSegments` are queued. Seals it on the calling thread when no thread can be started.
    func submit(_ job: Job) {
        let room = state.withLock { s -> DispatchSemaphore? in
            guard s.jobs.count >= Self.maxQueuedSegments else { return nil }
            let semaphore = DispatchSemaphore(value: 0)
            s.roomWaiters.append(semaphore)
            return semaphore
        }
        if let room {
            if let hook = core.testHooks?.writerWaitsForSealer { hook(.room) }
            room.wait()
        }
        let start = state.withLock { s -> Bool in
            s.jobs.append(job)
            defer { s.running = true }
            return !s.running
        }
        guard start else { return }
        let rc = DetachedThread.start(name: Self.threadName) { self.run() }
        if rc != 0 {
            core.logger.debug("TraceSpool could not start its sealing thread (errno \(rc)); sealing on the writer")
            run()
        }
    }

    /// Blocks until every submitted segment is sealed (or failed and counted). Called by the writer thread only.
    func waitUntilIdle() {
        let idle = state.withLock { s -> DispatchSemaphore? in
            guard s.running else { return nil }
            let semaphore = DispatchSemaphore(value: 0)
            s.idleWaiters.append(semaphore)
            return semaphore
        }
        if let idle {
            if let hook = core.testHooks?.writerWaitsForSealer { hook(.idle) }
            idle.wait()
        }
    }

    private func run() {
        while true {
            let (next, waiters) = state.withLock { s -> (Job?, [DispatchSemaphore]) in
                if s.jobs.isEmpty {
                    s.running = false
                    defer { s.idleWaiters = [] }
                    return (nil, s.idleWaiters)
                }
                defer { s.roomWaiters = [] }
                return (s.jobs.removeFirst(), s.roomWaiters)
            }
            for w in waiters { w.signal() }
            guard let job = next else { return }
            seal(job)
        }
    }

    private func seal(_ job: Job) {
        if let hook = core.testHooks?.beforeSeal { hook() }
        do {
            try job.segment.seal()
        } catch {
            core.drops.restorePending(job.unsyncedDrops)
            core.spansLostAfterAppend.add(Int(job.unsyncedSpans), ordering: .relaxed)
            if job.unsyncedSpans > 0 { core.noteDrop(.ioError, job.unsyncedSpans, detail: "\(error)") }
            core.logger.warning(
                "TraceSpool could not seal a full segment; it is left for readers to salvage",
                metadata: ["segment": "\(job.segment.path)", "error": "\(error)"])
        }
    }
}
