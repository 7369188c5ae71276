import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One valid frame read from a segment: CRC verified, decompressed, records split.
public struct SegmentFrame: Sendable {
    /// The file offset of the frame header.
    public var offset: Int
    /// The frame's bytes on disk, header included.
    public var length: Int
    /// The frame header.
    public var header: FrameHeader
    /// The decompressed payload.
    public var payload: [UInt8]
    /// The records of the payload, in order.
    public var records: [Record]

    /// The file offset just past this frame, where the next frame starts.
    public var endOffset: Int { offset + length }
}

/// What a reader found at the end of the readable frames.
public enum SegmentTail: Sendable, Equatable {
    /// The last frame ends exactly at the end of the file.
    case clean
    /// The `.open` segment's file ends inside a frame (`Spool/FORMAT.md` §7): a live writer is still writing it, or
    /// a writer died while writing it (a torn tail). Not damage, and not a loss of anything complete: those bytes
    /// never were a complete frame.
    case partialFrame(offset: Int, length: Int)

    /// The one wording every tool uses for a torn tail of an abandoned segment: `torn tail at offset O (N bytes):
    /// the writer died while writing this frame; not damage`.
    public static func tornTailNote(offset: Int, length: Int) -> String {
        "torn tail at offset \(offset) (\(length) bytes): the writer died while writing this frame; not damage"
    }
}

/// The seal frame a reader found (`Spool/FORMAT.md` §5.1).
public struct SegmentSeal: Sendable, Equatable {
    /// The file offset of the seal frame.
    public var offset: Int
    /// The seal frame's bytes, header included.
    public var length: Int
    /// The seal frame's sequence number.
    public var sequence: UInt64
    /// The seal record.
    public var record: SealRecord

    /// Creates a seal report.
    package init(offset: Int, length: Int, sequence: UInt64, record: SealRecord) {
        self.offset = offset
        self.length = length
        self.sequence = sequence
        self.record = record
    }

    /// The file offset just past the seal frame.
    public var endOffset: Int { offset + length }
}

/// One step of reading a segment.
public enum SegmentEvent: Sendable {
    /// A valid frame.
    case frame(SegmentFrame)
    /// An unreadable region that was skipped.
    case damage(Damage)
}

/// Streams the frames of one segment file with bounded memory, verifying every CRC and reporting every damaged
/// region; frames after a damaged one are salvaged by scanning for the next valid frame.
///
/// Memory stays below about two maximum frames (`SpoolLimits.maxFramePayloadBytes`) whatever the file holds. The
/// reader never modifies the file and is safe to run while a writer appends to it: it reads up to the last complete
/// frame, and `tail` tells whether a partial frame follows.
public final class SegmentReader {
    /// The segment file.
    public let path: String
    /// The segment header.
    public let header: SegmentHeader
    /// The header's length in bytes: the offset of the first frame.
    public let headerLength: Int
    /// Whether the file name says the segment is sealed (`.seg`); a partial frame at its end is then damage.
    public let isSealed: Bool

    private let fd: Int32
    private var fileSize: Int
    /// The offset of the next frame to read.
    public private(set) var offset: Int
    private var expectedSequence: UInt64?
    private var pendingEvents: [SegmentEvent] = []
    private var scratch: [UInt8] = []
    private var finished = false

    /// Damage found so far (the first 1,024 regions; `damageCount` counts them all).
    public private(set) var damages: [Damage] = []
    /// The number of damaged regions found so far.
    public private(set) var damageCount = 0
    /// The number of bytes in damaged regions so far.
    public private(set) var damagedBytes = 0
    /// The state after the last frame; meaningful once reading has returned nil.
    public private(set) var tail: SegmentTail = .clean
    /// The seal frame, once read. It is checked and reported here, never returned as a frame: readers of an older
    /// library skip its record as an unknown type.
    public private(set) var seal: SegmentSeal?
    /// Whether the segment must end with a seal frame: sealed (`.seg`) and its header has
    /// `SegmentHeader.Flags.sealRecord`.
    public var expectsSeal: Bool { isSealed && header.flags.contains(.sealRecord) }
    /// Whether reading started at the first frame (not at a checkpoint), so the first frame's sequence number and
    /// the seal's counts can be checked.
    private let readsFromStart: Bool
    private var framesRead: UInt64 = 0
    private var recordsRead: UInt64 = 0

