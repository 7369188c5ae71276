import FakeLLMProvider
import Foundation
import Testing
import TraceSpoolTesting

/// `tracespool-llm-demo`, the built executable, against the in-test `FakeLLMProvider`.
@Suite(.timeLimit(.minutes(3))) struct DemoTests {
    static let keys = ["OPENAI_API_KEY": "sk-demo-openai-9d2c41", "ANTHROPIC_API_KEY": "sk-ant-demo-77e0b3"]
    static let answer = "It is 18 °C and sunny in Paris.\n"

    @Test(arguments: ["openai", "anthropic"], [false, true])
    func theAgentRunsTwoGenerationsAndOneToolSpanInOneTrace(provider name: String, stream: Bool) async throws {
        let provider = try await FakeLLMProvider.start(requireKey: true)
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let run = try await DemoProcess.run(
                ["--provider", name, "--base-url", provider.baseURL, "--spool", spool.path]
                    + (stream ? ["--stream"] : []),
                environment: Self.keys)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == Self.answer)
            for key in Self.keys.values { #expect(!run.stdout.contains(key) && !run.stderr.contains(key)) }
            let spans = try SpoolContents(reading: spool.path).spans
            let trace = try #require(spans.first { $0.string("tracespool.span.type") == "trace" })
            let generations = spans.filter(\.isLLMCall).sorted {
                $0.startNanosecondsSinceEpoch < $1.startNanosecondsSinceEpoch
            }
            let tools = spans.filter { $0.string("tracespool.span.type") == "tool" }
            #expect(spans.count == 4)
            #expect(generations.count == 2)
            #expect(tools.count == 1)
            #expect(spans.allSatisfy { $0.traceID == trace.traceID })
            #expect((generations + tools).allSatisfy { $0.parentSpanID == trace.spanID })
            #expect(trace.string("output.value") == "It is 18 °C and sunny in Paris.")
            guard generations.count == 2, let tool = tools.first else { return }
            // The first generation offers the tool and asks for it; the tool span runs it; the second sends its
            // result back.
            #expect(generations[0].string("llm.tools.0.tool.json_schema")?.contains("get_weather") == true)
            let callID = try #require(generations[0].string("llm.output_messages.0.message.tool_calls.0.tool_call.id"))
            #expect(tool.operationName.contains("get_weather"))
            #expect(tool.string("output.value")?.contains("\"temperature_c\":18") == true)
            let toolMessage = (0..<8).first {
                generations[1].string("llm.input_messages.\($0).message.tool_call_id") == callID
            }
            #expect(toolMessage != nil, "no input message of the second generation answers \(callID)")
            if let toolMessage {
                #expect(
                    generations[1].string("llm.input_messages.\(toolMessage).message.content")?.contains(
                        "temperature_c")
                        == true)
            }
            #expect(generations[1].string("llm.output_messages.0.message.content") == "It is 18 °C and sunny in Paris.")
            #expect(generations.allSatisfy { $0.attributes.get("gen_ai.request.stream") == .bool(stream) })
            let all = spans.flatMap(\.attributeLines).joined(separator: "\n")
            for key in Self.keys.values { #expect(!all.contains(key)) }
        }
    }

    @Test(arguments: ["openai", "anthropic"])
    func recordThenReplayWithTheProviderStopped(provider name: String) async throws {
        let provider = try await FakeLLMProvider.start()
        try await withTemporarySpool { spool in
            let recording = spool.path + "-\(name).json"
            defer { try? FileManager.default.removeItem(atPath: recording) }
            let recorded = try await DemoProcess.run(
                [
                    "--provider", name, "--stream", "--base-url", provider.baseURL, "--spool", spool.path, "--record",
                    recording,
                ])
            #expect(recorded.status == 0, "\(recorded.stderr)")
            await provider.stop()
            let replayed = try await DemoProcess.run(
                [
                    "--provider", name, "--stream", "--base-url", provider.baseURL, "--spool", spool.path, "--replay",
                    recording, "--strict",
                ])
            #expect(replayed.status == 0, "\(replayed.stderr)")
            #expect(replayed.stdout == recorded.stdout)
            #expect(replayed.stdout == Self.answer)
            let spans = try SpoolContents(reading: spool.path).spans
            #expect(spans.filter { $0.attributes.get("tracespool.llm.replayed") == .bool(true) }.count == 2)

            // Another question: the first request differs from the recorded one in messages[0].content.
            let changed = try await DemoProcess.run(
                [
                    "--provider", name, "--stream", "--base-url", provider.baseURL, "--spool", spool.path, "--replay",
                    recording, "--question", "What is the weather in Lyon?",
                ])
            #expect(changed.status == 4)
            #expect(changed.stderr.contains("messages[0].content"), "\(changed.stderr)")

            // Another provider's path has no counterpart: strict is a determinism leak (4); relaxed goes to the
            // network, where the provider is stopped (1).
            let other = name == "openai" ? "anthropic" : "openai"
            let leak = try await DemoProcess.run(
                [
                    "--provider", other, "--base-url", provider.baseURL, "--spool", spool.path, "--replay", recording,
                    "--strict",
                ])
            #expect(leak.status == 4, "\(leak.stderr)")
            #expect(!leak.stderr.isEmpty)
            let relaxed = try await DemoProcess.run(
                [
                    "--provider", other, "--base-url", provider.baseURL, "--spool", spool.path, "--replay", recording,
                    "--timeout", "2",
                ])
            #expect(relaxed.status == 1, "\(relaxed.stderr)")
        }
    }

    @Test func providerErrorsExitOne() async throws {
        let provider = try await FakeLLMProvider.start(requireKey: true)
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let run = try await DemoProcess.run(["--base-url", provider.baseURL, "--spool", spool.path])
            #expect(run.status == 1)
            #expect(run.stderr.contains("HTTP 401"))
            let failing = try await DemoProcess.run(
                ["--base-url", provider.baseURL, "--spool", spool.path, "--model", "fail-500"], environment: Self.keys)
            #expect(failing.status == 1)
            #expect(failing.stderr.contains("HTTP 500"))
        }
    }

    @Test func usageErrorsExit64() async throws {
        for arguments in [
            ["--strict"], ["--record", "a", "--replay", "b"], ["--provider", "gemini"], ["--base-url", "ftp://x"],
        ] {
            let run = try await DemoProcess.run(arguments)
            #expect(run.status == 64, "\(arguments): \(run.stderr)")
        }
    }
}
