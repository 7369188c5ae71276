package import SpoolFormat
import Synchronization

/// Cuts the frames of one segment into `SpanBatch`es within the span and byte limits, starting at a checkpoint.
///
/// Span records are kept as views into the frame payloads; drop records are summed into `writerDrops`; unknown
/// record types are skipped; damaged regions are passed to `onDamage` and skipped. Memory: the frames behind the
/// current batch plus one reader buffer.
///
/// Reading is blocking file I/O: the uploader calls `init` and `nextBatch()` through `DiskIO`. The reading state is
/// behind a lock, so the batcher can move between the threads that call it (one call at a time is the intended use).
package final class SegmentBatcher: Sendable {
    /// The path the segment was opened under (its `.seg` name when it was sealed since it was listed).
    package let path: String
    /// Whether it was opened as a sealed segment.
    package let isSealed: Bool
    /// The spool directory path.
    package let spoolPath: String
    /// The segment file name.
    package let segment: String
    /// The largest number of spans per batch.
    package let maxSpans: Int
    /// The largest request body per batch, bytes.
    package let maxBytes: Int

    private let resource: [UInt8]
    private let scope: [UInt8]
    private let onDamage: @Sendable (Damage) -> Void
    private let state: Mutex<State>

    /// The reader and the position in its frames.
    fileprivate struct State {
        var reader: SegmentReader
        var frame: SegmentFrame?
        var recordIndex = 0
        var position: SegmentCheckpoint
        var writerDrops = DropCounts()
        var bytesConsumed = 0
        var oversizedSpans = 0
    }

    /// Spans the writer reported dropped, read so far.
    package var writerDrops: DropCounts { state.withLock { $0.writerDrops } }
    /// Frame bytes consumed so far (frames completely turned into batches), bytes.
    package var bytesConsumed: Int { state.withLock { $0.bytesConsumed } }
    /// Span records larger than `maxBytes` allows even alone; they are returned as single-span batches flagged by
    /// `SpanBatch.requestSize > maxBytes` so the caller can dead-letter them.
    package var oversizedSpans: Int { state.withLock { $0.oversizedSpans } }
    /// The position of the next record not yet put into a batch.
    package var position: SegmentCheckpoint { state.withLock { $0.position } }
    /// What the reader found after the last frame; meaningful once `nextBatch()` returned nil.
    package var tail: SegmentTail { state.withLock { $0.reader.tail } }

    /// Opens the segment listed as `path` (under its `.seg` name when it was sealed since: see
    /// `SegmentReader.openListed`) and positions it at `checkpoint` (or the first frame).
    ///
    /// - Throws: `SpoolError` when the file or its header cannot be read; `.io` with ENOENT when the segment is gone.
    package init(
        path: String, spoolPath: String, checkpoint: SegmentCheckpoint?, maxSpans: Int, maxBytes: Int,
        onDamage: @escaping @Sendable (Damage) -> Void
    ) throws(SpoolError) {
        let reader = try SegmentReader.openListed(path: path, startOffset: checkpoint?.offset)
        self.path = reader.path
        self.isSealed = reader.isSealed
        self.spoolPath = spoolPath
        self.segment = String(reader.path.split(separator: "/").last ?? "")
        self.maxSpans = max(1, maxSpans)
        self.maxBytes = max(1, maxBytes)
        self.resource = reader.header.resource
        self.scope = reader.header.scope
        self.onDamage = onDamage
        let position: SegmentCheckpoint
        if let checkpoint, checkpoint.offset >= reader.headerLength {
            position = checkpoint
        } else {
            position = SegmentCheckpoint(offset: reader.headerLength)
        }
        state = Mutex(State(reader: reader, position: position))
    }

    /// The next batch, or nil when no complete frame is left (for now: a live writer may append more).
    package func nextBatch() -> SpanBatch? {
        state.withLock { s in
            var batch = SpanBatch(
                spoolPath: spoolPath, segment: segment, resource: resource, scope: scope, start: s.position,
                end: s.position)
            while batch.count < maxSpans, s.loadFrame(onDamage: onDamage), let f = s.frame {
                let record = f.records[s.recordIndex]
                switch record.type {
                case .span:
                    let size = batch.requestSize(adding: record.body.count)
                    if size > maxBytes {
                        if batch.count > 0 {
                            batch.end = s.position
                            return batch
                        }
                        s.oversizedSpans += 1
                        batch.append(record.body)
                        s.advance()
                        batch.end = s.position
                        return batch
                    }
                    batch.append(record.body)
                case .drops:
                    if let drops = DropCounts(decoding: record.body) { s.writerDrops.add(drops) }
                default:
                    break
                }
                s.advance()
            }
            // Settle a fully consumed last frame so the checkpoint points past it.
            if let f = s.frame, s.recordIndex >= f.records.count { s.settleFrame() }
            batch.end = s.position
            return batch.count > 0 || batch.end != batch.start ? batch : nil
        }
    }
}

extension SegmentBatcher.State {
    /// Loads the next frame when the current one is used up; false at the end of the readable data.
    mutating func loadFrame(onDamage: (Damage) -> Void) -> Bool {
        if let frame, recordIndex < frame.records.count { return true }
        if frame != nil { settleFrame() }
        while let event = reader.nextEvent() {
            switch event {
            case .damage(let damage):
                onDamage(damage)
            case .frame(let f):
                var skip = 0
                if f.offset == position.offset, position.recordsSent > 0 {
                    // Resuming inside a frame: skip what was delivered (only when it is the same frame).
                    skip = f.header.sequence == position.sequence ? min(position.recordsSent, f.records.count) : 0
                }
                position = SegmentCheckpoint(offset: f.offset, sequence: f.header.sequence, recordsSent: skip)
                frame = f
                recordIndex = skip
                if recordIndex < f.records.count { return true }
                settleFrame()
            }
        }
        return false
    }

    /// Moves past the next record of the current frame.
    mutating func advance() {
        recordIndex += 1
        position.recordsSent = recordIndex
    }

    /// Counts the current frame as consumed and moves the position past it.
    mutating func settleFrame() {
        guard let f = frame else { return }
        bytesConsumed += f.length
        position = SegmentCheckpoint(offset: f.endOffset, sequence: f.header.sequence &+ 1, recordsSent: 0)
        frame = nil
    }
}
