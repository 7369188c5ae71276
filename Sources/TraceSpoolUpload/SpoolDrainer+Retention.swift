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

/// Retention by age (`SpoolUploader.Configuration.maxSegmentAge`, `Docs/Uploader.md`, "Retention by age"): a segment
/// created longer ago than the maximum age is removed without being uploaded, and its spans are counted as expired —
/// in the metrics, the summary and a warning per segment, never silently.
extension SpoolDrainer {
    /// How old `name` is at `nowUnixNanos`, when retention is on and it is older than `maxSegmentAge`; nil otherwise
    /// (retention off, young enough, or created "in the future" by a writer whose clock is ahead).
    ///
    /// The age is the time since the creation time in the segment's name (`SegmentName.createdUnixNanos`, the
    /// writer's wall clock when it created the segment; the header holds the same value). A file's modification
    /// time is not used: every append changes it, and copying a spool resets it.
    func expiredAge(of name: SegmentName, nowUnixNanos: UInt64) -> Duration? {
        guard let maxAge = configuration.maxSegmentAge, nowUnixNanos > name.createdUnixNanos else { return nil }
        let age = Duration.nanoseconds(Int64(clamping: nowUnixNanos - name.createdUnixNanos))
        return age > maxAge ? age : nil
    }

    /// Removes an expired segment unsent, under its lease: counts the spans of its readable frames after the
    /// checkpoint (the spans before it were delivered), reports the writer's drop records as a normal drain does, and
    /// deletes the segment with its checkpoint and lease. Called only for a sealed segment or one whose writer is
    /// dead, never for an open segment a live writer holds.
    ///
    /// - Returns: the segment's part of the pass summary: `segmentsExpired` and `spansExpired` once it is removed;
    ///   `segmentsPartial` when its writer came back to it (not removed).
    func expire(
        _ batcher: SegmentBatcher, lease: SegmentLease, in spool: SpoolDirectory, ackPath: String, age: Duration,
        damageCount: borrowing Mutex<Int>
    ) async -> DrainSummary {
        var summary = DrainSummary()
        let path = batcher.path
        let sealed = batcher.isSealed
        var spans = 0
        // Disk I/O boundary: frames are read on the thread pool (only counted: nothing is sent).
        while let batch = await io.run(.readSegment, { batcher.nextBatch() }) {
            spans += batch.count
        }
        progress.addConsumed(batcher.bytesConsumed)
        let damaged = damageCount.withLock { $0 }
        summary.damagedRegions += damaged
        let drops = Int(clamping: batcher.writerDrops.total)
        if drops > 0 {
            metrics.writerDroppedSpans.increment(by: Int64(drops))
            summary.writerDroppedSpans += drops
            logger.warning("writer reported dropped spans", metadata: ["segment": "\(path)", "spans": "\(drops)"])
        }
        let removed = await removeSegment(path, ackPath: ackPath, sealed: sealed, lease: lease, in: spool)
        guard removed else {
            summary.segmentsPartial = 1
            return summary
        }
        metrics.segmentsExpired.increment()
        metrics.spansExpired.increment(by: Int64(spans))
        summary.segmentsExpired = 1
        summary.spansExpired = spans
        let maxAge = configuration.maxSegmentAge ?? .zero
        logger.warning(
            "segment older than the maximum age removed unsent, its spans dropped",
            metadata: [
                "segment": "\(path)", "age_s": "\(age.wholeMilliseconds / 1000)",
                "max_age_s": "\(maxAge.wholeMilliseconds / 1000)", "spans": "\(spans)",
                "damaged_regions": "\(damaged)",
                "spans_counted": "\(damaged == 0 ? "all" : "readable frames only")",
            ])
        return summary
    }
}
