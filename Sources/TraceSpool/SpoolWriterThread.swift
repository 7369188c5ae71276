import Dispatch
import Logging
import SpoolBase
import SpoolFormat
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The tracer's single background writer: a dedicated POSIX thread (not the Swift concurrency pool) that appends
/// handed-over buffers as frames, collects partial buffers periodically and on flush, syncs on flush, and seals on
/// shutdown. Full segments are sealed by a `SegmentSealer` meanwhile. All its mutable state is confined to that
/// thread.
final class SpoolWriterThread: @unchecked Sendable {
    private let core: TracerCore
    private let sealer: SegmentSealer
    private var writer: SegmentWriter?
    private var spoolUsage = 0
    private var lastUsageScanNanos: UInt64 = 0
    private var loggedIOProblem = false
    /// Spans in frames appended since the current segment was last synced or sealed: lost if that sync fails.
    private var unsyncedSpans: UInt64 = 0
    /// Drop counts written in those frames (written again when the frames are lost).
    private var unsyncedDrops = DropCounts()
    /// After a failed sync the segment is abandoned; a new one is opened no sooner than this (monotonic ns), so that
    /// a disk whose syncs keep failing gets at most one new segment per backoff period, not one per flush.
    private var reopenNotBeforeNanos: UInt64 = 0
    /// The current backoff: 0 after a successful sync, then 100 ms doubling up to 2 s while syncs keep failing.
    private var reopenBackoffNanos: UInt64 = 0
    /// The last frame appended (to the current segment), which the next successful sync makes durable.
    private var lastAppended: FrameLocation?
    /// Whether an append, sync or seal failed since the last flush cycle completed (its waiters are told `ioError`).
    private var cycleIOFailed = false
    /// `ioErrorDrops` when the last flush cycle completed.
    private var ioErrorDropsAtLastCycle: UInt64 = 0

    init(core: TracerCore) {
        self.core = core
        self.sealer = SegmentSealer(core: core)
    }

    /// Starts the thread (detached). The thread keeps the core alive until shutdown.
    func start() {
        let rc = DetachedThread.start(name: Self.threadName) { self.run() }
        if rc != 0 {
            core.logger.error("TraceSpool could not start its writer thread (errno \(rc)); spans will be dropped")
            for w in core.stopQueue() { w.complete(false, failure: .writerStopped) }
        }
    }

    /// The writer thread's name (visible in `/proc/<pid>/task/*/comm`, debuggers and `top -H`).
    static let threadName = "tracespool-wr"

    /// The calling thread's Linux thread id, read from `/proc/thread-self` (`<pid>/task/<tid>`; `gettid` is not
    /// visible to Swift); 0 elsewhere or when it cannot be read.
    private static func currentThreadID() -> Int32 {
        #if canImport(Glibc)
            var buffer = [CChar](repeating: 0, count: 64)
            let count = readlink("/proc/thread-self", &buffer, buffer.count - 1)
            guard count > 0 else { return 0 }
            let link = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return link.split(separator: "/").last.flatMap { Int32($0) } ?? 0
        #else
            return 0
        #endif
    }

