public import Logging
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

/// Drains spool directories into a sink with no loss and few duplicates.
///
/// Per segment it takes the lease `<base>.lease` (`flock`), reads from the checkpoint `<base>.ack`, sends batches
/// and durably checkpoints after each settled batch; sealed segments and those of dead writers are deleted (with
/// their `.ack` and `.lease`) once every span was settled; open segments of live writers are drained up to their
/// last complete frame and kept. A SIGKILL at any instant therefore loses nothing and re-sends at most the batch
/// in flight.
public final class Uploader: Sendable {
    /// The configuration.
    public let configuration: UploaderConfiguration
    /// The sink.
    public let sink: any SpanSink
    /// The counters.
    public let metrics: UploadMetrics
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    /// Spool directories found missing by the last pass that looked at them (logged once, not on every pass).
    private let missingSpools = Mutex<Set<String>>([])

    /// Creates an uploader.
    public init(configuration: UploaderConfiguration, sink: any SpanSink, metrics: UploadMetrics, logger: Logger) {
        self.configuration = configuration
        self.sink = sink
        self.metrics = metrics
        self.logger = logger
    }

    /// Stops taking new work: no new segment or batch is started, retries stop; the batch in flight finishes.
    public func requestStop() {
        if !stopping.exchange(true, ordering: .relaxed) {
            logger.notice("stop requested, finishing the batches in flight")
        }
        sink.stopRetrying()
    }

    /// Whether `requestStop()` was called.
    public var isStopping: Bool { stopping.load(ordering: .relaxed) }

    /// Drains everything present once (`--once`): every segment is read to its end; open segments of live writers
    /// are kept for later.
    public func drainOnce() async -> DrainSummary {
        let summary = await pass()
        logSummary(summary)
        return summary
    }

    /// Follows the spools until `requestStop()` (or task cancellation): a pass whenever a directory changes, and at
    /// least every `maxLatencyMillis`.
    public func follow() async -> DrainSummary {
        let watcher = DirectoryWatcher(paths: configuration.spoolPaths, useInotify: configuration.useInotify)
        logger.info(
            "following spools",
            metadata: [
                "spools": "\(configuration.spoolPaths.joined(separator: ","))", "inotify": "\(watcher.usesInotify)",
                "max_latency_ms": "\(configuration.maxLatencyMillis)",
            ])
        var total = DrainSummary()
        let minimumGap = max(1, min(100, configuration.maxLatencyMillis / 10))
        while !isStopping && !Task.isCancelled {
            total.add(await pass())
            if isStopping || Task.isCancelled { break }
            try? await Task.sleep(for: .milliseconds(minimumGap))
            await watcher.wait(timeoutMillis: configuration.maxLatencyMillis - minimumGap) { self.isStopping }
        }
        logSummary(total)
        return total
    }

    private func logSummary(_ s: DrainSummary) {
        logger.notice(
            "upload summary",
            metadata: [
                "sink": "\(sink.name)", "spans_sent": "\(s.report.delivered)", "spans_rejected": "\(s.report.rejected)",
                "spans_dead_lettered": "\(s.report.deadLettered)", "requests": "\(s.report.requests)",
                "bytes_sent": "\(s.report.bytesSent)", "segments_completed": "\(s.segmentsCompleted)",
                "segments_partial": "\(s.segmentsPartial)", "segments_busy": "\(s.segmentsBusy)",
                "segments_deferred": "\(s.segmentsDeferred)", "segments_failed": "\(s.segmentsFailed)",
                "damaged_regions": "\(s.damagedRegions)", "writer_dropped_spans": "\(s.writerDroppedSpans)",
                "retries": "\(metrics.retries.load(ordering: .relaxed))",
            ])
    }

