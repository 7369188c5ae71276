import Foundation
import Testing

@testable import SpoolFormat

/// The owner and permission rules of `SpoolDirectory.Access` (`Spool/FORMAT.md` §11): writers tighten, shipping
/// readers refuse, inspectors accept; listings refuse files named like segments that are not the owner's, not
/// regular files, or not parseable names.
@Suite struct SpoolDirectoryAccessTests {
    static func mode(_ path: String) -> UInt32 { UInt32(fileStat(path)?.st_mode ?? 0) & 0o7777 }

    @Test func aWriterRemovesWritePermissionOfGroupAndOthers() throws {
        let tmp = TempDirectory("access-write")
        defer { tmp.remove() }
        let path = tmp.file("spool")
        #expect(mkdir(path, 0o700) == 0 && chmod(path, 0o777) == 0)
        _ = try SpoolDirectory(path: path, create: false)
        #expect(Self.mode(path) == 0o755)
        #expect(chmod(path, 0o2770) == 0)
        let shared = try SpoolDirectory(
            path: path, access: .write(create: false, sharedGroup: UInt32(getegid())))
        #expect(Self.mode(path) == 0o2770, "the shared group keeps its write permission")
        #expect(shared.segmentFileMode == 0o640)
        let writer = try SegmentWriter(directory: shared)
        try writer.append(payload: payload([(.span, [1])]), recordCount: 1)
        #expect(Self.mode(try #require(writer.currentSegmentPath)) == 0o640)
        try writer.close()
        #expect(chmod(path, 0o2777) == 0)
        _ = try SpoolDirectory(path: path, access: .write(create: false, sharedGroup: UInt32(getegid())))
        #expect(Self.mode(path) == 0o2775, "others never keep write permission")
    }

    @Test func aWriterInASharedGroupCreatesTheDirectorySetGroupIDForTheGroup() throws {
        let tmp = TempDirectory("access-create")
        defer { tmp.remove() }
        let path = tmp.file("spool")
        let spool = try SpoolDirectory(path: path, access: .write(create: true, sharedGroup: UInt32(getegid())))
        #expect(Self.mode(path) == 0o2770 && spool.segmentFileMode == 0o640)
        let plain = try SpoolDirectory(path: tmp.file("plain"))
        #expect(Self.mode(plain.path) == 0o700 && plain.segmentFileMode == 0o600)
    }

    @Test func anUploaderRefusesADirectoryOthersMayWriteUnlessItIsTheSharedGroups() throws {
        let tmp = TempDirectory("access-ship")
        defer { tmp.remove() }
        let path = tmp.file("spool")
        #expect(mkdir(path, 0o700) == 0 && chmod(path, 0o770) == 0)
        #expect(
            spoolError { _ = try SpoolDirectory(path: path, access: .ship(sharedGroup: nil)) }
                == .directoryWritableByOthers(path: path, permissions: 0o770))
        #expect(Self.mode(path) == 0o770, "an uploader changes nothing")
        _ = try SpoolDirectory(path: path, access: .ship(sharedGroup: UInt32(getegid())))
        #expect(chmod(path, 0o772) == 0)
        #expect(
            spoolError { _ = try SpoolDirectory(path: path, access: .ship(sharedGroup: UInt32(getegid()))) }
                == .directoryWritableByOthers(path: path, permissions: 0o772))
        _ = try SpoolDirectory(path: path, access: .inspect)
        let description = SpoolError.directoryWritableByOthers(path: path, permissions: 0o770).description
        #expect(description.contains("chmod go-w") && description.contains("TRACESPOOL_SPOOL_GROUP"))
    }

    @Test func aListingRefusesUnparsableNamesAndFilesThatAreNotRegular() throws {
        let tmp = TempDirectory("access-list")
        defer { tmp.remove() }
        let spool = try SpoolDirectory(path: tmp.file("spool"))
        let writer = try SegmentWriter(directory: spool)
        try writer.append(payload: payload([(.span, [1])]), recordCount: 1)
        try writer.close()
        writeFile(spool.path(of: "notes.seg"), [1, 2, 3])
        writeFile(spool.path(of: "notes.txt"), [1, 2, 3])
        let linked = "00000000000000000009-host-1-0000000a.seg"
        #expect(symlink("/etc/passwd", spool.path(of: linked)) == 0)
        let listing = try SpoolDirectory(path: spool.path, access: .ship(sharedGroup: nil)).listing()
        #expect(listing.segments.count == 1 && listing.segments[0].owner == geteuid())
        #expect(
            listing.refused == [
                .init(fileName: "notes.seg", reason: .unparsableName),
                .init(fileName: linked, reason: .notARegularFile),
            ])
        #expect(try spool.segments().count == 1)
    }
}
