import ArgumentParser
import FakeLLMProvider
import SpoolBase

/// Serves `FakeLLMProvider` until killed, printing its URL first.
@main
struct FakeLLMProviderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fake-llm-provider",
        abstract: "A loopback stand-in for the OpenAI and Anthropic HTTP APIs (chat completions, responses, "
            + "embeddings, messages), playing a small weather agent.",
        discussion: """
            Prints "fake-llm-provider listening on http://HOST:PORT" (the base URL for the demo is that URL \
            followed by /v1), then serves until killed. Errors on demand: the request header x-fake-status: \
            401|429|500, or a model named fail-401, fail-429 or fail-500; x-fake-stall-after: N stops a stream after \
            N events. See Docs/LLMClients.md.
            Exit codes: 0 after a signal-free stop, 64 usage error, 1 the address could not be bound.
            """,
        version: PackageVersion.current)

    @Option(help: "Port to listen on (0: any free port, printed).")
    var port: Int = 0

    @Option(help: "Address to listen on (loopback by default: the fake has no authentication of its own).")
    var host: String = "127.0.0.1"

    @Flag(
        name: .customLong("require-key"),
        help: "Answer 401 to requests without a key (Authorization: Bearer for OpenAI routes, x-api-key for Anthropic)."
    )
    var requireKey = false

    func validate() throws {
        guard (0...65535).contains(port) else {
            throw ValidationError("--port must be between 0 and 65535 (got \(port))")
        }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
    }

    func run() async throws {
        let provider: FakeLLMProvider
        do {
            provider = try await FakeLLMProvider.start(host: host, port: port, requireKey: requireKey)
        } catch {
            _ = POSIX.writeAll(
                2, Array("fake-llm-provider: cannot listen on --host \(host) --port \(port): \(error)\n".utf8))
            throw ExitCode(1)
        }
        print("fake-llm-provider listening on \(provider.url)")
        fflushStandardOutput()
        try await provider.waitUntilClosed()
    }
}