    /// One pass over every spool directory.
    func pass() async -> DrainSummary {
        var work: [(spool: SpoolDirectory, segment: SegmentInfo)] = []
        var summary = DrainSummary()
        var backlogBytes = 0
        var oldest: UInt64 = 0
        for path in configuration.spoolPaths {
            let spool: SpoolDirectory
            let segments: [SegmentInfo]
            do {
                spool = try SpoolDirectory(path: path, create: false)
                segments = try spool.segments()
            } catch .io(_, _, ENOENT) {
                // Nothing was ever spooled there (yet): nothing to deliver, not a failure. Logged when first seen
                // missing, not on every pass of follow mode.
                if missingSpools.withLock({ $0.insert(path).inserted }) {
                    logger.info("spool directory does not exist yet", metadata: ["spool": "\(path)"])
                }
                continue
            } catch {
                logger.error("cannot read spool directory", metadata: ["spool": "\(path)", "error": "\(error)"])
                summary.segmentsFailed += 1
                continue
            }
            if missingSpools.withLock({ $0.remove(path) != nil }) {
                logger.info("spool directory appeared", metadata: ["spool": "\(path)"])
            }
            sweepLeftovers(in: spool)
            for s in segments {
                work.append((spool, s))
                backlogBytes += s.sizeBytes
                if oldest == 0 || s.name.createdUnixNanos < oldest { oldest = s.name.createdUnixNanos }
            }
        }
        work.sort { $0.segment.name < $1.segment.name }
        metrics.backlogSegments.store(work.count, ordering: .relaxed)
        metrics.backlogBytes.store(backlogBytes, ordering: .relaxed)
        metrics.oldestSegmentUnixNanos.store(oldest, ordering: .relaxed)
        let workers = configuration.workers
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

    /// Removes the leftovers of dead writers and uploaders (`SpoolDirectory.sweepLeftovers`): orphaned
    /// checkpoints and leases, and unfinished temporary files older than `leftoverTemporaryAgeSeconds`.
    private func sweepLeftovers(in spool: SpoolDirectory) {
        let swept = spool.sweepLeftovers(
            nowUnixSeconds: Int(time(nil)), minimumAgeSeconds: Self.leftoverTemporaryAgeSeconds)
        for file in swept {
            let path = spool.path(of: file.fileName)
            switch file.kind {
            case .segmentTemporary:
                logger.info("removed a dead writer's unfinished segment file", metadata: ["file": "\(path)"])
            case .checkpointTemporary:
                logger.info("removed a dead uploader's unfinished checkpoint file", metadata: ["file": "\(path)"])
            case .orphanCheckpoint, .orphanLease:
                logger.debug("removed the companion file of a finished segment", metadata: ["file": "\(path)"])
            }
        }
    }

    /// How old an unlocked `.<base>.tmp` or a `.<base>.ack.tmp-*` must be before it counts as a dead process's
    /// debris (seconds).
    static let leftoverTemporaryAgeSeconds = 60

    /// Drains one segment under its lease.
    func drainSegment(_ info: SegmentInfo, in spool: SpoolDirectory, pass: PassState) async -> DrainSummary {
        var summary = DrainSummary()
        let ackPath = spool.path(of: info.name.checkpointFileName)
        let lease: SegmentLease
        do {
            guard let l = try SegmentLease.acquire(path: spool.path(of: info.name.leaseFileName)) else {
                logger.debug("segment leased by another uploader", metadata: ["segment": "\(info.name)"])
                summary.segmentsBusy = 1
                return summary
            }
            lease = l
        } catch {
            logger.error("cannot take segment lease", metadata: ["segment": "\(info.name)", "error": "\(error)"])
            summary.segmentsFailed = 1
            return summary
        }
        let checkpoint = SegmentCheckpoint.read(ackPath)
        let damageCount = Mutex(0)
        let batcher: SegmentBatcher
        do {
            // The segment may have been sealed (renamed) since the listing: the batcher then reads it as `.seg`.
            batcher = try SegmentBatcher(
                path: info.path, spoolPath: spool.path, checkpoint: checkpoint,
                maxSpans: configuration.maxBatchSpans, maxBytes: configuration.maxBatchBytes
            ) { [logger, metrics] damage in
                damageCount.withLock { $0 += 1 }
                metrics.damagedFrames.add(1, ordering: .relaxed)
                metrics.damagedBytes.add(damage.length, ordering: .relaxed)
                logger.warning(
                    "damaged region skipped",
                    metadata: [
                        "segment": "\(damage.segment)", "offset": "\(damage.offset)", "length": "\(damage.length)",
                        "reason": "\(damage.reason.code)", "detail": "\(damage.reason)",
                    ])
            }
        } catch {
            if case .io(_, _, ENOENT) = error {
                // Gone under both names: another uploader finished it since the listing.
                unlink(ackPath)
                lease.removeFile()
                return summary
            }
            // The name it failed under: as listed, or sealed since.
            let failed = error.path.flatMap { SegmentName(fileName: FileSystem.split($0).name) } ?? info.name
            let path = spool.path(of: failed.fileName)
            if SpoolDirectory.writerHoldsLock(path) {
                logger.warning("cannot read live segment yet", metadata: ["segment": "\(path)", "error": "\(error)"])
                return summary
            }
            quarantine(failed, in: spool, error: "\(error)")
            unlink(ackPath)
            lease.removeFile()
            metrics.damagedFrames.add(1, ordering: .relaxed)
            summary.damagedRegions += 1
            summary.segmentsFailed = 1
            return summary
        }
        let path = batcher.reader.path
        let sealed = batcher.reader.isSealed
        let writerAlive = SegmentState(probing: path, isOpen: !sealed) == .live
        var reportedDrops = 0
        var reportedBytes = 0
        if let checkpoint {
            logger.debug("resuming segment", metadata: ["segment": "\(path)", "checkpoint": "\(checkpoint)"])
        }
        while true {
            guard let batch = batcher.nextBatch() else { break }
            if batch.count > 0, isStopping || Task.isCancelled || pass.backendUnavailable {
                summary.segmentsDeferred = 1
                summary.damagedRegions += damageCount.withLock { $0 }
                return summary
            }
            let drops = Int(clamping: batcher.writerDrops.total)
            if drops > reportedDrops {
                metrics.writerDroppedSpans.add(drops - reportedDrops, ordering: .relaxed)
                summary.writerDroppedSpans += drops - reportedDrops
                logger.warning(
                    "writer reported dropped spans",
                    metadata: ["segment": "\(path)", "spans": "\(drops - reportedDrops)"])
                reportedDrops = drops
            }
            var report = DeliveryReport()
            if batch.count > 0 {
                do {
                    if batch.requestSize > configuration.maxBatchBytes {
                        report = try deadLetterOversized(batch)
                    } else {
                        report = try await sink.deliver(batch)
                    }
                } catch {
                    if error.backendUnavailable { pass.markBackendUnavailable() }
                    metrics.batchesDeferred.add(1, ordering: .relaxed)
                    logger.warning(
                        "batch deferred",
                        metadata: [
                            "segment": "\(path)", "offset": "\(batch.start.offset)", "spans": "\(batch.count)",
                            "reason": "\(error.reason)",
                        ])
                    summary.segmentsDeferred = 1
                    summary.damagedRegions += damageCount.withLock { $0 }
                    return summary
                }
            }
            do {
                try batch.end.write(to: ackPath)
            } catch {
                logger.error("cannot write checkpoint", metadata: ["segment": "\(path)", "error": "\(error)"])
                summary.report.add(report)
                metrics.record(report)
                summary.segmentsFailed = 1
                summary.damagedRegions += damageCount.withLock { $0 }
                return summary
            }
            summary.report.add(report)
            metrics.record(report)
            if batch.count > 0 { metrics.batchesSent.add(1, ordering: .relaxed) }
            metrics.spoolBytesConsumed.add(batcher.bytesConsumed - reportedBytes, ordering: .relaxed)
            reportedBytes = batcher.bytesConsumed
        }
        metrics.spoolBytesConsumed.add(batcher.bytesConsumed - reportedBytes, ordering: .relaxed)
        summary.damagedRegions += damageCount.withLock { $0 }
        if sealed || !writerAlive {
            if !sealed, case .partialFrame(let offset, let length) = batcher.reader.tail {
                // A dead writer's torn last frame: those bytes never formed a complete frame.
                metrics.damagedFrames.add(1, ordering: .relaxed)
                metrics.damagedBytes.add(length, ordering: .relaxed)
                summary.damagedRegions += 1
                logger.warning(
                    "torn tail of abandoned segment dropped",
                    metadata: [
                        "segment": "\(path)", "offset": "\(offset)", "length": "\(length)", "reason": "torn_tail",
                    ])
            }
            if !sealed, SpoolDirectory.writerHoldsLock(path) {
                summary.segmentsPartial = 1
                return summary
            }
            unlink(path)
            unlink(ackPath)
            try? FileSystem.syncDirectory(spool.path)
            lease.removeFile()
            metrics.segmentsCompleted.add(1, ordering: .relaxed)
            summary.segmentsCompleted = 1
            logger.info(
                "segment delivered and removed",
                metadata: [
                    "segment": "\(path)", "spans": "\(summary.report.delivered)", "abandoned": "\(!sealed)",
                    "damaged_regions": "\(summary.damagedRegions)",
                ])
        } else {
            summary.segmentsPartial = 1
        }
        return summary
    }

    private func deadLetterOversized(_ batch: SpanBatch) throws(DeliveryDeferred) -> DeliveryReport {
        do {
            let file = try DeadLetterWriter().write(
                batch: batch, body: batch.requestBody(), status: 0, responseBody: [],
                reason: "span larger than --max-batch-bytes (\(configuration.maxBatchBytes) bytes)")
            metrics.deadLetters.add(1, ordering: .relaxed)
            logger.error(
                "span too large for one request, dead-lettered",
                metadata: ["segment": "\(batch.segment)", "offset": "\(batch.start.offset)", "file": "\(file)"])
            return DeliveryReport(deadLettered: batch.count)
        } catch {
            throw DeliveryDeferred(reason: "cannot write dead letter: \(error)")
        }
    }

    /// Moves an unreadable segment (bad header) out of the way into the dead-letter directory, as
    /// `SegmentName.quarantinedFileName`.
    private func quarantine(_ segment: SegmentName, in spool: SpoolDirectory, error: String) {
        let path = spool.path(of: segment.fileName)
        let directory = spool.path(of: SpoolFile.deadLetterDirectoryName)
        try? FileSystem.makeDirectory(directory)
        let target = directory + "/" + segment.quarantinedFileName
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

extension Error {
    fileprivate var reason: String {
        if let d = self as? DeliveryDeferred { return d.reason }
        return String(describing: self)
    }

    fileprivate var backendUnavailable: Bool { (self as? DeliveryDeferred)?.backendUnavailable ?? false }
}
