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
/// uploader can ship what survived.
///
/// - Never touches an open segment whose writer is alive (the lock is probed again just before reading and before
///   removing), nor a segment an uploader is sending (its `<base>.lease` lock is held).
/// - Clean sealed segments and segments with an unreadable header (nothing in them can be trusted) are skipped.
/// - Span records that are not valid OTLP spans are left out; drop-accounting and unknown records are copied.
/// - Records the uploader's checkpoint (`<base>.ack`) marks as delivered are left out (unless `ignoreCheckpoint`),
///   so salvaging a partly uploaded segment does not send them twice.
/// - The original is kept unless `removeOriginal`; then it is deleted only after the copy is sealed and durable, and
///   never while an uploader holds its lease. A kept original gets a `<base>.salvaged` marker listing the new
///   segments, and later runs skip it unless `force` (otherwise its spans would be copied twice).
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
        /// Why it was skipped or failed, or why a salvaged segment's original was kept; nil when there is nothing to
        /// say.
        package var note: Note?

        /// Why a segment was skipped or failed, or why the original of a salvaged one was kept.
        package enum Note: Sendable, Equatable {
            /// Skipped: an `.open` segment whose writer holds its lock; never touched.
            case liveWriter
            /// Skipped: a `.salvaged` marker (its file name given) says it was salvaged before (`force` salvages it
            /// again).
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
            /// Salvaged, original kept although removal was asked: an uploader holds its lease.
            case keptWhileLeased
            /// Salvaged, original kept although removal was asked: a writer holds its lock.
            case keptWhileLocked
            /// Salvaged, original kept although removal was asked: `unlink` failed with `errno`.
            case keptAfterUnlinkFailed(errno: Int32)
        }
    }

    /// Delete each original once its copy is sealed.
    package var removeOriginal: Bool
    /// Salvage segments that carry a `.salvaged` marker again.
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
        if segment.state != .sealed, SpoolDirectory.writerHoldsLock(segment.path) {
            outcome.note = .liveWriter
            return outcome
        }
        let marker = input.path(of: segment.salvageMarkerFileName)
        if !force, access(marker, F_OK) == 0 {
            outcome.note = .alreadySalvaged(marker: segment.salvageMarkerFileName)
            return outcome
        }
        if SegmentLease.isHeld(path: input.path(of: segment.leaseFileName)) {
            outcome.note = .beingUploaded
            return outcome
        }
        let summary = SegmentSummary.summarize([segment])[0]
        if summary.vanished {
            outcome.note = .vanished
            return outcome
        }
        // The summary follows a segment sealed since it was listed to its `.seg` name.
        let segment = summary.segment
        let isOpen = segment.state != .sealed
        if let headerError = summary.headerError {
            outcome.note = .unreadableHeader(headerError)
            return outcome
        }
        if !isOpen, !summary.isDamaged {
            outcome.note = .clean
            return outcome
        }
        let reader: SegmentReader
        let spool: SpoolDirectory
        do throws(SpoolError) {
            reader = try SegmentReader(path: segment.path)
            spool = try SpoolDirectory(path: outputDirectory ?? input.directory, create: outputDirectory != nil)
        } catch {
            outcome.action = .failed
            outcome.note = .cannotOpen(error)
            return outcome
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
            return outcome
        }
        outcome.action = .salvaged
        outcome.newSegments = written
        if removeOriginal {
            if SegmentLease.isHeld(path: input.path(of: segment.leaseFileName)) {
                outcome.note = .keptWhileLeased
            } else if isOpen, SpoolDirectory.writerHoldsLock(segment.path) {
                outcome.note = .keptWhileLocked
            } else if unlink(segment.path) == 0 {
                outcome.removedOriginal = true
                try? FileSystem.syncDirectory(input.directory)
                return outcome
            } else {
                outcome.note = .keptAfterUnlinkFailed(errno: errno)
            }
        }
        writeMarker(marker, newSegments: written)
        return outcome
    }

    /// Records, beside a kept original, which segments hold its salvaged frames (one file name a line, then
    /// `fsync`); a failure to write it is not reported (the copies exist either way).
    private func writeMarker(_ path: String, newSegments: [String]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return }
        defer { POSIX.closeQuietly(fd) }
        let text = newSegments.map { $0 + "\n" }.joined()
        if POSIX.writeAll(fd, Array(text.utf8)) == 0 { _ = POSIX.fullSync(fd) }
    }
}
