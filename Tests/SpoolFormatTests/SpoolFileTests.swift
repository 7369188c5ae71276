import SpoolFormat
import Testing

/// The names of the spool directory protocol (`Spool/FORMAT.md`, "Files of other tools"), spelled out literally
/// here so that a change of the contract shows.
@Suite struct SpoolFileTests {
    static let base = "00000000000000000042-host.example-7-0000abcd"

    @Test func companionNamesOfASegment() throws {
        let name = try #require(SegmentName(fileName: Self.base + ".seg"))
        #expect(name.checkpointFileName == Self.base + ".ack")
        #expect(name.leaseFileName == Self.base + ".lease")
        #expect(name.salvageMarkerFileName == Self.base + ".salvaged")
        #expect(name.quarantinedFileName == Self.base + ".seg.damaged")
        #expect(name.with(state: .open).quarantinedFileName == Self.base + ".open.damaged")
        #expect(SegmentName.fileName(base: Self.base, state: .open) == Self.base + ".open")
        #expect(SegmentName.checkpointFileName(base: "custom") == "custom.ack")
        #expect(SegmentName.leaseFileName(base: "custom") == "custom.lease")
        #expect(SegmentName.salvageMarkerFileName(base: "custom") == "custom.salvaged")
        #expect(SpoolFile.deadLetterDirectoryName == "dead-letter")
    }

    @Test func everyNameIsClassified() throws {
        let sealed = try #require(SegmentName(fileName: Self.base + ".seg"))
        let open = sealed.with(state: .open)
        let cases: [(String, SpoolFile)] = [
            (Self.base + ".seg", .segment(sealed)),
            (Self.base + ".open", .segment(open)),
            ("." + Self.base + ".tmp", .segmentTemporary(open)),
            (Self.base + ".ack", .checkpoint(base: Self.base)),
            ("." + Self.base + ".ack.tmp-4242-3735928559", .checkpointTemporary(base: Self.base)),
            (Self.base + ".lease", .lease(base: Self.base)),
            (Self.base + ".salvaged", .salvageMarker(base: Self.base)),
            (Self.base + ".seg.salvaged", .salvagedOriginal(sealed)),
            (Self.base + ".open.salvaged", .salvagedOriginal(open)),
            ("dead-letter", .deadLetterDirectory),
            // Names that only look like the spool's.
            ("notes.ack", .other), ("notes.lease", .other), (".notes.tmp", .other), ("unrelated.txt", .other),
            ("." + Self.base + ".ack.tmp-", .other), ("." + Self.base + ".ack.tmp-1-x", .other),
            (Self.base + ".ack.tmp-1-2", .other), ("." + Self.base + ".ack", .other),
            ("." + Self.base + ".lease", .other),
            (Self.base + ".seg.damaged", .other), ("dead-letters", .other), ("", .other), (".", .other),
            ("notes.seg.salvaged", .other), (Self.base + ".salvaged.salvaged", .other),
        ]
        for (fileName, expected) in cases {
            #expect(SpoolFile(fileName: fileName) == expected, "\(fileName)")
        }
    }

    @Test func deadLetterNames() {
        let stem = SpoolFile.deadLetterStem(
            unixNanos: 1_700_000_000_000_000_000, segmentFileName: Self.base + ".seg", offset: 133, recordsSent: 2,
            random: 99)
        #expect(stem == "1700000000000000000-\(Self.base)-133-2-99", "the whole base, dots of the host included")
        #expect(SpoolFile.deadLetterBodyFileName(stem: stem) == stem + ".pb")
        #expect(SpoolFile.deadLetterMetadataFileName(stem: stem) == stem + ".json")
        #expect(
            SpoolFile.deadLetterStem(unixNanos: 1, segmentFileName: "custom.bin", offset: 0, recordsSent: 0, random: 0)
                == "1-custom-0-0-0")
    }
}
