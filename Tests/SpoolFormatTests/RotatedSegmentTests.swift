import Foundation
import SpoolTestSupport
import Testing

@testable import SpoolFormat

/// `deferSealingOnRotation`: a rotation leaves the full segment open and locked for another thread to seal.
@Suite struct RotatedSegmentTests {
    /// Appends 20 KiB frames of incompressible bytes until the writer has rotated `rotations` times.
    private func appendUntilRotated(_ writer: SegmentWriter, rotations: Int, seed: UInt64) throws -> (
        rotated: [RotatedSegment], payloads: [[UInt8]]
    ) {
        var rng = SplitMix64(seed: seed)
        var rotated: [RotatedSegment] = []
        var payloads: [[UInt8]] = []
        while rotated.count < rotations {
            let body = (0..<(20 << 10)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var payload: [UInt8] = []
            RecordEncoding.append(type: .span, body: body, to: &payload)
            let before = writer.currentSegmentPath
            try writer.append(payload: payload, recordCount: 1)
            payloads.append(body)
            let taken = writer.takeRotatedSegments()
            #expect(taken.count == (writer.currentSegmentPath != before && before != nil ? 1 : 0))
            rotated += taken
        }
        return (rotated, payloads)
    }

    /// A writer of 64 KiB segments that defers sealing, in a spool directory under `tmp`.
    private func deferringWriter(in tmp: TempDirectory) throws -> (SpoolDirectory, SegmentWriter) {
        let spool = try SpoolDirectory(path: tmp.file("spool"))
        var options = SegmentWriterOptions(maxSegmentBytes: 64 << 10)
        options.deferSealingOnRotation = true
        return (spool, try SegmentWriter(directory: spool, options: options))
    }

    private func spanBodies(_ spool: SpoolDirectory) throws -> [[UInt8]] {
        var bodies: [[UInt8]] = []
        for segment in try spool.segments() {
            let reader = try SegmentReader(path: segment.path)
            while let frame = reader.nextFrame() { bodies += frame.records.map { Array($0.body) } }
        }
        return bodies
    }

    @Test func aRotatedSegmentStaysOpenAndLockedUntilSealedOnAnotherThread() async throws {
        let tmp = TempDirectory("rotated")
        defer { tmp.remove() }
        let (spool, writer) = try deferringWriter(in: tmp)
        let (rotated, payloads) = try appendUntilRotated(writer, rotations: 2, seed: 7)
        // Both full segments are still being written as far as readers can tell; the writer has moved on.
        for segment in rotated {
            #expect(segment.name.state == .open)
            #expect(FileManager.default.fileExists(atPath: segment.path))
            #expect(SpoolDirectory.writerHoldsLock(segment.path))
            #expect(segment.sizeBytes > 0 && segment.sizeBytes <= 64 << 10)
        }
        #expect(writer.currentSegmentPath != nil && !rotated.map(\.path).contains(writer.currentSegmentPath!))
        #expect(try spool.segments().filter { $0.name.state == .sealed }.isEmpty)

        // Sealed from another thread: renamed to .seg, lock released.
        try await Task.detached { for segment in rotated { try segment.seal() } }.value
        try rotated[0].seal()  // a second seal does nothing
        for segment in rotated {
            #expect(!FileManager.default.fileExists(atPath: segment.path))
            let sealed = spool.path(of: segment.name.with(state: .sealed).fileName)
            #expect(FileManager.default.fileExists(atPath: sealed))
            #expect(!SpoolDirectory.writerHoldsLock(sealed))
        }
        try writer.close()
        let segments = try spool.segments()
        #expect(segments.count == 3)
        #expect(segments.allSatisfy { $0.name.state == .sealed && $0.state == .sealed })
        #expect(try spanBodies(spool) == payloads)
        // Sealed on another thread or by close, each ends with a seal frame that agrees with its frames.
        for segment in segments {
            let r = try readSegment(segment.path)
            #expect(r.damages.isEmpty)
            #expect(
                r.seal?.record == SealRecord(frameCount: UInt64(r.frames.count), recordCount: UInt64(r.records.count)))
            #expect(r.seal?.endOffset == segment.sizeBytes)
        }
    }

    @Test func withoutDeferringTheWriterSealsOnRotation() throws {
        let tmp = TempDirectory("rotated-inline")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.file("spool"))
        let writer = try SegmentWriter(directory: spool, options: SegmentWriterOptions(maxSegmentBytes: 64 << 10))
        var rng = SplitMix64(seed: 9)
        var payloads: [[UInt8]] = []
        while try spool.segments().count < 2 {
            let body = (0..<(20 << 10)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var payload: [UInt8] = []
            RecordEncoding.append(type: .span, body: body, to: &payload)
            try writer.append(payload: payload, recordCount: 1)
            payloads.append(body)
            #expect(writer.takeRotatedSegments().isEmpty)
        }
        #expect(try spool.segments().first?.name.state == .sealed)
        try writer.close()
        #expect(try spanBodies(spool) == payloads)
    }

    @Test func aRotatedSegmentDeletedBeforeItsSealReportsItVanished() throws {
        let tmp = TempDirectory("rotated-vanished")
        defer { tmp.remove() }
        let (spool, writer) = try deferringWriter(in: tmp)
        let (rotated, _) = try appendUntilRotated(writer, rotations: 1, seed: 11)
        #expect(unlink(rotated[0].path) == 0)
        #expect(throws: SpoolError.segmentVanished(path: rotated[0].path)) { try rotated[0].seal() }
        #expect(!FileManager.default.fileExists(atPath: spool.path(of: rotated[0].name.with(state: .sealed).fileName)))
        // Closed after the failure; a later call reports the same failure rather than success.
        #expect(throws: SpoolError.segmentVanished(path: rotated[0].path)) { try rotated[0].seal() }
        try writer.close()
    }

    @Test func aRotatedSegmentDroppedUnsealedIsLeftForReadersToSalvage() throws {
        let tmp = TempDirectory("rotated-dropped")
        defer { tmp.remove() }
        let (spool, writer) = try deferringWriter(in: tmp)
        var (rotated, payloads) = try appendUntilRotated(writer, rotations: 1, seed: 13)
        let path = rotated[0].path
        rotated = []  // released unsealed: descriptors closed, lock gone
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!SpoolDirectory.writerHoldsLock(path))
        try writer.close()
        #expect(try spool.segments().filter { $0.state == .abandoned }.map(\.path) == [path])
        #expect(try spanBodies(spool) == payloads)
    }
}