    /// The writer's loop: carries out what `WriterCycle` decides at each event, and all the I/O.
    private func run() {
        core.writerThreadID.store(Self.currentThreadID(), ordering: .relaxed)
        var cycle = WriterCycle(
            drainIntervalMillis: core.config.drainIntervalMillis,  // clamped (`TracerConfiguration.clamped`)
            nowNanos: SystemClock.monotonicNanos())
        while true {
            let sleep = cycle.sleepMicros(nowNanos: SystemClock.monotonicNanos())
            _ = core.wakeup.wait(timeout: .now() + .microseconds(sleep))
            var (batches, waiters) = core.queue.withLock { $0.takeRound() }
            for i in batches.indices {
                write(batches[i])
                core.recycle(&batches[i].bytes)
            }
            let action = cycle.roundEnded(
                wroteBuffers: !batches.isEmpty, waiters: waiters.count, stopRequested: waiters.contains { $0.stop },
                nowNanos: SystemClock.monotonicNanos(), park: { core.queue.withLock { $0.park() } })
            switch action {
            case .none:
                continue
            case .drain:
                drainThreadBuffers()
                continue
            case .flush:
                drainThreadBuffers()
            case .stop:
                drainThreadBuffers()
                // Spans that raced with the shutdown flag.
                for batch in core.queue.withLock({ $0.takeBatches() }) { write(batch) }
                drainThreadBuffers()
            }
            var ok = makeDurable(&cycle)
            core.logger.debug(
                "TraceSpool flush cycle",
                metadata: [
                    "ok": "\(ok)", "waiters": "\(waiters.count)",
                    "frames": "\(core.framesWritten.load(ordering: .relaxed))",
                    "segment": "\(writer?.currentSegmentPath ?? "-")",
                ])
            guard action == .stop else {
                for w in waiters { w.complete(ok, failure: failure) }
                cycleIOFailed = false
                ioErrorDropsAtLastCycle = ioErrorDrops
                continue
            }
            ok = close() && ok
            if let hook = core.testHooks?.beforeStop { hook() }
            // Waiters that arrived meanwhile get the final answer too; later ones wait for the shutdown waiter.
            let late = core.stopQueue()
            // Only now that the seal is done: an earlier shutdown call that timed out leaves the exit hook to wait
            // for it.
            ExitHook.unregister(core)
            for w in waiters + late { w.complete(ok, failure: failure) }
            return
        }
    }

    /// Why the current flush cycle failed, for its waiters (`FlushResult.IncompleteReason`).
    /// (A seal that failed on the sealing thread shows as `ioError` drops since the last cycle.)
    private var failure: FlushResult.IncompleteReason {
        cycleIOFailed || ioErrorDrops != ioErrorDropsAtLastCycle ? .ioError : .spansDropped
    }

    /// Spans dropped for `ioError` since the tracer started.
    private var ioErrorDrops: UInt64 { core.drops.totalCounts().counts[.ioError] ?? 0 }

    /// The durable part of a flush or stop: waits for the sealer, writes the pending drop counts, syncs, and retries
    /// when `cycle` says so. Returns the flush's result.
    private func makeDurable(_ cycle: inout WriterCycle) -> Bool {
        // Spans in segments rotated away from are durable once those are sealed; a failed seal counts them as drops,
        // which the drops record written next includes (its frame may rotate again: wait once more).
        sealer.waitUntilIdle()
        writePendingDrops()
        sealer.waitUntilIdle()
        var synced = sync()
        while true {
            switch cycle.syncEnded(synced: synced, lossTotal: core.drops.lossTotal()) {
            case .complete(let ok):
                return ok
            case .retryInFreshSegment:
                // Last chance to record the spans the failed sync lost: a drops record in a fresh segment.
                writePendingDrops(ignoringBackoff: true)
                sealer.waitUntilIdle()
                synced = sync()
            }
        }
    }

    private func drainThreadBuffers() {
        let list = core.buffers.withLock { list in
            // Forget buffers of exited threads once they are empty.
            list.removeAll { buffer in
                guard buffer.exited.load(ordering: .acquiring) else { return false }
                let handedOver = buffer.contents.withLock { $0.records == 0 ? $0.handedOver : nil }
                guard let handedOver else { return false }
                core.retiredBufferSpans.add(handedOver, ordering: .relaxed)
                return true
            }
            return list
        }
        for buffer in list {
            if var batch = buffer.take() {
                write(batch)
                core.recycle(&batch.bytes)
            }
        }
    }

    private func runHook() {
        if let hook = core.testHooks?.beforeIO { hook() }
    }

    private func segmentWriter(ignoringBackoff: Bool = false) -> SegmentWriter? {
        if let writer { return writer }
        guard ignoringBackoff || SystemClock.monotonicNanos() >= reopenNotBeforeNanos else { return nil }
        do {
            let directory = try SpoolDirectory(
                path: core.config.spoolDirectory, access: .write(create: true, sharedGroup: core.config.spoolGroup))
            let w = try SegmentWriter(directory: directory, options: core.options)
            writer = w
            scanUsage(directory)
            return w
        } catch {
            reportIOProblem("cannot open spool directory \(core.config.spoolDirectory): \(error)")
            return nil
        }
    }

