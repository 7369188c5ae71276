import Foundation

/// `tracespool-llm-demo` (or `fake-llm-provider`), the built executable beside the test binary, run as a process.
enum DemoProcess {
    struct Run {
        var status: Int32
        var signaled: Bool
        var stdout: String
        var stderr: String
    }

    /// The directory of the built executables.
    static var binDirectory: URL {
        let exe =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        if dir.lastPathComponent == "MacOS" {
            dir = dir.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        return dir
    }

    /// Runs the demo with `arguments`; the environment is the test's without provider keys and tracer variables,
    /// plus `environment`.
    static func run(_ arguments: [String], environment: [String: String] = [:], tool: String = "tracespool-llm-demo")
        async throws -> Run
    {
        let p = Process()
        p.executableURL = binDirectory.appendingPathComponent(tool)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("TRACESPOOL_") && !key.hasPrefix("OTEL_") && key != "OPENAI_API_KEY"
                && key != "ANTHROPIC_API_KEY"
        }
        env.merge(environment) { _, new in new }
        p.environment = env
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = FileHandle.nullDevice
        try p.run()
        async let outData = Task.detached { out.fileHandleForReading.readDataToEndOfFile() }.value
        async let errData = Task.detached { err.fileHandleForReading.readDataToEndOfFile() }.value
        let stdout = String(decoding: await outData, as: UTF8.self)
        let stderr = String(decoding: await errData, as: UTF8.self)
        p.waitUntilExit()
        return Run(
            status: p.terminationStatus, signaled: p.terminationReason == .uncaughtSignal, stdout: stdout,
            stderr: stderr)
    }
}
