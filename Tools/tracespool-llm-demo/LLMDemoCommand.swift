import ArgumentParser
import AsyncHTTPClient
import SpoolBase
import TraceSpool
import TraceSpoolLLM
import TraceSpoolLLMHTTPClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension DemoProvider: ExpressibleByArgument {}

/// A small tool-calling agent traced at the edge: every model call goes through `LLMTracedHTTPClient`, the tool
/// runs as a tool span, and the run can be recorded and replayed offline.
@main
struct LLMDemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracespool-llm-demo",
        abstract: "Run a small weather agent against an OpenAI-compatible or Anthropic endpoint, traced into a spool.",
        discussion: """
            The agent asks the model with the get_weather tool offered, runs the tool call as a tool span (a fixed \
            fake report per city), sends the result back and prints the model's final answer; then it flushes the \
            tracer. Keys come from OPENAI_API_KEY or ANTHROPIC_API_KEY (sent when set, never printed). Try it \
            without an account against fake-llm-provider (--base-url http://127.0.0.1:PORT/v1).
            Exit codes: 0 success; 1 provider or network error (the message on stderr); 3 the flush did not finish; \
            4 replay mismatch or determinism leak (the error's text on stderr); 64 usage error.
            """,
        version: PackageVersion.current)

    @Option(
        help: "Provider dialect: openai (Chat Completions, also OpenAI-compatible servers) or anthropic (Messages).")
    var provider: DemoProvider = .openai

    @Option(
        name: .customLong("base-url"),
        help: "API base URL (default https://api.openai.com/v1 or https://api.anthropic.com/v1 by --provider).")
    var baseURL: String?

    @Option(help: "Model (default gpt-4o-mini for openai, claude-haiku-4-5 for anthropic).")
    var model: String?

    @Flag(help: "Stream the answers (server-sent events).")
    var stream = false

    @Option(help: "The question.")
    var question = "What is the weather in Paris?"

    @Option(help: "Record every exchange into this recording file (appended).")
    var record: String?

    @Option(help: "Serve the model calls from this recording file; no network.")
    var replay: String?

    @Flag(help: "With --replay: a request not in the recording fails (exit 4) instead of going to the network.")
    var strict = false

    @Option(
        help:
            "Seconds one model call may take, answer included (AsyncHTTPClient retries refused connections until then)."
    )
    var timeout: Int = 120

    @Option(help: "Spool directory (default: $TRACESPOOL_DIR or <tmp>/tracespool-<uid>).")
    var spool: String?

    func validate() throws {
        if record != nil, replay != nil { throw ValidationError("--record and --replay exclude each other; give one") }
        if strict, replay == nil { throw ValidationError("--strict needs --replay FILE") }
        if let record, record.isEmpty { throw ValidationError("--record needs a file path") }
        if let replay, replay.isEmpty { throw ValidationError("--replay needs a file path") }
        if let spool, spool.isEmpty { throw ValidationError("--spool needs a directory") }
        guard (1...3600).contains(timeout) else {
            throw ValidationError("--timeout must be between 1 and 3600 seconds (got \(timeout))")
        }
        if question.isEmpty { throw ValidationError("--question must not be empty") }
        if let model, model.isEmpty { throw ValidationError("--model must not be empty") }
        if let baseURL {
            guard baseURL.hasPrefix("http://") || baseURL.hasPrefix("https://"), baseURL.utf8.count > 8,
                !baseURL.contains(" ")
            else {
                throw ValidationError("--base-url must be an http:// or https:// URL (got \(baseURL.prefix(200)))")
            }
        }
    }

    func run() async throws {
        var configuration = TracerConfiguration.fromEnvironment()
        if let spool { configuration.spoolDirectory = spool }
        if ProcessEnvironment.value("OTEL_SERVICE_NAME") == nil { configuration.serviceName = "tracespool-llm-demo" }
        let tracer = SpoolTracer(configuration: configuration)
        var recordReplay: RecordReplay?
        if let record { recordReplay = RecordReplay(mode: .record, path: record) }
        if let replay { recordReplay = RecordReplay(mode: .replay, path: replay, level: strict ? .strict : .relaxed) }
        let key = ProcessEnvironment.value(provider.keyVariable).flatMap { $0.isEmpty ? nil : $0 }
        var base = baseURL ?? provider.defaultBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        let agent = DemoAgent(
            client: LLMTracedHTTPClient(
                client: .shared, instrumentation: LLMInstrumentation(tracer: tracer, recordReplay: recordReplay)),
            provider: provider, baseURL: base, model: model ?? provider.defaultModel, stream: stream, key: key,
            timeout: .seconds(Int64(timeout)), tracer: tracer)
        var code: Int32 = 0
        do {
            let answer = try await tracer.trace("weather-agent", input: question) { trace in
                let answer = try await agent.answer(question)
                trace.setOutput(answer)
                return answer
            }
            print(answer)
            fflush(nil)
        } catch {
            code = Self.isReplayFailure(error) ? 4 : 1
            // A recording that cannot be read or written names the flag that gave it.
            let flag = error is RecordingError ? (replay != nil ? "--replay: " : "--record: ") : ""
            Self.fail("\(flag)\(error)")
        }
        if !(await tracer.flush(timeoutMillis: 10_000)) {
            Self.fail("the flush did not finish within 10 s (spans ended but not yet durable)")
            if code == 0 { code = 3 }
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// Whether `error` is a `ReplayMismatchError` or a `DeterminismLeakError` (exit 4).
    static func isReplayFailure(_ error: any Error) -> Bool {
        error is ReplayMismatchError || error is DeterminismLeakError
    }

    /// Writes `tracespool-llm-demo: <message>` to standard error.
    static func fail(_ message: String) {
        _ = POSIX.writeAll(2, Array("tracespool-llm-demo: \(message)\n".utf8))
    }
}