    private func scanUsage(_ directory: SpoolDirectory) {
        lastUsageScanNanos = SystemClock.monotonicNanos()
        if let segments = try? directory.segments() {
            spoolUsage = segments.reduce(0) { $0 + $1.sizeBytes }
        }
    }

    private func overCap(adding bytes: Int) -> Bool {
        let cap = core.config.diskCapBytes
        guard cap > 0, spoolUsage + bytes > cap else { return false }
        // Someone (the uploader) may have removed segments: look again, at most once a second.
        if SystemClock.monotonicNanos() &- lastUsageScanNanos > 1_000_000_000, let writer {
            scanUsage(writer.directory)
        }
        return spoolUsage + bytes > cap
    }

    private func write(_ batch: PendingBatch) {
        let spans = UInt64(batch.records)
        guard let writer = segmentWriter() else {
            core.noteDrop(.ioError, spans)
            return
        }
        if overCap(adding: batch.bytes.count) {
            core.noteDrop(
                .diskCap, spans, detail: "spool directory reached its cap of \(core.config.diskCapBytes) bytes")
            return
        }
        let pending = core.drops.takePending()
        var payload = batch.bytes
        var records = batch.records
        if !pending.isEmpty {
            var prefixed: [UInt8] = []
            prefixed.reserveCapacity(payload.count + 32)
            RecordEncoding.append(type: .drops, body: pending.encoded(), to: &prefixed)
            prefixed.append(contentsOf: payload)
            payload = prefixed
            records += 1
        }
        runHook()
        let segment = writer.currentSegmentPath
        do {
            let location = try append(payload, records: records, to: writer)
            noteAppended(writer, previousSegment: segment, spans: spans, drops: pending)
            lastAppended = location
            spoolUsage += location.length
            core.framesWritten.add(1, ordering: .relaxed)
            core.spansWritten.add(batch.records, ordering: .relaxed)
            core.bytesWritten.add(location.length, ordering: .relaxed)
        } catch {
            core.drops.restorePending(pending)
            core.noteDrop(.ioError, spans, detail: "\(error)")
            if writer.currentSegmentPath != segment { loseUnsynced(error) }  // the segment was abandoned
            reportIOProblem("append failed: \(error)")
        }
    }

    /// Appends one frame. The segment the append rotated away from, if any, goes to the sealer with the spans and
    /// drop counts it holds unsynced (all of them: an append rotates at most once, before writing its frame),
    /// whether or not the append then succeeds.
    private func append(_ payload: [UInt8], records: Int, to writer: SegmentWriter) throws(SpoolError) -> FrameLocation
    {
        defer {
            for segment in writer.takeRotatedSegments() {
                sealer.submit(.init(segment: segment, unsyncedSpans: unsyncedSpans, unsyncedDrops: unsyncedDrops))
                unsyncedSpans = 0
                unsyncedDrops = DropCounts()
            }
        }
        return try writer.append(payload: payload, recordCount: records)
    }

    /// Accounts for a frame appended to `writer` holding `spans` spans and `drops` counts. When the append moved to a
    /// new segment, the previous one was sealed (synced) or handed to the sealer, so its frames are not counted here.
    private func noteAppended(_ writer: SegmentWriter, previousSegment: String?, spans: UInt64, drops: DropCounts) {
        if previousSegment != nil, writer.currentSegmentPath != previousSegment {
            unsyncedSpans = 0
            unsyncedDrops = DropCounts()
        }
        unsyncedSpans += spans
        unsyncedDrops.add(drops)
    }