    /// Opens a segment and reads its header.
    ///
    /// - Parameters:
    ///   - path: the segment file.
    ///   - startOffset: where to start reading frames (a frame boundary saved earlier, e.g. an uploader's
    ///     checkpoint); default: the first frame.
    /// - Throws: `SpoolError.io` when the file cannot be opened, `.badSegmentHeader` when its header is unreadable
    ///   (empty, truncated, not a segment, wrong version, CRC mismatch).
    public init(path: String, startOffset: Int? = nil) throws(SpoolError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        self.fd = fd
        self.isSealed = SegmentName.state(ofFileName: path) == .sealed
        guard let size = POSIX.fileSize(fd) else {
            let e = errno
            POSIX.closeQuietly(fd)
            throw .io(operation: "stat", path: path, errno: e)
        }
        self.fileSize = size
        do throws(SpoolError) {
            let (header, length) = try Self.readHeader(fd: fd, path: path)
            self.header = header
            self.headerLength = length
        } catch {
            POSIX.closeQuietly(fd)
            throw error
        }
        self.offset = max(startOffset ?? headerLength, headerLength)
        self.readsFromStart = offset == headerLength
        self.expectedSequence = readsFromStart ? 0 : nil
    }

    /// Opens a segment listed as `path` (by `SpoolDirectory.segments()`, or given by a user). A segment listed
    /// `.open` that its writer sealed since (renamed to `.seg`, `Spool/FORMAT.md` §2.1) is opened under its `.seg`
    /// name; the reader's `path` and `isSealed` tell which name it was opened under.
    ///
    /// - Throws: as `init(path:startOffset:)`; `SpoolError.io` with ENOENT when the segment is gone under both
    ///   names (an uploader finished it).
    public static func openListed(path: String, startOffset: Int? = nil) throws(SpoolError) -> SegmentReader {
        do throws(SpoolError) {
            return try SegmentReader(path: path, startOffset: startOffset)
        } catch {
            guard case .io(_, _, ENOENT) = error, let name = SegmentName(fileName: FileSystem.split(path).name),
                name.state == .open, let sealedPath = SegmentName.path(path, withState: .sealed)
            else { throw error }
            return try SegmentReader(path: sealedPath, startOffset: startOffset)
        }
    }

    deinit { POSIX.closeQuietly(fd) }

    private static func readHeader(fd: Int32, path: String) throws(SpoolError) -> (SegmentHeader, Int) {
        var prefix = [UInt8](repeating: 0, count: 16)
        let n = prefix.withUnsafeMutableBytes { POSIX.preadFully(fd, $0, at: 0) }
        guard case .success(let got) = n else {
            if case .failure(let e) = n { throw .io(operation: "read", path: path, errno: e.code) }
            fatalError("unreachable")
        }
        prefix.removeLast(16 - got)
        let claimed = prefix.withUnsafeBytes { SegmentHeader.claimedLength($0) }
        let length: Int
        switch claimed {
        case .failure(let p): throw .badSegmentHeader(path: path, problem: p)
        case .success(let l): length = l
        }
        var bytes = [UInt8](repeating: 0, count: length)
        let r = bytes.withUnsafeMutableBytes { POSIX.preadFully(fd, $0, at: 0) }
        guard case .success(let full) = r else {
            if case .failure(let e) = r { throw .io(operation: "read", path: path, errno: e.code) }
            fatalError("unreachable")
        }
        guard full == length else {
            throw .badSegmentHeader(path: path, problem: .truncated(have: full, need: length))
        }
        switch bytes.withUnsafeBytes({ SegmentHeader.decode($0) }) {
        case .failure(let p): throw .badSegmentHeader(path: path, problem: p)
        case .success(let h): return (h, length)
        }
    }

    /// Reads the next valid frame, skipping (and recording in `damages`) any damaged region before it.
    ///
    /// - Returns: nil at the end of the readable data; `tail` then tells whether a partial frame follows. Calling it
    ///   again later re-checks the file size, so a follower sees frames a live writer appended since.
    public func nextFrame() -> SegmentFrame? {
        while let event = nextEvent() {
            if case .frame(let f) = event { return f }
        }
        return nil
    }

