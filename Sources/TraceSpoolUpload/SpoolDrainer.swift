package import Logging
import SpoolBase
package import SpoolFormat
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Drains spool directories into a sink with no loss and few duplicates: the engine behind one operation of
/// `SpoolUploader` (`drainOnce()` or `run()`).
///
/// Per segment it takes the lease `<base>.lease` (`flock`), reads from the checkpoint `<base>.ack`, sends batches
/// and durably checkpoints after each settled batch; sealed segments and those of dead writers are deleted (with
/// their `.ack` and `.lease`) once every span was settled; open segments of live writers are drained up to their
/// last complete frame and kept. A SIGKILL at any instant therefore loses nothing and re-sends at most the batch
/// in flight.
///
/// Every file system call goes through `io` (a thread pool, see `DiskIO`); the sink's own I/O is the sink's. The
/// follow loop's waits run on `clock`.
package final class SpoolDrainer: Sendable {
    /// The configuration (its destination is the sink's business).
    package let configuration: SpoolUploader.Configuration
    /// The sink.
    package let sink: any SpanSink
    /// The metrics.
    package let metrics: UploadMetrics
    /// The progress counts.
    package let progress: UploadProgress
    /// How a span larger than `batching.maxBytes` names that limit in its dead letter's reason.
    package let maxBytesName: String
    let logger: Logger
    let io: DiskIO
    private let clock: any Clock<Duration>
    /// The wall clock, Unix nanoseconds: the age of segments (`maxSegmentAge`) is measured on it.
    let nowUnixNanos: @Sendable () -> UInt64
    private let stop = StopSignal()
    /// Spool directories found missing by the last pass that looked at them (logged once, not on every pass).
    private let missingSpools = Mutex<Set<String>>([])
    /// Test seam: called with each listed segment at the named steps of draining it.
    private let onStep: @Sendable (Step, SegmentInfo) -> Void

    /// A point in draining one segment where tests act (a writer sealing the segment, for example).
    package enum Step: Sendable {
        /// Listed, not yet opened.
        case listed
        /// Opened (lease held, reader open), its writer's liveness not yet probed.
        case opened
    }
    /// Refused files already logged (`SpoolDrainer+RefusedFiles.swift`).
    let refusedFiles = RefusedFiles()

    /// Creates a drainer.
    ///
    /// - Parameters:
    ///   - io: where file system calls run (default: NIO's shared blocking thread pool).
    ///   - clock: the clock of the follow loop's waits.
    ///   - maxBytesName: how dead letters of oversized spans name `batching.maxBytes`.
    ///   - onStep: test seam called at each `Step` of draining a segment (default: nothing).
    ///   - nowUnixNanos: the wall clock segment ages are measured on (default: the system's).
    package init(
        configuration: SpoolUploader.Configuration, sink: any SpanSink, metrics: UploadMetrics,
        progress: UploadProgress = UploadProgress(), logger: Logger, io: DiskIO = .shared,
        clock: any Clock<Duration> = ContinuousClock(), maxBytesName: String = "batching.maxBytes",
        onStep: @escaping @Sendable (Step, SegmentInfo) -> Void = { _, _ in },
        nowUnixNanos: @escaping @Sendable () -> UInt64 = { SystemClock.unixNanos() }
    ) {
        self.nowUnixNanos = nowUnixNanos
        self.onStep = onStep
        self.configuration = configuration
        self.sink = sink
        self.metrics = metrics
        self.progress = progress
        self.logger = logger
        self.io = io
        self.clock = clock
        self.maxBytesName = maxBytesName
    }

    /// Stops taking new work: no new segment or batch is started, retries stop, waits end; the batch in flight
    /// finishes.
    package func requestStop() {
        if stop.raise() {
            logger.notice("stop requested, finishing the batches in flight")
        }
        sink.stopRetrying()
    }

    /// Whether `requestStop()` was called.
    package var isStopping: Bool { stop.isRaised }

    /// Drains everything present once: every segment is read to its end; open segments of live writers are kept for
    /// later.
    package func drainOnce() async -> DrainSummary {
        let summary = await pass()
        logSummary(summary)
        return summary
    }

    /// Follows the spools until `requestStop()` (or task cancellation): a pass whenever a directory changes, and at
    /// least every `follow.maxLatency`.
    package func follow() async -> DrainSummary {
        let watcher = DirectoryWatcher(
            paths: configuration.spoolDirectories, useInotify: configuration.follow.usesInotify)
        let latencyMillis = configuration.follow.maxLatency.wholeMilliseconds
        logger.info(
            "following spools",
            metadata: [
                "spools": "\(configuration.spoolDirectories.joined(separator: ","))",
                "inotify": "\(watcher.usesInotify)", "max_latency_ms": "\(latencyMillis)",
            ])
        var total = DrainSummary()
        let minimumGap = max(1, min(100, latencyMillis / 10))
        while !isStopping && !Task.isCancelled {
            total.add(await pass())
            if isStopping || Task.isCancelled { break }
            await pause(for: .milliseconds(minimumGap))
            await watcher.wait(timeout: .milliseconds(latencyMillis - minimumGap), clock: clock, stop: stop)
        }
        logSummary(total)
        return total
    }

    /// Sleeps `duration` on the clock, or less when a stop is requested or the task is cancelled.
    private func pause(for duration: Duration) async {
        let clock = self.clock
        let stop = self.stop
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await clock.sleep(for: duration) }
            group.addTask { await stop.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    private func logSummary(_ s: DrainSummary) {
        logger.notice(
            "upload summary",
            metadata: [
                "sink": "\(sink.name)", "spans_sent": "\(s.report.delivered)", "spans_rejected": "\(s.report.rejected)",
                "spans_dead_lettered": "\(s.report.deadLettered)", "requests": "\(s.report.requests)",
                "failed_requests": "\(s.report.failedRequests)",
                "bytes_sent": "\(s.report.bytesSent)", "segments_completed": "\(s.segmentsCompleted)",
                "segments_partial": "\(s.segmentsPartial)", "segments_busy": "\(s.segmentsBusy)",
                "segments_deferred": "\(s.segmentsDeferred)", "segments_failed": "\(s.segmentsFailed)",
                "segments_refused": "\(s.segmentsRefused)",
                "damaged_regions": "\(s.damagedRegions)", "torn_tails": "\(s.tornTails)",
                "writer_dropped_spans": "\(s.writerDroppedSpans)", "segments_expired": "\(s.segmentsExpired)",
                "spans_expired": "\(s.spansExpired)",
                "retries": "\(s.report.retries)",
            ])
    }

    /// What scanning one spool directory found.
    private enum Scan: Sendable {
        /// The directory and its listing; the leftovers swept from it.
        case found(SpoolDirectory, SpoolListing, swept: [SweptFile])
        /// The directory does not exist (yet).
        case missing
        /// The directory cannot be used.
        case failed(SpoolError)
    }

    /// One pass over every spool directory.
    package func pass() async -> DrainSummary {
        var work: [(spool: SpoolDirectory, segment: SegmentInfo)] = []
        var summary = DrainSummary()
        var backlogBytes = 0
        var oldest: UInt64 = 0
        for path in configuration.spoolDirectories {
            // Disk I/O boundary: listing and sweeping run on the thread pool.
            let scan = await io.run(.scanSpool) { () -> Scan in
                do throws(SpoolError) {
                    let spool = try SpoolDirectory(
                        path: path, access: .ship(sharedGroup: self.configuration.spoolGroup))
                    let segments = try spool.listing()
                    let swept = spool.sweepLeftovers(
                        nowUnixSeconds: Int(time(nil)), minimumAgeSeconds: Self.leftoverTemporaryAgeSeconds)
                    return .found(spool, segments, swept: swept)
                } catch .io(_, _, ENOENT) {
                    return .missing
                } catch {
                    return .failed(error)
                }
            }
            let spool: SpoolDirectory
            let segments: [SegmentInfo]
            switch scan {
            case .missing:
                // Nothing was ever spooled there (yet): nothing to deliver, not a failure. Logged when first seen
                // missing, not on every pass of follow mode.
                if missingSpools.withLock({ $0.insert(path).inserted }) {
                    logger.info("spool directory does not exist yet", metadata: ["spool": "\(path)"])
                }
                continue
            case .failed(let error):
                logger.error("cannot read spool directory", metadata: ["spool": "\(path)", "error": "\(error)"])
                summary.segmentsFailed += 1
                continue
            case .found(let directory, let listing, let swept):
                spool = directory
                segments = listing.segments
                summary.segmentsRefused += reportRefused(listing.refused, in: spool)
                if missingSpools.withLock({ $0.remove(path) != nil }) {
                    logger.info("spool directory appeared", metadata: ["spool": "\(path)"])
                }
                logSwept(swept, in: spool)
            }
            for s in segments {
                work.append((spool, s))
                backlogBytes += s.sizeBytes
                if oldest == 0 || s.name.createdUnixNanos < oldest { oldest = s.name.createdUnixNanos }
            }
        }
        work.sort { $0.segment.name < $1.segment.name }
        metrics.recordScan(
            segments: work.count, bytes: backlogBytes, oldestSegmentUnixNanos: oldest,
            nowUnixNanos: SystemClock.unixNanos())
        progress.setBacklog(backlogBytes)
        let workers = configuration.batching.workers
        let pass = PassState()
        var skipped = 0
        await withTaskGroup(of: DrainSummary.self) { group in
            var iterator = work.makeIterator()
            var running = 0
            while running < workers, !isStopping, let next = iterator.next() {
                group.addTask { await self.drainSegment(next.segment, in: next.spool, pass: pass) }
                running += 1
            }
            for await result in group {
                summary.add(result)
                guard !isStopping, !Task.isCancelled, let next = iterator.next() else { continue }
                if pass.backendUnavailable {
                    skipped += 1
                    while iterator.next() != nil { skipped += 1 }
                    continue
                }
                group.addTask { await self.drainSegment(next.segment, in: next.spool, pass: pass) }
            }
        }
        if skipped > 0 {
            // The backend is down (or redirects): no new retry budget per segment; the next pass tries again.
            summary.segmentsDeferred += skipped
            logger.warning(
                "backend unavailable, remaining segments deferred to the next pass",
                metadata: ["segments": "\(skipped)"])
        }
        return summary
    }

    /// What the workers of one pass share.
    final class PassState: Sendable {
        private let unavailable = Atomic<Bool>(false)

        /// Whether a batch of this pass was deferred because the backend cannot take batches now.
        var backendUnavailable: Bool { unavailable.load(ordering: .relaxed) }

        /// Records that the backend cannot take batches now: the pass starts no new segment or batch.
        func markBackendUnavailable() { unavailable.store(true, ordering: .relaxed) }
    }

    /// Logs the leftovers of dead writers and uploaders that a scan removed (`SpoolDirectory.sweepLeftovers`):
    /// orphaned checkpoints and leases, and unfinished temporary files older than `leftoverTemporaryAgeSeconds`.
    private func logSwept(_ swept: [SweptFile], in spool: SpoolDirectory) {
        for file in swept {
            let path = spool.path(of: file.fileName)
            switch file.kind {
            case .segmentTemporary:
                logger.info("removed a dead writer's unfinished segment file", metadata: ["file": "\(path)"])
            case .checkpointTemporary:
                logger.info("removed a dead uploader's unfinished checkpoint file", metadata: ["file": "\(path)"])
            case .orphanCheckpoint, .orphanLease, .staleInvocationMarker:
                logger.debug("removed the companion file of a finished segment", metadata: ["file": "\(path)"])
            }
        }
    }

    /// How old an unlocked `.<base>.tmp` or a `.<base>.ack.tmp-*` must be before it counts as a dead process's
    /// debris (seconds).
    static let leftoverTemporaryAgeSeconds = 60

    /// What opening a segment under its lease came to.
    private enum Opening: Sendable {
        /// Open: the lease held, the checkpoint read, the batcher positioned.
        case opened(SegmentLease, SegmentBatcher, checkpoint: SegmentCheckpoint?, writerAlive: Bool)
        /// Another uploader holds the lease.
        case busy
        /// The lease could not be taken.
        case leaseFailed(SpoolError)
        /// The segment is gone under both names: another uploader finished it since the listing.
        case gone
        /// A live writer's segment could not be read yet.
        case unreadableLive(path: String, SpoolError)
        /// The segment was unreadable and moved to the dead-letter directory (or could not be moved).
        case quarantined
    }

    /// Drains one segment under its lease.
    func drainSegment(_ info: SegmentInfo, in spool: SpoolDirectory, pass: PassState) async -> DrainSummary {
        var summary = DrainSummary()
        let ackPath = spool.path(of: info.name.checkpointFileName)
        let damageCount = Mutex(0)
        let onDamage: @Sendable (Damage) -> Void = { [logger, metrics] damage in
            damageCount.withLock { $0 += 1 }
            metrics.damagedFrames.increment()
            metrics.damagedBytes.increment(by: Int64(damage.length))
            logger.warning(
                "damaged region skipped",
                metadata: [
                    "segment": "\(damage.segment)", "offset": "\(damage.offset)", "length": "\(damage.length)",
                    "reason": "\(damage.reason.code)", "detail": "\(damage.reason)",
                ])
        }
        onStep(.listed, info)
        // Disk I/O boundary: the lease, the checkpoint and the segment's header are read on the thread pool.
        let opening = await io.run(.openSegment) {
            self.open(info, in: spool, ackPath: ackPath, onDamage: onDamage)
        }
        let lease: SegmentLease
        let batcher: SegmentBatcher
        let writerAlive: Bool
        switch opening {
        case .busy:
            logger.debug("segment leased by another uploader", metadata: ["segment": "\(info.name)"])
            summary.segmentsBusy = 1
            return summary
        case .leaseFailed(let error):
            logger.error("cannot take segment lease", metadata: ["segment": "\(info.name)", "error": "\(error)"])
            summary.segmentsFailed = 1
            return summary
        case .gone:
            return summary
        case .unreadableLive(let path, let error):
            logger.warning("cannot read live segment yet", metadata: ["segment": "\(path)", "error": "\(error)"])
            return summary
        case .quarantined:
            metrics.damagedFrames.increment()
            summary.damagedRegions += 1
            summary.segmentsFailed = 1
            return summary
        case .opened(let l, let b, let checkpoint, let alive):
            lease = l
            batcher = b
            writerAlive = alive
            if let checkpoint {
                logger.debug("resuming segment", metadata: ["segment": "\(b.path)", "checkpoint": "\(checkpoint)"])
            }
        }
        // Retention by age (`SpoolDrainer+Retention.swift`): never an open segment a live writer holds.
        if batcher.isSealed || !writerAlive, let age = expiredAge(of: info.name, nowUnixNanos: nowUnixNanos()) {
            return await expire(
                batcher, lease: lease, in: spool, ackPath: ackPath, age: age, damageCount: damageCount)
        }
        let path = batcher.path
        let sealed = batcher.isSealed
        var reportedDrops = 0
        var reportedBytes = 0
        while true {
            // Disk I/O boundary: frames are read on the thread pool.
            guard let batch = await io.run(.readSegment, { batcher.nextBatch() }) else { break }
            if batch.count > 0, isStopping || Task.isCancelled || pass.backendUnavailable {
                summary.segmentsDeferred = 1
                summary.damagedRegions += damageCount.withLock { $0 }
                return summary
            }
            let drops = Int(clamping: batcher.writerDrops.total)
            if drops > reportedDrops {
                metrics.writerDroppedSpans.increment(by: Int64(drops - reportedDrops))
                summary.writerDroppedSpans += drops - reportedDrops
                logger.warning(
                    "writer reported dropped spans",
                    metadata: ["segment": "\(path)", "spans": "\(drops - reportedDrops)"])
                reportedDrops = drops
            }
            var report = DeliveryReport()
            if batch.count > 0 {
                do throws(DeliveryDeferred) {
                    if batch.requestSize > configuration.batching.maxBytes {
                        report = try await deadLetterOversized(batch)
                    } else {
                        report = try await sink.deliver(batch)
                    }
                } catch {
                    if error.backendUnavailable { pass.markBackendUnavailable() }
                    metrics.batchesDeferred.increment()
                    logger.warning(
                        "batch deferred",
                        metadata: [
                            "segment": "\(path)", "offset": "\(batch.start.offset)", "spans": "\(batch.count)",
                            "reason": "\(error.reason)",
                        ])
                    summary.report.add(error.partial.requestTotals)
                    summary.segmentsDeferred = 1
                    summary.damagedRegions += damageCount.withLock { $0 }
                    return summary
                }
            }
            do {
                // Disk I/O boundary: the checkpoint is written and synced on the thread pool.
                try await io.run(.writeCheckpoint) { () throws(SpoolError) in try batch.end.write(to: ackPath) }
            } catch {
                logger.error("cannot write checkpoint", metadata: ["segment": "\(path)", "error": "\(error)"])
                record(report, into: &summary)
                summary.segmentsFailed = 1
                summary.damagedRegions += damageCount.withLock { $0 }
                return summary
            }
            record(report, into: &summary)
            if batch.count > 0 { metrics.batchesSent.increment() }
            let consumed = batcher.bytesConsumed
            progress.addConsumed(consumed - reportedBytes)
            reportedBytes = consumed
        }
        progress.addConsumed(batcher.bytesConsumed - reportedBytes)
        summary.damagedRegions += damageCount.withLock { $0 }
        guard sealed || !writerAlive else {
            summary.segmentsPartial = 1
            return summary
        }
        if !sealed, case .partialFrame(let offset, let length) = batcher.tail {
            // A dead writer's torn last frame (Spool/FORMAT.md §7): never a complete frame, so not damage.
            summary.tornTails += 1
            logger.notice(
                "\(SegmentTail.tornTailNote(offset: offset, length: length))", metadata: ["segment": "\(path)"])
        }
        let removed = await removeSegment(path, ackPath: ackPath, sealed: sealed, lease: lease, in: spool)
        guard removed else {
            summary.segmentsPartial = 1
            return summary
        }
        metrics.segmentsCompleted.increment()
        summary.segmentsCompleted = 1
        logger.info(
            "segment delivered and removed",
            metadata: [
                "segment": "\(path)", "spans": "\(summary.report.delivered)", "abandoned": "\(!sealed)",
                "damaged_regions": "\(summary.damagedRegions)",
            ])
        return summary
    }

    /// Adds a settled batch to the summary, the metrics and the progress.
    private func record(_ report: DeliveryReport, into summary: inout DrainSummary) {
        summary.report.add(report)
        metrics.record(report)
        progress.addDelivered(report.delivered)
    }

    /// Takes the lease of a segment, reads its checkpoint and opens it; quarantines it when its header is
    /// unreadable. Blocking: runs on the thread pool.
    private func open(
        _ info: SegmentInfo, in spool: SpoolDirectory, ackPath: String, onDamage: @escaping @Sendable (Damage) -> Void
    ) -> Opening {
        let lease: SegmentLease
        do throws(SpoolError) {
            guard let l = try SegmentLease.acquire(path: spool.path(of: info.name.leaseFileName)) else { return .busy }
            lease = l
        } catch {
            return .leaseFailed(error)
        }
        let checkpoint = SegmentCheckpoint.read(ackPath)
        let batcher: SegmentBatcher
        do throws(SpoolError) {
            // The segment may have been sealed (renamed) since the listing: the batcher then reads it as `.seg`.
            batcher = try SegmentBatcher(
                path: info.path, spoolPath: spool.path, checkpoint: checkpoint,
                maxSpans: configuration.batching.maxSpans, maxBytes: configuration.batching.maxBytes,
                onDamage: onDamage)
        } catch {
            if case .io(_, _, ENOENT) = error {
                // Gone under both names: another uploader finished it since the listing.
                unlink(ackPath)
                lease.removeFile()
                return .gone
            }
            // The name it failed under: as listed, or sealed since.
            let failed = error.path.flatMap { SegmentName(fileName: FileSystem.split($0).name) } ?? info.name
            let path = spool.path(of: failed.fileName)
            if SpoolDirectory.writerHoldsLock(path) { return .unreadableLive(path: path, error) }
            quarantine(failed, in: spool, error: "\(error)")
            unlink(ackPath)
            lease.removeFile()
            return .quarantined
        }
        onStep(.opened, info)
        var writerAlive = SegmentState(probing: batcher.path, isOpen: !batcher.isSealed) == .live
        if !batcher.isSealed, !writerAlive, access(batcher.path, F_OK) != 0 {
            // Sealed (renamed to `.seg`) since it was opened, so the probe found no `.open` file: its writer finished
            // it. Drained as a live writer's segment; the next pass resumes it under its `.seg` name.
            writerAlive = true
        }
        return .opened(lease, batcher, checkpoint: checkpoint, writerAlive: writerAlive)
    }

    private func deadLetterOversized(_ batch: SpanBatch) async throws(DeliveryDeferred) -> DeliveryReport {
        let reason = "span larger than \(maxBytesName) (\(configuration.batching.maxBytes) bytes)"
        do {
            // Disk I/O boundary: the dead letter is written on the thread pool.
            let file = try await io.run(.writeDeadLetter) { () throws(UploadError) -> String in
                try DeadLetterWriter().write(
                    batch: batch, body: batch.requestBody(), status: 0, responseBody: [], reason: reason)
            }
            metrics.deadLetters.increment()
            logger.error(
                "span too large for one request, dead-lettered",
                metadata: ["segment": "\(batch.segment)", "offset": "\(batch.start.offset)", "file": "\(file)"])
            return DeliveryReport(deadLettered: batch.count)
        } catch {
            throw DeliveryDeferred(reason: "cannot write dead letter: \(error)")
        }
    }

    /// Moves an unreadable segment (bad header) out of the way into the dead-letter directory, as
    /// `SegmentName.quarantinedFileName`. Blocking: runs on the thread pool.
    private func quarantine(_ segment: SegmentName, in spool: SpoolDirectory, error: String) {
        let path = spool.path(of: segment.fileName)
        let directory = spool.path(of: SpoolFile.deadLetterDirectoryName)
        try? FileSystem.makeDirectory(directory)
        let target = FileSystem.join(directory, segment.quarantinedFileName)
        if rename(path, target) == 0 {
            try? FileSystem.syncDirectory(spool.path)
            logger.error(
                "unreadable segment moved to dead-letter directory",
                metadata: ["segment": "\(path)", "moved_to": "\(target)", "error": "\(error)"])
        } else {
            logger.error("unreadable segment", metadata: ["segment": "\(path)", "error": "\(error)"])
        }
    }
}

extension SpoolDrainer {
    /// Removes a segment with its checkpoint and lease, unless it is open and a live writer still holds it, or it is
    /// gone under the name it was read from (with the lease held: sealed since; its checkpoint then stays). Disk I/O
    /// boundary: the lock probe, the unlinks and the directory fsync run on the thread pool. Returns whether the
    /// segment was removed.
    func removeSegment(
        _ path: String, ackPath: String, sealed: Bool, lease: SegmentLease, in spool: SpoolDirectory
    ) async -> Bool {
        await io.run(.removeSegment) { () -> Bool in
            if !sealed, SpoolDirectory.writerHoldsLock(path) { return false }
            if unlink(path) != 0, errno == ENOENT { return false }
            unlink(ackPath)
            try? FileSystem.syncDirectory(spool.path)
            lease.removeFile()
            return true
        }
    }
}
