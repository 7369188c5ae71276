import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing

/// The committed files in `Spool/vectors/`: each reads as its `.expected.json` says, and each is exactly what
/// `GoldenVectors` generates today (so the on-disk format cannot change silently).
@Suite struct GoldenVectorTests {
    static let vectors: [GoldenVector] = try! GoldenVectors.all()
    static let names: [String] = vectors.map(\.name)
    let directory = packageRoot + "/Spool/vectors"

    func vector(_ name: String) throws -> GoldenVector {
        try #require(Self.vectors.first { $0.name == name })
    }

    @Test func theVectorSetIsComplete() {
        let required: Set = [
            "valid.seg", "torn-tail.open", "bitflip.seg", "bad-header-crc-frame.seg", "truncated-header.seg",
            "zero-length.seg", "huge-length.seg", "garbage-between.seg", "sealed.seg", "sealed-cut-at-frame.seg",
            "lost-leading-frames.seg", "seal-mismatch.seg", "data-after-seal.seg", "sealing-writer-torn-tail.open",
            "drops-too-many-entries.seg", "drops-trailing-bytes.seg", "empty-lz4.seg", "varint-overflow.seg",
            "varint-non-minimal.seg", "bad-host-length.seg", "host-invalid-utf8.seg", "header-check-order.seg",
            "frame-check-order.seg", "stored-larger.seg", "undecodable-span.seg",
        ]
        #expect(required.isSubset(of: Set(Self.names)))
        #expect(Set(Self.names).count == Self.names.count)
    }

    @Test(arguments: names)
    func committedFileReadsAsExpected(name: String) throws {
        let path = directory + "/" + name
        let data = try #require(FileManager.default.contents(atPath: path + ".expected.json"), "missing JSON")
        let expected = try ExpectedReadJSON.parse(data)
        let observed = observe(path)
        #expect(observed.header == expected.header)
        #expect(observed.headerError == expected.headerError)
        #expect(observed.frames == expected.frames)
        #expect(observed.damages == expected.damages)
        #expect(observed.tail == expected.tail)
        #expect(observed.seal == expected.seal)
        #expect(observed == expected)
    }

    @Test(arguments: names)
    func committedFileIsRegeneratedByteForByte(name: String) throws {
        let v = try vector(name)
        let committed = readFile(directory + "/" + name)
        #expect(committed.count == v.bytes.count)
        if let first = zip(committed, v.bytes).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record("\(name) differs from the generator first at byte \(first.offset)")
        }
        #expect(committed == v.bytes)
        let json = try #require(FileManager.default.contents(atPath: directory + "/" + v.expectedFileName))
        #expect(try ExpectedReadJSON.parse(json) == v.expected)
        #expect(String(decoding: json, as: UTF8.self) == v.expected.jsonText)
    }

    @Test func readmeAndSizeBudget() throws {
        let readme = String(decoding: readFile(directory + "/README.md"), as: UTF8.self)
        #expect(readme == GoldenVectors.readme(Self.vectors))
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        let expectedFiles = Set(Self.names + Self.names.map { $0 + ".expected.json" } + ["README.md"])
        #expect(Set(files) == expectedFiles, "stray or missing files in Spool/vectors")
        let total = files.reduce(0) { $0 + readFile(directory + "/" + $1).count }
        #expect(total < 128 << 10)
    }

    @Test func validVectorCarriesDropsUnknownTypesAndBothCodecs() throws {
        let r = try readSegment(directory + "/valid.seg")
        #expect(r.header.resource == GoldenVectors.resource)
        #expect(r.header.scope == GoldenVectors.scope)
        #expect(r.header.writer == GoldenVectors.identity)
        #expect(Set(r.frames.map(\.header.codec)) == [.stored, .lz4Block])
        let drops = r.records.filter { $0.type == .drops }
        #expect(drops.count == 1)
        #expect(DropCounts(decoding: drops[0].body) == GoldenVectors.drops)
        #expect(r.records.contains { $0.type == GoldenVectors.unknownRecordType })
        let spans = r.records.filter { $0.type == .span }
        let expectedSpans = GoldenVectors.standardFrames().flatMap { $0 }.filter { $0.0 == .span }.map(\.1)
        #expect(spans.map { Array($0.body) } == expectedSpans)
    }

    /// `swift run tracespool-vectors <dir>` writes exactly the committed files.
    @Test func theToolWritesTheCommittedFiles() throws {
        let tool = builtProductsDirectory() + "/tracespool-vectors"
        try #require(FileManager.default.isExecutableFile(atPath: tool), "tracespool-vectors not built at \(tool)")
        let tmp = TempDirectory("vectors-tool")
        defer { tmp.remove() }
        func run(_ arguments: [String]) throws -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
        #expect(try run([tmp.path + "/out"]) == 0)
        let committed = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        let written = try FileManager.default.contentsOfDirectory(atPath: tmp.path + "/out").sorted()
        #expect(written == committed)
        for name in committed {
            #expect(readFile(tmp.path + "/out/" + name) == readFile(directory + "/" + name), "\(name)")
        }
        #expect(try run([]) == 1, "usage error")
    }
}