    /// Reads the next frame or damaged region.
    public func nextEvent() -> SegmentEvent? {
        while true {
            if !pendingEvents.isEmpty { return pendingEvents.removeFirst() }
            if finished {
                // Pick up frames appended since (follow mode). A partial tail is read again even when the size did
                // not grow: a writer may have cut a failed frame off and written a shorter one in its place.
                guard seal == nil, let size = POSIX.fileSize(fd), size != fileSize || tail != .clean else {
                    return nil
                }
                fileSize = size
                finished = false
            }
            let limit = min(fileSize, SpoolLimits.maxSegmentBytes)
            if offset >= limit {
                finish(at: offset)
                return pendingEvents.isEmpty ? nil : pendingEvents.removeFirst()
            }
            switch frame(at: offset, limit: limit) {
            case .valid(let frame):
                offset = frame.endOffset
                let expected = expectedSequence
                expectedSequence = frame.header.sequence &+ 1
                let undamaged = damageCount == 0
                if let expected, frame.header.sequence != expected {
                    let gap = Damage.Reason.sequenceGap(expected: expected, found: frame.header.sequence)
                    pendingEvents.append(
                        .damage(record(Damage(segment: path, offset: frame.offset, length: 0, reason: gap))))
                }
                if frame.records.first?.type == .seal, let record = SealRecord(decoding: frame.records[0].body) {
                    readSeal(frame, record, undamaged: undamaged && pendingEvents.isEmpty)
                    continue
                }
                framesRead += 1
                recordsRead += UInt64(frame.records.count)
                pendingEvents.append(.frame(frame))
            case .incomplete:
                // Returns without looking again: a partial tail is re-read on the next call, not in a loop.
                finish(at: offset)
                return pendingEvents.isEmpty ? nil : pendingEvents.removeFirst()
            case .invalid(let reason, let skipTo):
                // Salvage: the region up to the next valid frame is damage.
                let start = offset
                let next = resync(from: skipTo ?? start + 1, limit: limit)
                let end = next ?? limit
                expectedSequence = nil
                offset = end
                return .damage(record(Damage(segment: path, offset: start, length: end - start, reason: reason)))
            }
        }
    }

    /// Takes the seal frame: checks it against its own sequence number and, when the segment was read from its
    /// first frame without damage, against the frames read; then ends reading (anything after it is damage).
    private func readSeal(_ frame: SegmentFrame, _ record: SealRecord, undamaged: Bool) {
        seal = SegmentSeal(offset: frame.offset, length: frame.length, sequence: frame.header.sequence, record: record)
        let counted = readsFromStart && undamaged
        let mismatch =
            !record.isConsistent || record.frameCount != frame.header.sequence
            || (counted && (record.frameCount != framesRead || record.recordCount != recordsRead))
        if mismatch {
            let detail = Damage.SealMismatch(
                seal: record, sealSequence: frame.header.sequence, framesRead: counted ? framesRead : nil,
                recordsRead: counted ? recordsRead : nil)
            pendingEvents.append(
                .damage(
                    self.record(Damage(segment: path, offset: frame.offset, length: 0, reason: .sealMismatch(detail)))))
        }
        finished = true
        tail = .clean
        if fileSize > offset {
            let start = offset
            offset = fileSize
            pendingEvents.append(
                .damage(
                    self.record(Damage(segment: path, offset: start, length: fileSize - start, reason: .dataAfterSeal)))
            )
        }
    }

    /// Ends reading at `position`, where no complete frame starts before the limit: queues the tail's damage (a
    /// truncated frame of a sealed segment, a frame crossing the 1 GiB limit, the bytes beyond it, a missing seal)
    /// or records the partial frame of an open segment as the tail.
    private func finish(at position: Int) {
        finished = true
        tail = .clean
        let limit = min(fileSize, SpoolLimits.maxSegmentBytes)
        if position < limit, fileSize > SpoolLimits.maxSegmentBytes {
            // The frame starting here would end beyond the limit: it is not read.
            offset = fileSize
            pendingEvents.append(
                .damage(
                    record(
                        Damage(
                            segment: path, offset: position, length: fileSize - position, reason: .beyondSegmentLimit))
                ))
        } else if position < limit {
            if isSealed {
                offset = limit
                pendingEvents.append(
                    .damage(
                        record(
                            Damage(segment: path, offset: position, length: limit - position, reason: .truncatedFrame))
                    ))
            } else {
                tail = .partialFrame(offset: position, length: limit - position)
            }
        } else if fileSize > SpoolLimits.maxSegmentBytes, offset <= SpoolLimits.maxSegmentBytes {
            let start = SpoolLimits.maxSegmentBytes
            offset = fileSize
            pendingEvents.append(
                .damage(
                    record(Damage(segment: path, offset: start, length: fileSize - start, reason: .beyondSegmentLimit)))
            )
        }
        if expectsSeal, seal == nil {
            pendingEvents.append(
                .damage(record(Damage(segment: path, offset: fileSize, length: 0, reason: .sealMissing))))
        }
    }

