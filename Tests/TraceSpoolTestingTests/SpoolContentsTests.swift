import SpoolFormat
import Testing
import TraceSpool
import TraceSpoolTesting

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite("SpoolContents", .timeLimit(.minutes(1)))
struct SpoolContentsTests {
    @Test("segments oldest first, each span with its segment's resource")
    func spoolOrder() throws {
        try withTemporarySpool { spool in
            var newer = SegmentBuilder(resource: ["service.name": "newer"], createdNanosecondsSinceEpoch: 2_000)
            try newer.appendFrame(spans: letteredSpans("n1", "n2"))
            try newer.write(into: spool.path)
            var older = SegmentBuilder(resource: ["service.name": "older"], createdNanosecondsSinceEpoch: 1_000)
            try older.appendFrame(spans: letteredSpans("o1"))
            try older.appendFrame(spans: letteredSpans("o2"))
            try older.write(into: spool.path, as: .abandoned)
            let contents = try SpoolContents(reading: spool.path)
            #expect(contents.spans.map(\.operationName) == ["o1", "o2", "n1", "n2"])
            #expect(contents.spans.map { $0.resource.get("service.name") } == ["older", "older", "newer", "newer"])
            #expect(contents.isIntact)
        }
    }

    @Test("reading changes nothing: a spool others may write keeps its mode")
    func readingLeavesPermissions() throws {
        try withTemporarySpool { spool in
            var segment = SegmentBuilder(createdNanosecondsSinceEpoch: 1_000)
            try segment.appendFrame(spans: letteredSpans("a"))
            try segment.write(into: spool.path)
            #expect(chmod(spool.path, 0o777) == 0)
            let contents = try SpoolContents(reading: spool.path)
            #expect(contents.spans.map(\.operationName) == ["a"])
            var status = stat()
            #expect(stat(spool.path, &status) == 0)
            #expect(status.st_mode & 0o777 == 0o777)
        }
    }

    @Test(
        "an unreadable header, resource or span record is listed, a malformed drops record is damage, the rest is read")
    func unreadable() throws {
        try withTemporarySpool { spool in
            var badHeader = SegmentBuilder(createdNanosecondsSinceEpoch: 1_000)
            try badHeader.appendFrame(spans: letteredSpans("lost"))
            badHeader.flipBit(at: 20)
            let badHeaderPath = try badHeader.write(into: spool.path)
            let headerOnly = try SpoolContents(reading: spool.path)
            #expect(headerOnly.spans.isEmpty && headerOnly.drops.isEmpty && headerOnly.damages.isEmpty)
            #expect(headerOnly.unreadable.count == 1 && !headerOnly.isIntact)

            let header = SegmentHeader(
                segmentID: 9, createdUnixNanos: 2_000, writer: WriterIdentity(pid: 2, host: "h", startUnixNanos: 1),
                resource: [0x0A, 0x7F], scope: [])
            var records = SegmentBuilder(header: header)
            let frame = try records.appendFrame(records: [
                (.span, letteredSpans("kept")[0].encoded()), (.span, [0x0A, 0x01, 0x00]),
                (RecordType(rawValue: 0x7F), [1, 2, 3]), (.drops, DropCounts([.diskCap: 4]).encoded()),
            ])
            // A drops record that does not decode makes its frame malformed (Spool/FORMAT.md §5): damage.
            let badDrops = try records.appendFrame(records: [
                (.drops, [0x05]), (.span, letteredSpans("lost")[0].encoded()),
            ])
            let recordsPath = try records.write(into: spool.path)

            let contents = try SpoolContents(reading: spool.path)
            #expect(contents.spans.map(\.operationName) == ["kept"])
            #expect(contents.spans.first?.resource.isEmpty == true)
            #expect(contents.drops == DropCounts([.diskCap: 4]))
            #expect(contents.damages.map(\.offset) == [badDrops.offset])
            #expect(contents.damages.map(\.reason.code) == ["malformed_records"])
            #expect(contents.unreadable.map(\.segment) == [badHeaderPath, recordsPath, recordsPath])
            #expect(contents.unreadable.map(\.frameOffset) == [nil, nil, frame.offset])
            #expect(contents.unreadable[0].problem.contains("segment header CRC mismatch"))
            #expect(contents.unreadable[1].problem.hasPrefix("resource: "))
            #expect(contents.unreadable[2].problem == "record 1: trace id has 1 bytes, not 16")
            #expect(!contents.isIntact)
        }
    }

    @Test("a missing directory throws; files that are not segments are ignored")
    func directoryErrors() throws {
        try withTemporarySpool { spool in
            #expect(throws: SpoolError.self) { try SpoolContents(reading: spool.path + "/missing") }
            try SegmentBuilder().write(into: spool.path, baseName: "notes")
            let empty = try SpoolContents(reading: spool.path)
            #expect(empty.spans.isEmpty && empty.isIntact)
        }
    }
}
