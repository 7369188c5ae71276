import OTLPWire
import SpoolBase
package import SpoolFormat

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `salvage` command: copies every readable frame of damaged or abandoned segments into new sealed segments
/// (written with `SegmentWriter`, stamped with the original header's resource, scope and writer identity), so the
/// uploader can ship what survived, and takes the original out of every reader's sight so nothing is shipped twice.
///
/// - Never touches an open segment whose writer is alive (the lock is probed again just before reading and before
///   retiring), nor a segment an uploader is sending: salvage holds the segment's lease (`<base>.lease`) from the
///   copy until the original is retired, so no uploader starts on the original meanwhile.
/// - Clean sealed segments and segments with an unreadable header (nothing in them can be trusted) are skipped.
/// - Span records that are not valid OTLP spans are left out; drop-accounting and unknown records are copied.
/// - Records the uploader's checkpoint (`<base>.ack`) marks as delivered are left out (unless `ignoreCheckpoint`),
///   so salvaging a partly uploaded segment does not send them twice.
/// - Once the copy is sealed and durable, the original is retired: renamed to `<base>.open.salvaged` or
///   `<base>.seg.salvaged` (`SegmentName.salvagedOriginalFileName`, not a segment name: readers skip it from that
///   atomic `rename` on) with a `<base>.salvaged` marker listing the new segments, or deleted when `removeOriginal`.
///   Its checkpoint is deleted with it. A retired original given as the input is salvaged again only with `force`.
package struct SegmentSalvager: Sendable {
    /// What happened to one segment.
    package struct Outcome: Sendable, Equatable {
        /// What was done.
        package enum Action: String, Sendable {
            /// Readable frames were copied.
            case salvaged
            /// Nothing was done (clean, live, already salvaged, unreadable header).
            case skipped
            /// Copying failed; the original is untouched.
            case failed
        }

        /// The segment's file name.
        package var segment: String
        /// What was done.
        package var action: Action
        /// Frames copied.
        package var frames = 0
        /// Span records copied.
        package var spans = 0
        /// Span records left out because they do not decode.
        package var droppedRecords = 0
        /// Records left out because the uploader's checkpoint says they were already delivered.
        package var alreadyUploadedRecords = 0
        /// File names of the new sealed segments.
        package var newSegments: [String] = []
        /// Whether the original was deleted.
        package var removedOriginal = false
        /// Whether the segment was salvaged but its original is still under its segment name, where an uploader
        /// would send its spans a second time.
        package var originalStillVisible: Bool {
            switch note {
            case .keptWhileLocked, .keptAfterRetireFailed: true
            default: false
            }
        }
        /// The name the original was retired under (`SegmentName.salvagedOriginalFileName`); nil when it was deleted,
        /// kept, or given already retired.
        package var retiredOriginal: String?
        /// Why it was skipped or failed, or why a salvaged segment's original was kept; nil when there is nothing to
        /// say.
        package var note: Note?

        /// Why a segment was skipped or failed, or why the original of a salvaged one was kept.
        package enum Note: Sendable, Equatable {
            /// Skipped: an `.open` segment whose writer holds its lock; never touched.
            case liveWriter
            /// Skipped: a retired original (`<base>.<state>.salvaged`) or a segment with a `.salvaged` marker (its
            /// file name given): it was salvaged before (`force` salvages it again).
            case alreadySalvaged(marker: String)
            /// Skipped: an uploader holds its lease and is sending it right now.
            case beingUploaded
            /// Skipped: removed (uploaded) before it could be read.
            case vanished
            /// Skipped: its segment header is unreadable, so nothing in it can be trusted.
            case unreadableHeader(String)
            /// Skipped: sealed and clean, nothing to salvage.
            case clean
            /// Failed: the segment or the output directory could not be opened; nothing was written.
            case cannotOpen(SpoolError)
            /// Failed: copying failed part way; the original was kept.
            case copyFailed(SpoolError)
            /// Salvaged, the original left under its segment name: a writer took its lock meanwhile.
            case keptWhileLocked
            /// Salvaged, the original left under its segment name: `unlink` or `rename` failed with `errno`; readers
            /// still see it, so its spans may be delivered twice (retire it by hand: see `Docs/Dump.md`).
            case keptAfterRetireFailed(errno: Int32)
        }
    }

    /// Delete each original once its copy is sealed (instead of retiring it under its `.salvaged` name).
    package var removeOriginal: Bool
    /// Salvage retired originals (and segments that carry a `.salvaged` marker) again.
    package var force: Bool
    /// Where to write new segments; nil: the input's directory (where the uploader finds them).
    package var outputDirectory: String?
    /// Copy records the uploader's checkpoint (`<base>.ack`) marks as delivered too.
    package var ignoreCheckpoint: Bool

    /// Creates the command.
    package init(
        removeOriginal: Bool = false, force: Bool = false, outputDirectory: String? = nil,
        ignoreCheckpoint: Bool = false
    ) {
        self.removeOriginal = removeOriginal
        self.force = force
        self.outputDirectory = outputDirectory
        self.ignoreCheckpoint = ignoreCheckpoint
    }

    /// Salvages the candidates among `segments` of `input`.
    package func run(input: SpoolInput, segments: [SpoolSegment]) -> [Outcome] {
        segments.map { salvage($0, input: input) }
    }

    private func salvage(_ segment: SpoolSegment, input: SpoolInput) -> Outcome {
        var outcome = Outcome(segment: segment.fileName, action: .skipped)
        let retired = SegmentName(salvagedOriginalFileName: segment.fileName) != nil
        if !retired, segment.state != .sealed, SpoolDirectory.writerHoldsLock(segment.path) {
            outcome.note = .liveWriter
            return outcome
        }
        let marker = input.path(of: segment.salvageMarkerFileName)
        if !force, retired || access(marker, F_OK) == 0 {
            outcome.note = .alreadySalvaged(marker: retired ? segment.fileName : segment.salvageMarkerFileName)
            return outcome
        }
        let summary = SegmentSummary.summarize([segment])[0]
        if summary.vanished {
            outcome.note = .vanished
            return outcome
        }
        // The summary follows a segment sealed since it was listed to its `.seg` name.
        let segment = summary.segment
        let isOpen = !retired && segment.state != .sealed
        if let headerError = summary.headerError {
            outcome.note = .unreadableHeader(headerError)
            return outcome
        }
        if !retired, !isOpen, !summary.isDamaged {
            outcome.note = .clean
            return outcome
        }
        // Held until the original is retired: an uploader that lists the original meanwhile finds it busy, and
        // after the rename finds it gone.
        let leasePath = input.path(of: segment.leaseFileName)
        let leaseExisted = access(leasePath, F_OK) == 0
        let lease: SegmentLease
        do throws(SpoolError) {
            guard let held = try SegmentLease.acquire(path: leasePath) else {
                outcome.note = .beingUploaded
                return outcome
            }
            lease = held
        } catch {
            outcome.action = .failed
            outcome.note = .cannotOpen(error)
            return outcome
        }
        // A lease file salvage created goes with it (one of another user could stop that user's uploader).
        defer {
            if !leaseExisted || outcome.removedOriginal || outcome.retiredOriginal != nil { lease.removeFile() }
        }
        if isOpen, SpoolDirectory.writerHoldsLock(segment.path) {
            outcome.note = .liveWriter
            return outcome
        }
        guard copy(segment, input: input, into: &outcome) else { return outcome }
        outcome.action = .salvaged
        if !retired { retire(segment, marker: marker, input: input, isOpen: isOpen, outcome: &outcome) }
        return outcome
    }

    /// Copies the readable frames of `segment` into new sealed segments, noting counts and names in `outcome`.
    ///
    /// - Returns: false when opening or copying failed (`outcome` then says so; the original is untouched).
    private func copy(_ segment: SpoolSegment, input: SpoolInput, into outcome: inout Outcome) -> Bool {
        let reader: SegmentReader
        let spool: SpoolDirectory
        do throws(SpoolError) {
            reader = try SegmentReader(path: segment.path)
            spool = try SpoolDirectory(path: outputDirectory ?? input.directory, create: outputDirectory != nil)
        } catch {
            outcome.action = .failed
            outcome.note = .cannotOpen(error)
            return false
        }
        var written: [String] = []
        do throws(SpoolError) {
            let writer = try SegmentWriter(
                directory: spool,
                options: SegmentWriterOptions(
                    compress: true, resource: reader.header.resource, scope: reader.header.scope,
                    identity: reader.header.writer))
            let checkpoint = ignoreCheckpoint ? nil : SegmentCheckpoint.read(input.path(of: segment.checkpointFileName))
            var payload: [UInt8] = []
            while let frame = reader.nextFrame() {
                payload.removeAll(keepingCapacity: true)
                var count = 0
                var delivered = 0
                if let checkpoint {
                    if frame.endOffset <= checkpoint.offset {
                        delivered = frame.records.count
                    } else if frame.offset == checkpoint.offset {
                        delivered = min(checkpoint.recordsSent, frame.records.count)
                    }
                }
                outcome.alreadyUploadedRecords += delivered
                for record in frame.records.dropFirst(delivered) {
                    if record.type == .span {
                        do throws(OTLPDecodingError) {
                            _ = try OTLPSpan(decoding: record.body)
                        } catch {
                            outcome.droppedRecords += 1
                            continue
                        }
                        outcome.spans += 1
                    }
                    RecordEncoding.append(type: record.type, body: record.body, to: &payload)
                    count += 1
                }
                guard count > 0 else { continue }
                let location = try writer.append(payload: payload, recordCount: count)
                let sealedName = location.segment.with(state: .sealed).fileName
                if written.last != sealedName { written.append(sealedName) }
                outcome.frames += 1
            }
            try writer.close()
        } catch {
            outcome.action = .failed
            outcome.newSegments = written
            outcome.note = .copyFailed(error)
            return false
        }
        outcome.newSegments = written
        return true
    }

    /// Takes the salvaged original out of every reader's sight: deleted (`removeOriginal`) or renamed to its
    /// `.salvaged` name with the marker beside it; its checkpoint goes with it. Runs under the segment's lease.
    private func retire(
        _ segment: SpoolSegment, marker: String, input: SpoolInput, isOpen: Bool, outcome: inout Outcome
    ) {
        if isOpen, SpoolDirectory.writerHoldsLock(segment.path) {
            outcome.note = .keptWhileLocked
            return
        }
        let retiredName =
            segment.name.map(\.salvagedOriginalFileName) ?? segment.fileName + SegmentName.salvagedOriginalSuffix
        if removeOriginal {
            guard unlink(segment.path) == 0 else {
                outcome.note = .keptAfterRetireFailed(errno: errno)
                return
            }
            outcome.removedOriginal = true
        } else {
            writeMarker(marker, newSegments: outcome.newSegments)
            guard rename(segment.path, input.path(of: retiredName)) == 0 else {
                outcome.note = .keptAfterRetireFailed(errno: errno)
                return
            }
            outcome.retiredOriginal = retiredName
        }
        unlink(input.path(of: segment.checkpointFileName))
        try? FileSystem.syncDirectory(input.directory)
    }

    /// Records, beside a retired original, which segments hold its salvaged frames (one file name a line, then
    /// `fsync`); a failure to write it is not reported (the copies exist either way).
    private func writeMarker(_ path: String, newSegments: [String]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { POSIX.closeQuietly(fd) }
        let text = newSegments.map { $0 + "\n" }.joined()
        if POSIX.writeAll(fd, Array(text.utf8)) == 0 { _ = POSIX.fullSync(fd) }
    }
}