    private func record(_ damage: Damage) -> Damage {
        damageCount += 1
        damagedBytes += damage.length
        if damages.count < 1024 { damages.append(damage) }
        return damage
    }

    private enum Attempt {
        case valid(SegmentFrame)
        case incomplete
        case invalid(Damage.Reason, skipTo: Int?)
    }

    /// Reads `count` bytes at `position` into `scratch`; returns how many were available.
    private func read(_ count: Int, at position: Int) -> Int {
        if scratch.count < count { scratch = [UInt8](repeating: 0, count: count) }
        let r = scratch.withUnsafeMutableBytes {
            POSIX.preadFully(fd, UnsafeMutableRawBufferPointer(rebasing: $0[0..<count]), at: position)
        }
        switch r {
        case .success(let n): return n
        case .failure: return 0
        }
    }

    private func frame(at position: Int, limit: Int) -> Attempt {
        let available = limit - position
        guard available >= FrameHeader.size else { return .incomplete }
        guard read(FrameHeader.size, at: position) == FrameHeader.size else { return .incomplete }
        let decoded = scratch.withUnsafeBytes {
            FrameHeader.decode(UnsafeRawBufferPointer(rebasing: $0[0..<FrameHeader.size]))
        }
        let header: FrameHeader
        switch decoded {
        case .failure(let problem):
            return .invalid(Self.reason(problem), skipTo: nil)
        case .success(let h): header = h
        }
        let stored = Int(header.storedLength)
        let total = FrameHeader.size + stored
        guard available >= total else { return .incomplete }
        guard read(stored, at: position + FrameHeader.size) == stored else { return .incomplete }
        let crcOK = scratch.withUnsafeBytes {
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<stored])) == header.payloadCRC
        }
        guard crcOK else { return .invalid(.payloadChecksumMismatch, skipTo: position + total) }
        var payload: [UInt8]
        if header.codec == .lz4Block {
            let ok: Bool
            (payload, ok) = scratch.withUnsafeBytes { src in
                var okay = false
                let out = [UInt8](unsafeUninitializedCapacity: Int(header.uncompressedLength)) { buf, count in
                    okay = LZ4.decompress(
                        UnsafeRawBufferPointer(rebasing: src[0..<stored]), into: UnsafeMutableRawBufferPointer(buf))
                    count = okay ? buf.count : 0
                }
                return (out, okay)
            }
            guard ok else { return .invalid(.decompressionFailed, skipTo: position + total) }
        } else {
            payload = Array(scratch[0..<stored])
        }
        let records: [Record]
        switch RecordEncoding.parse(payload, expectedCount: Int(header.recordCount)) {
        case .failure(let problem): return .invalid(.malformedRecords(problem), skipTo: position + total)
        case .success(let r): records = r
        }
        return .valid(SegmentFrame(offset: position, length: total, header: header, payload: payload, records: records))
    }

    private static func reason(_ problem: FrameHeader.Problem) -> Damage.Reason {
        switch problem {
        case .badMagic: .badMagic
        case .headerChecksumMismatch: .headerChecksumMismatch
        case .unknownCodec(let c): .unknownCodec(c)
        case .reservedBitsSet: .reservedBitsSet
        case .lengthBeyondLimit(let s, let u): .lengthBeyondLimit(stored: s, uncompressed: u)
        }
    }

    /// Finds the offset of the next complete valid frame at or after `start` (first trying `start` itself, which is
    /// where a frame with a valid header but a bad payload says the next one begins).
    private func resync(from start: Int, limit: Int) -> Int? {
        if start < limit, case .valid = frame(at: start, limit: limit) { return start }
        let chunkSize = 64 << 10
        var position = start
        var chunk = [UInt8](repeating: 0, count: chunkSize + 3)
        while position < limit {
            let want = min(chunkSize + 3, limit - position)
            let got = chunk.withUnsafeMutableBytes {
                POSIX.preadFully(fd, UnsafeMutableRawBufferPointer(rebasing: $0[0..<want]), at: position)
            }
            guard case .success(let n) = got, n >= 4 else { return nil }
            var i = 0
            while i + 4 <= n {
                if chunk[i] == 0xF5, chunk[i + 1] == 0x53, chunk[i + 2] == 0x46, chunk[i + 3] == 0x31 {
                    if case .valid = frame(at: position + i, limit: limit) { return position + i }
                }
                i += 1
            }
            position += max(1, n - 3)
            if n < want { break }
        }
        return nil
    }
}
