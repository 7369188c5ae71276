import Foundation

/// Spawns child processes for crash tests: the test binary itself in a "child mode", or the built
/// `tracespool-upload` executable.
enum ChildProcess {
    /// The running test binary.
    static var testBinary: String { CommandLine.arguments[0] }

    /// The `tracespool-upload` executable built beside the test binary.
    static var uploaderBinary: String {
        URL(fileURLWithPath: testBinary).deletingLastPathComponent().appendingPathComponent("tracespool-upload").path
    }

    /// Starts a process.
    static func start(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
        -> Process
    {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Re-runs the test binary so that only the test named `entryPoint` runs, with `environment` selecting its
    /// child behaviour.
    static func startTestChild(entryPoint: String, environment: [String: String]) throws -> Process {
        try start(testBinary, ["--testing-library", "swift-testing", "--filter", entryPoint], environment: environment)
    }

    /// Waits for a process to exit (generous timeout for a loaded machine); returns false on timeout.
    static func wait(_ p: Process, timeoutSeconds: Double = 120) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeoutSeconds)
        while p.isRunning {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return true
    }
}
