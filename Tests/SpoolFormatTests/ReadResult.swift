import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Everything a reader yields for one segment, in order.
struct ReadResult {
    var header: SegmentHeader
    var headerLength: Int
    var frames: [SegmentFrame]
    var damages: [Damage]
    var tail: SegmentTail
    /// The seal frame, when one was read.
    var seal: SegmentSeal?
    /// Events in order: frames and damages.
    var events: [SegmentEvent]

    var records: [Record] { frames.flatMap(\.records) }
}

/// Reads a segment to its end with `nextEvent()`.
func readSegment(_ path: String, maxEvents: Int = 1_000_000) throws(SpoolError) -> ReadResult {
    let reader = try SegmentReader(path: path)
    var result = ReadResult(
        header: reader.header, headerLength: reader.headerLength, frames: [], damages: [], tail: .clean, seal: nil,
        events: [])
    while let event = reader.nextEvent() {
        result.events.append(event)
        switch event {
        case .frame(let f): result.frames.append(f)
        case .damage(let d): result.damages.append(d)
        }
        precondition(result.events.count <= maxEvents, "reader does not terminate on \(path)")
    }
    result.tail = reader.tail
    result.seal = reader.seal
    #expect(reader.damageCount == result.damages.count)
    #expect(reader.damages == Array(result.damages.prefix(1024)))
    #expect(reader.damagedBytes == result.damages.reduce(0) { $0 + $1.length })
    return result
}

/// What a reader's output for `path` amounts to; frame CRCs are computed from the file's bytes and from the
/// decompressed payload, independently of the reader's own checks.
func observe(_ path: String) -> ExpectedRead {
    let name = String(path.split(separator: "/").last ?? "")
    let result: ReadResult
    do throws(SpoolError) {
        result = try readSegment(path)
    } catch {
        guard case .badSegmentHeader(_, let problem) = error else {
            Issue.record("unexpected error \(error)")
            return ExpectedRead(vector: name, header: nil, headerError: nil, frames: [], damages: [], tail: .clean)
        }
        return ExpectedRead(
            vector: name, header: nil, headerError: .init(problem), frames: [], damages: [], tail: .clean)
    }
    let file = readFile(path)
    let frames = result.frames.map { f in
        ExpectedRead.Frame(
            offset: f.offset, length: f.length, sequence: f.header.sequence, recordCount: f.records.count,
            codec: ExpectedRead.Frame.codecName(f.header.codec), storedLength: Int(f.header.storedLength),
            uncompressedLength: f.payload.count,
            storedCRC32C: CRC32C.checksum(file[f.offset + FrameHeader.size..<f.endOffset]),
            uncompressedCRC32C: CRC32C.checksum(f.payload), recordTypes: f.records.map { Int($0.type.rawValue) })
    }
    return ExpectedRead(
        vector: name, header: .init(result.header, length: result.headerLength), headerError: nil, frames: frames,
        damages: result.damages.map { .init(offset: $0.offset, length: $0.length, reason: $0.reason.code) },
        tail: result.tail, seal: result.seal.map(ExpectedRead.Seal.init))
}
