import Foundation
import Testing

/// One run of the real `tracespool-upload` executable with its standard error kept.
struct UploaderRun {
    /// The exit status.
    let status: Int32
    /// Everything written to standard error (the logfmt lines).
    let log: String

    /// The log lines containing `text`.
    func lines(containing text: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains(text) }
    }

    /// Runs `tracespool-upload` with `arguments` and the test's environment plus `environment`, and waits for it
    /// (at most `timeoutSeconds`; a run still going then is killed and fails the test).
    static func run(
        _ arguments: [String], environment: [String: String] = [:], timeoutSeconds: Double = 120
    ) async throws -> UploaderRun {
        let binary = ChildProcess.uploaderBinary
        try #require(
            FileManager.default.isExecutableFile(atPath: binary), "build tracespool-upload first (swift build)")
        let logPath = NSTemporaryDirectory() + "/tracespool-upload-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: logPath) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for name in env.keys where name.hasPrefix("OTEL_") || name.lowercased().hasSuffix("_proxy") {
            env[name] = nil
        }
        for (k, v) in environment { env[k] = v }
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        try p.run()
        let exited = await ChildProcess.wait(p, timeoutSeconds: timeoutSeconds)
        if !exited {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        #expect(exited, "tracespool-upload \(arguments) did not exit; log:\n\(log)")
        return UploaderRun(status: p.terminationStatus, log: log)
    }
}
