import Foundation

/// One of the three tools run as a real process with its output captured.
struct ToolProcess {
    /// How a run ended.
    struct Run {
        /// The exit status, or the signal number when `signaled`.
        var status: Int32
        /// Whether a signal ended the process (a trap, or a kill).
        var signaled: Bool
        var stdout: String
        var stderr: String
    }

    /// The executable `name` (`tracespool-upload`, `tracespool-dump`, `tracespool-demo`) built beside the test
    /// binary.
    static func path(_ name: String) -> String {
        URL(fileURLWithPath: ChildProcess.uploaderBinary).deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// Runs `name` with `arguments` and `environment` added to the test's (`nil` values remove a variable), standard
    /// input empty, in `directory` (default: the test's); kills it after `timeoutSeconds`.
    static func run(
        _ name: String, _ arguments: [String], environment: [String: String?] = [:], directory: String? = nil,
        timeoutSeconds: Double = 60
    ) async throws -> Run {
        let p = Process()
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        p.executableURL = URL(fileURLWithPath: path(name))
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        async let outData = Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
        async let errData = Task.detached { err.fileHandleForReading.readDataToEndOfFile() }.value
        if !(await ChildProcess.wait(p, timeoutSeconds: timeoutSeconds)) { p.terminate() }
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal,
            stdout: String(decoding: await outData, as: UTF8.self),
            stderr: String(decoding: await errData, as: UTF8.self))
    }
}
