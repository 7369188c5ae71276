public import SpoolFormat

/// Cuts the frames of one segment into `SpanBatch`es within the span and byte limits, starting at a checkpoint.
///
/// Span records are kept as views into the frame payloads; drop records are summed into `writerDrops`; unknown
/// record types are skipped; damaged regions are passed to `onDamage` and skipped. Memory: the frames behind the
/// current batch plus one reader buffer.
public final class SegmentBatcher {
    /// The reader.
    public let reader: SegmentReader
    /// The spool directory path.
    public let spoolPath: String
    /// The segment file name.
    public let segment: String
    /// The largest number of spans per batch.
    public let maxSpans: Int
    /// The largest request body per batch, bytes.
    public let maxBytes: Int
    /// Spans the writer reported dropped, read so far.
    public private(set) var writerDrops = DropCounts()
    /// Frame bytes consumed so far (frames completely turned into batches), bytes.
    public private(set) var bytesConsumed = 0
    /// Span records larger than `maxBytes` allows even alone; they are returned as single-span batches flagged by
    /// `SpanBatch.requestSize > maxBytes` so the caller can dead-letter them.
    public private(set) var oversizedSpans = 0

    private let onDamage: (Damage) -> Void
    private var frame: SegmentFrame?
    private var recordIndex = 0
    /// The position of the next record not yet put into a batch.
    public private(set) var position: SegmentCheckpoint

    /// Opens the segment listed as `path` (under its `.seg` name when it was sealed since: see
    /// `SegmentReader.openListed`) and positions it at `checkpoint` (or the first frame).
    ///
    /// - Throws: `SpoolError` when the file or its header cannot be read; `.io` with ENOENT when the segment is gone.
    public init(
        path: String, spoolPath: String, checkpoint: SegmentCheckpoint?, maxSpans: Int, maxBytes: Int,
        onDamage: @escaping (Damage) -> Void
    ) throws(SpoolError) {
        let reader = try SegmentReader.openListed(path: path, startOffset: checkpoint?.offset)
        self.reader = reader
        self.spoolPath = spoolPath
        self.segment = String(reader.path.split(separator: "/").last ?? "")
        self.maxSpans = max(1, maxSpans)
        self.maxBytes = max(1, maxBytes)
        self.onDamage = onDamage
        if let checkpoint, checkpoint.offset >= reader.headerLength {
            position = checkpoint
        } else {
            position = SegmentCheckpoint(offset: reader.headerLength)
        }
    }

    /// Loads the next frame when the current one is used up; false at the end of the readable data.
    private func loadFrame() -> Bool {
        if let frame, recordIndex < frame.records.count { return true }
        if let frame {
            bytesConsumed += frame.length
            position = SegmentCheckpoint(offset: frame.endOffset, sequence: frame.header.sequence &+ 1, recordsSent: 0)
            self.frame = nil
        }
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
                bytesConsumed += f.length
                position = SegmentCheckpoint(offset: f.endOffset, sequence: f.header.sequence &+ 1, recordsSent: 0)
                frame = nil
            }
        }
        return false
    }

    /// The next batch, or nil when no complete frame is left (for now: a live writer may append more).
    public func nextBatch() -> SpanBatch? {
        let header = reader.header
        var batch = SpanBatch(
            spoolPath: spoolPath, segment: segment, resource: header.resource, scope: header.scope, start: position,
            end: position)
        while batch.count < maxSpans, loadFrame(), let f = frame {
            let record = f.records[recordIndex]
            switch record.type {
            case .span:
                let size = batch.requestSize(adding: record.body.count)
                if size > maxBytes {
                    if batch.count > 0 {
                        batch.end = position
                        return batch
                    }
                    oversizedSpans += 1
                    batch.append(record.body)
                    advance()
                    batch.end = position
                    return batch
                }
                batch.append(record.body)
            case .drops:
                if let drops = DropCounts(decoding: record.body) { writerDrops.add(drops) }
            default:
                break
            }
            advance()
        }
        // Settle a fully consumed last frame so the checkpoint points past it.
        if let f = frame, recordIndex >= f.records.count { _ = loadFrameBoundary() }
        batch.end = position
        return batch.count > 0 || batch.end != batch.start ? batch : nil
    }

    private func advance() {
        recordIndex += 1
        position.recordsSent = recordIndex
    }

    private func loadFrameBoundary() -> Bool {
        guard let f = frame else { return false }
        bytesConsumed += f.length
        position = SegmentCheckpoint(offset: f.endOffset, sequence: f.header.sequence &+ 1, recordsSent: 0)
        frame = nil
        return true
    }
}
