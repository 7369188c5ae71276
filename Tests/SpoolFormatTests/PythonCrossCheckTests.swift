import Foundation
import SpoolFormat
import SpoolTestSupport
import Testing

/// Cross-checks against `Python/spool_reader.py`, an independent reader written from `Spool/FORMAT.md` alone: it must
/// read every golden vector as its JSON says, and read seeded fuzz inputs exactly as the Swift reader does.
@Suite struct PythonCrossCheckTests {
    static let script = packageRoot + "/Tests/SpoolFormatTests/Python/spool_reader.py"

    static var python: String? {
        ["/usr/bin/python3", "/usr/local/bin/python3", "/opt/homebrew/bin/python3"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Runs the script on `directory`; returns its exit status and output.
    static func run(_ python: String, _ directory: String) throws -> (Int32, String) {
        try run(python, [directory])
    }

    /// Runs the script with `arguments`; returns its exit status and output.
    static func run(_ python: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test func independentReaderAgreesWithTheGoldenVectors() throws {
        guard let python = Self.python else {
            print("note: skipping the Python cross-check: python3 not found")
            return
        }
        let (status, output) = try Self.run(python, packageRoot + "/Spool/vectors")
        #expect(status == 0, "\(output.prefix(4000))")
        #expect(output.contains("\(GoldenVectorTests.vectors.count) files, 0 mismatches"))
    }

    @Test func independentReaderAgreesWithTheSwiftReaderOnFuzzInputs() throws {
        guard let python = Self.python else {
            print("note: skipping the Python cross-check: python3 not found")
            return
        }
        let tmp = TempDirectory("pycheck")
        defer { tmp.remove() }
        var rng = SplitMix64(seed: 0x9C_2026)
        let pool = try FuzzTests.framePool(&rng)
        let count = 1500
        for i in 0..<count {
            let name = "input\(i)." + (i % 2 == 0 ? "seg" : "open")
            let path = tmp.file(name)
            writeFile(path, FuzzTests.input(i, &rng, pool: pool, maxBytes: 16 << 10))
            writeFile(path + ".expected.json", Array(observe(path).jsonText.utf8))
        }
        let (status, output) = try Self.run(python, tmp.path)
        #expect(status == 0, "\(output.prefix(4000))")
        #expect(output.contains("checked \(count) files, 0 mismatches"))
    }
}
