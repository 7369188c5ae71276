package import SpoolFormat
import TraceSpoolTesting

extension GoldenVectors {
    /// The vector header of a writer that seals with a seal record (`SegmentHeader.Flags.sealRecord`).
    package static var sealingHeader: SegmentHeader {
        var h = header
        h.flags = .sealRecord
        return h
    }

    /// The vectors of the seal record (`Spool/FORMAT.md` §5.1): present and agreeing, cut off at a frame boundary,
    /// after lost leading frames, disagreeing, followed by data, and absent from a dead writer's open segment.
    static func sealVectors() throws(SpoolError) -> [GoldenVector] {
        var result: [GoldenVector] = []

        var sealed = SegmentBuilder(header: sealingHeader)
        try appendStandard(&sealed, 0..<4)
        sealed.appendSeal()
        let records = sealed.recordsAppended
        result.append(
            vector(
                "sealed.seg", sealed, damages: [], tail: .clean,
                "Header flag seal_record; the 4 standard frames, then the seal frame (4 frames, \(records) records, "
                    + "last sequence 3).",
                "Reads clean: 4 frames and the seal, whose counts agree with them."))

        var cut = sealed
        cut.truncate(toLength: cut.frames[3].endOffset)
        result.append(
            vector(
                "sealed-cut-at-frame.seg", cut,
                damages: [.init(offset: cut.bytes.count, length: 0, reason: "seal_missing")], tail: .clean,
                "sealed.seg cut exactly after frame 3: the seal frame is gone, every remaining frame is whole.",
                "4 frames and a zero-length damage seal_missing at the end of the file."))

        var lost = SegmentBuilder(header: sealingHeader)
        lost.nextSequence = 2
        try appendStandard(&lost, 2..<4)
        lost.appendSeal(SealRecord(frameCount: 4, recordCount: records))
        result.append(
            vector(
                "lost-leading-frames.seg", lost,
                damages: [.init(offset: lost.frames[0].offset, length: 0, reason: "sequence_gap")], tail: .clean,
                "sealed.seg without the bytes of frames 0 and 1: the header is followed by frames 2, 3 and the seal.",
                "Frames 2, 3 and the seal; a zero-length sequence_gap at frame 2 (frames 0 to 1 are missing)."))

        var mismatch = SegmentBuilder(header: sealingHeader)
        try appendStandard(&mismatch, 0..<4)
        let wrong = mismatch.appendSeal(SealRecord(frameCount: 4, recordCount: records + 1))
        result.append(
            vector(
                "seal-mismatch.seg", mismatch,
                damages: [.init(offset: wrong.offset, length: 0, reason: "seal_mismatch")], tail: .clean,
                "The 4 standard frames and a seal frame claiming \(records + 1) records where the frames hold "
                    + "\(records).",
                "4 frames and the seal; a zero-length damage seal_mismatch at the seal frame."))

        var after = SegmentBuilder(header: sealingHeader)
        try appendStandard(&after, 0..<2)
        let early = after.appendSeal()
        let extra = try after.appendFrame(records: standardFrames()[2])
        result.append(
            vector(
                "data-after-seal.seg", after,
                frames: after.frames.filter { $0.offset < early.offset }.map(ExpectedRead.Frame.init),
                damages: [.init(offset: extra.offset, length: extra.length, reason: "data_after_seal")], tail: .clean,
                "Frames 0, 1, the seal frame (2 frames), then one more valid frame.",
                "Frames 0, 1 and the seal; the frame after the seal is damage data_after_seal, not read."))

        var torn = SegmentBuilder(header: sealingHeader)
        try appendStandard(&torn, 0..<3)
        let last = try torn.appendFrame(records: standardFrames()[3])
        let keep = 36 + last.storedLength / 2
        torn.truncate(toLength: last.offset + keep)
        result.append(
            vector(
                "sealing-writer-torn-tail.open", torn, damages: [],
                tail: .partialFrame(offset: last.offset, length: keep),
                "Header flag seal_record, but .open: a writer that died after 3 frames, mid-way through the 4th.",
                "3 frames, no seal expected, no damage; tail partial_frame (a torn tail)."))
        return result
    }
}
