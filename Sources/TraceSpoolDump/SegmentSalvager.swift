import OTLPWire
import SpoolBase
import SpoolFormat

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
public struct SegmentSalvager: Sendable {
    /// What happened to one segment.
    public struct Outcome: Sendable, Equatable {
        /// What was done.
        public enum Action: String, Sendable {
            /// Readable frames were copied.
            case salvaged
            /// Nothing was done (clean, live, already salvaged, unreadable header).
            case skipped
            /// Copying failed; the original is untouched.
            case failed
        }

        /// The segment's file name.
        public var segment: String
        /// What was done.
        public var action: Action
        /// Frames copied.
        public var frames = 0
        /// Span records copied.
        public var spans = 0
        /// Span records left out because they do not decode.
        public var droppedRecords = 0
        /// Records left out because the uploader's checkpoint says they were already delivered.
        public var alreadyUploadedRecords = 0
        /// File names of the new sealed segments.
        public var newSegments: [String] = []
        /// Whether the original was deleted.
        public var removedOriginal = false
        /// Why it was skipped or failed, or a note.
        public var message = ""
    }

    /// Delete each original once its copy is sealed.
    public var removeOriginal: Bool
    /// Salvage segments that carry a `.salvaged` marker again.
    public var force: Bool
    /// Where to write new segments; nil: the input's directory (where the uploader finds them).
    public var outputDirectory: String?
    /// Copy records the uploader's checkpoint (`<base>.ack`) marks as delivered too.
    public var ignoreCheckpoint: Bool

    /// Creates the command.
    public init(
        removeOriginal: Bool = false, force: Bool = false, outputDirectory: String? = nil,
        ignoreCheckpoint: Bool = false
    ) {
        self.removeOriginal = removeOriginal
        self.force = force
        self.outputDirectory = outputDirectory
        self.ignoreCheckpoint = ignoreCheckpoint
    }

    /// Salvages the candidates among `segments` of `input`.
    public func run(input: SpoolInput, segments: [SpoolSegment]) -> [Outcome] {
        segments.map { salvage($0, input: input) }
    }

    private func salvage(_ segment: SpoolSegment, input: SpoolInput) -> Outcome {
        var outcome = Outcome(segment: segment.fileName, action: .skipped)
        if segment.state != .sealed, SpoolDirectory.writerHoldsLock(segment.path) {
            outcome.message = "open segment with a live writer: never touched"
            return outcome
        }
        let marker = input.path(of: segment.salvageMarkerFileName)
        if !force, access(marker, F_OK) == 0 {
            outcome.message = "already salvaged (see \(segment.salvageMarkerFileName)); use --force to salvage again"
            return outcome
        }
        if SegmentLease.isHeld(path: input.path(of: segment.leaseFileName)) {
            outcome.message = "an uploader is sending it right now; run salvage again later"
            return outcome
        }
        let summary = SegmentSummary.summarize([segment])[0]
        if summary.vanished {
            outcome.message = "removed before it could be read (uploaded)"
            return outcome
        }
        // The summary follows a segment sealed since it was listed to its `.seg` name.
        let segment = summary.segment
        let isOpen = segment.state != .sealed
        if let headerError = summary.headerError {
            outcome.message = "unreadable segment header, nothing in it can be trusted: \(headerError)"
            return outcome
        }
        if !isOpen, !summary.isDamaged {
            outcome.message = "sealed and clean: nothing to salvage"
            return outcome
        }
        let reader: SegmentReader
        let spool: SpoolDirectory
        do throws(SpoolError) {
            reader = try SegmentReader(path: segment.path)
            spool = try SpoolDirectory(path: outputDirectory ?? input.directory, create: outputDirectory != nil)
        } catch {
            outcome.action = .failed
            outcome.message = error.description
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
            outcome.message = "copy failed: \(error); the original was kept"
            return outcome
        }
        outcome.action = .salvaged
        outcome.newSegments = written
        if removeOriginal {
            if SegmentLease.isHeld(path: input.path(of: segment.leaseFileName)) {
                outcome.message = "original kept: an uploader holds its lease"
            } else if isOpen, SpoolDirectory.writerHoldsLock(segment.path) {
                outcome.message = "original kept: a writer holds its lock"
            } else if unlink(segment.path) == 0 {
                outcome.removedOriginal = true
                try? FileSystem.syncDirectory(input.directory)
                return outcome
            } else {
                outcome.message = "original kept: unlink failed (errno \(errno))"
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

    /// One line per segment: what was done, counts, new segment names, notes.
    public func render(_ outcomes: [Outcome]) -> String {
        var out = ""
        for o in outcomes {
            let name = TerminalText.safe(o.segment)
            switch o.action {
            case .salvaged:
                out +=
                    "salvaged \(name): \(o.frames) frame\(o.frames == 1 ? "" : "s"), \(o.spans) span\(o.spans == 1 ? "" : "s")"
                if o.droppedRecords > 0 { out += " (\(o.droppedRecords) undecodable span records left out)" }
                if o.alreadyUploadedRecords > 0 {
                    out += " (\(o.alreadyUploadedRecords) records already uploaded left out)"
                }
                out += " -> " + (o.newSegments.isEmpty ? "nothing readable" : o.newSegments.joined(separator: ", "))
                out += o.removedOriginal ? " (original removed)" : " (original kept)"
                if !o.message.isEmpty { out += "; \(o.message)" }
            case .skipped: out += "skipped  \(name): \(o.message)"
            case .failed: out += "FAILED   \(name): \(o.message)"
            }
            out += "\n"
        }
        if outcomes.isEmpty { out += "no segments\n" }
        return out
    }
}