    /// The frames appended since the last sync are lost (their segment vanished, or syncing or sealing it failed):
    /// counts their spans as `ioError` drops and puts their drop counts back, so the next drops record has both.
    private func loseUnsynced(_ error: any Error) {
        core.drops.restorePending(unsyncedDrops)
        core.spansLostAfterAppend.add(Int(unsyncedSpans), ordering: .relaxed)
        if unsyncedSpans > 0 { core.noteDrop(.ioError, unsyncedSpans, detail: "\(error)") }
        unsyncedSpans = 0
        unsyncedDrops = DropCounts()
    }

    /// Writes a frame holding only a drops record when drops are pending (allowed past the disk cap: it is tiny).
    private func writePendingDrops(ignoringBackoff: Bool = false) {
        let pending = core.drops.takePending()
        guard !pending.isEmpty else { return }
        guard let writer = segmentWriter(ignoringBackoff: ignoringBackoff) else {
            core.drops.restorePending(pending)
            return
        }
        var payload: [UInt8] = []
        RecordEncoding.append(type: .drops, body: pending.encoded(), to: &payload)
        runHook()
        let segment = writer.currentSegmentPath
        do {
            let location = try append(payload, records: 1, to: writer)
            noteAppended(writer, previousSegment: segment, spans: 0, drops: pending)
            lastAppended = location
            spoolUsage += location.length
            core.framesWritten.add(1, ordering: .relaxed)
        } catch {
            core.drops.restorePending(pending)
            if writer.currentSegmentPath != segment { loseUnsynced(error) }
            reportIOProblem("append failed: \(error)")
        }
    }

    private func sync() -> Bool {
        guard let writer else { return true }
        runHook()
        do {
            try writer.sync()
            unsyncedSpans = 0
            unsyncedDrops = DropCounts()
            reopenBackoffNanos = 0
            publishWatermark(writer, segmentPath: writer.currentSegmentPath)
            return true
        } catch {
            loseUnsynced(error)
            // Never sync this segment again: after a failed fdatasync a later one may succeed although dirty pages
            // were lost. Dropping the writer closes the segment unsealed (readers salvage it); an append after the
            // backoff starts a new segment (spans ended before then are dropped and counted).
            self.writer = nil
            if case .io = error {
                // The disk failed (EIO, ENOSPC at write-back): back off before the next segment. A segment that was
                // deleted under the writer is replaced at once.
                reopenBackoffNanos = min(max(reopenBackoffNanos &* 2, 100_000_000), 2_000_000_000)
                reopenNotBeforeNanos = SystemClock.monotonicNanos() &+ reopenBackoffNanos
            }
            reportIOProblem("sync failed: \(error)")
            return false
        }
    }

    private func close() -> Bool {
        guard let writer else { return true }
        let segmentPath = writer.currentSegmentPath
        do {
            try writer.close()
            publishWatermark(writer, segmentPath: segmentPath)
            return true
        } catch {
            loseUnsynced(error)
            reportIOProblem("sealing the segment failed: \(error)")
            return false
        }
    }

    /// After `writer` synced (or sealed) its segment at `segmentPath`: every frame appended is durable, or its spans
    /// were counted as lost (the sealer is idle: `makeDurable`). Publishes the durable span count and the last frame.
    private func publishWatermark(_ writer: SegmentWriter, segmentPath: String?) {
        let durable = core.spansWritten.load(ordering: .relaxed) - core.spansLostAfterAppend.load(ordering: .relaxed)
        var frame: FlushResult.DurableFrame?
        if let last = lastAppended, writer.directory.path(of: last.segment.fileName) == segmentPath {
            frame = FlushResult.DurableFrame(segment: last.segment.base, frameSequence: last.sequence)
        }
        core.watermark.withLock { mark in
            mark.durableSpans = max(mark.durableSpans, durable)
            if let frame { mark.lastFrame = frame }
        }
    }

    private func reportIOProblem(_ message: String) {
        cycleIOFailed = true
        if !loggedIOProblem {
            loggedIOProblem = true
            core.logger.warning("TraceSpool I/O problem (logged once; spans are dropped and counted): \(message)")
        } else {
            core.logger.debug("TraceSpool I/O problem: \(message)")
        }
    }
}
