import Foundation
import SpoolBase
import SpoolFormat
import SpoolTestSupport
import Testing

/// Spawns the `spool-test-writer` executable (built with the tests, found next to the test binary) as a child
/// process.
enum ChildWriter {
    static var executable: String { builtProductsDirectory() + "/spool-test-writer" }

    static func spawn(_ arguments: [String]) throws -> Process {
        let path = executable
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "spool-test-writer not found at \(path); build it with `swift build --build-tests`")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        try process.run()
        return process
    }

    /// Polls `condition` every 5 ms until it holds or `timeoutSeconds` pass (generous: the machine is loaded).
    static func waitUntil(timeoutSeconds: UInt64 = 120, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = SystemClock.monotonicNanos() + timeoutSeconds * 1_000_000_000
        while SystemClock.monotonicNanos() < deadline {
            if try condition() { return true }
            usleep(5_000)
        }
        return try condition()
    }
}
