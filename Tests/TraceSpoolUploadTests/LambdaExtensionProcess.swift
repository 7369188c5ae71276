import Foundation

/// The built `tracespool-upload` run as a Lambda extension against a `FakeExtensionsAPI`, its standard error in a
/// file of the test's directory.
struct LambdaExtensionProcess {
    let process: Process
    let stderrPath: String

    /// Starts the extension with the Lambda environment of `api` (`AWS_LAMBDA_RUNTIME_API`), `TMPDIR` = `work`
    /// (so the default spool is `<work>/tracespool-<uid>`), no OTLP settings of the test machine, and `environment`
    /// on top (`nil` removes a variable).
    static func start(
        api: FakeExtensionsAPI?, work: String, arguments: [String] = [], environment: [String: String?] = [:]
    ) throws -> LambdaExtensionProcess {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ToolProcess.path("tracespool-upload"))
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for name in env.keys where name.hasPrefix("OTEL_") || name.hasPrefix("TRACESPOOL_") { env[name] = nil }
        env["TMPDIR"] = work
        env["AWS_LAMBDA_RUNTIME_API"] = api?.address
        env["AWS_LAMBDA_FUNCTION_NAME"] = "test"
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let stderrPath = work + "/extension-\(UUID().uuidString.prefix(8)).log"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        p.standardError = FileHandle(forWritingAtPath: stderrPath)
        p.standardOutput = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return LambdaExtensionProcess(process: p, stderrPath: stderrPath)
    }

    /// The default spool of an extension started with `work` as `TMPDIR`.
    static func spool(in work: String) -> String { work + "/tracespool-\(getuid())" }

    /// What the extension logged so far.
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Waits for the process to exit (at most `seconds`, then SIGKILL as Lambda does); returns its status, or nil
    /// when it had to be killed.
    func waitForExit(seconds: Double) async -> Int32? {
        if await ChildProcess.wait(process, timeoutSeconds: seconds) {
            return process.terminationReason == .exit ? process.terminationStatus : -process.terminationStatus
        }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        return nil
    }

    /// Kills the process if it still runs.
    func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}
