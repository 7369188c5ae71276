import SpoolBase

/// What a file in a spool directory is, told by its name alone; and the names of the files other tools keep there
/// (`Spool/FORMAT.md`, "Files of other tools").
///
/// Companion files belong to a segment by its base name (`SegmentName.checkpointFileName` and its siblings); a
/// name is classified as one only when its base is a valid segment base. Nothing here touches the file system.
package enum SpoolFile: Sendable, Hashable {
    /// A segment: `<base>.open` or `<base>.seg`.
    case segment(SegmentName)
    /// A segment being created by its writer, `.<base>.tmp`; the associated name is the `.open` name it will get.
    case segmentTemporary(SegmentName)
    /// An uploader's checkpoint, `<base>.ack`.
    case checkpoint(base: String)
    /// A checkpoint being written, `.<base>.ack.tmp-<pid>-<random>` (see `SegmentCheckpoint.write(to:)`).
    case checkpointTemporary(base: String)
    /// An uploader's lease, `<base>.lease`.
    case lease(base: String)
    /// The dump tool's salvage marker, `<base>.salvaged`.
    case salvageMarker(base: String)
    /// A segment whose frames `tracespool-dump salvage` copied into new segments, `<base>.open.salvaged` or
    /// `<base>.seg.salvaged` (`SegmentName.salvagedOriginalFileName`); the associated name is the one it had.
    case salvagedOriginal(SegmentName)
    /// The dead-letter directory, `dead-letter`.
    case deadLetterDirectory
    /// Anything else: not the spool's, never touched by its tools.
    case other

    /// The subdirectory where an uploader keeps batches a backend refused for good and segments it cannot read.
    package static let deadLetterDirectoryName = "dead-letter"

    /// Classifies `fileName` (a name in a spool directory, not a path).
    package init(fileName: String) {
        if let name = SegmentName(fileName: fileName) {
            self = .segment(name)
        } else if let name = SegmentName(temporaryFileName: fileName) {
            self = .segmentTemporary(name)
        } else if let name = SegmentName(salvagedOriginalFileName: fileName) {
            self = .salvagedOriginal(name)
        } else if fileName == Self.deadLetterDirectoryName {
            self = .deadLetterDirectory
        } else if let base = Self.checkpointTemporaryBase(fileName) {
            self = .checkpointTemporary(base: base)
        } else if let base = Self.segmentBase(fileName, dropping: SegmentName.checkpointFileName(base: "")) {
            self = .checkpoint(base: base)
        } else if let base = Self.segmentBase(fileName, dropping: SegmentName.leaseFileName(base: "")) {
            self = .lease(base: base)
        } else if let base = Self.segmentBase(fileName, dropping: SegmentName.salvageMarkerFileName(base: "")) {
            self = .salvageMarker(base: base)
        } else {
            self = .other
        }
    }

    /// The segment base of a checkpoint temporary, `FileSystem.temporaryFilePrefix(for: "<base>.ack")` followed by
    /// `<pid>-<random>` (decimal digits and `-`), or nil for any other name.
    private static func checkpointTemporaryBase(_ fileName: String) -> String? {
        // The prefix of an empty base, `..ack.tmp-`, without its leading dot: what follows the base.
        let infix = FileSystem.temporaryFilePrefix(for: SegmentName.checkpointFileName(base: "")).dropFirst()
        guard fileName.hasPrefix("."), let found = fileName.ranges(of: infix).last else { return nil }
        let suffix = fileName[found.upperBound...].utf8
        guard !suffix.isEmpty,
            suffix.allSatisfy({ $0 == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return segmentBase(fileName[fileName.index(after: fileName.startIndex)..<found.lowerBound])
    }

    /// The base of `fileName` without `suffix` when that is a valid segment base.
    private static func segmentBase(_ fileName: String, dropping suffix: String) -> String? {
        guard fileName.hasSuffix(suffix) else { return nil }
        return segmentBase(fileName.dropLast(suffix.count))
    }

    /// `base` when it is a valid segment base (`<created>-<host>-<pid>-<random>`).
    private static func segmentBase(_ base: Substring) -> String? {
        SegmentName(fileName: SegmentName.fileName(base: String(base), state: .sealed))?.base
    }

    /// The common start of the two files of one dead letter, `<unix nanos>-<segment base>-<offset>-<records>-<random>`
    /// (the batch's start position in the segment; the random number keeps names unique): the request body is
    /// `<stem>.pb`, its description `<stem>.json`.
    ///
    /// - Parameters:
    ///   - unixNanos: when the dead letter is written.
    ///   - segmentFileName: the file name of the segment the batch comes from (its extension is left out).
    ///   - offset: the file offset of the batch's first frame.
    ///   - recordsSent: the records of that frame delivered before the batch.
    ///   - random: any number.
    package static func deadLetterStem(
        unixNanos: UInt64, segmentFileName: String, offset: Int, recordsSent: Int, random: UInt32
    ) -> String {
        let base = SegmentName.base(ofFileName: segmentFileName)
        return "\(unixNanos)-\(base)-\(offset)-\(recordsSent)-\(random)"
    }

    /// The request body file of a dead letter: `<stem>.pb`.
    package static func deadLetterBodyFileName(stem: String) -> String { stem + ".pb" }

    /// The description file of a dead letter: `<stem>.json`.
    package static func deadLetterMetadataFileName(stem: String) -> String { stem + ".json" }
}
