import FakeLLMProvider
import Foundation
import Testing
import TraceSpool
import TraceSpoolLLM
import TraceSpoolTesting

/// Both adapters against `FakeLLMProvider`: one span per call, read back from the spool.
@Suite struct AdapterSpanTests {
    /// One call of each kind, and what its span must hold.
    struct Call: Sendable, CustomTestStringConvertible {
        var label: String
        var path: String
        var body: [UInt8]
        var system: String
        var streamed: Bool
        var testDescription: String { label }
    }

    static let calls: [Call] = [
        Call(label: "chat", path: "/v1/chat/completions", body: TestBodies.chat(), system: "openai", streamed: false),
        Call(
            label: "chat stream", path: "/v1/chat/completions", body: TestBodies.chat(stream: true), system: "openai",
            streamed: true),
        Call(
            label: "messages", path: "/v1/messages", body: TestBodies.messages(), system: "anthropic", streamed: false),
        Call(
            label: "messages stream", path: "/v1/messages", body: TestBodies.messages(stream: true),
            system: "anthropic", streamed: true),
    ]

    @Test(arguments: Adapter.allCases, calls)
    func oneGenerationSpanPerCall(adapter: Adapter, call: Call) async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer { $0.logLevel = .critical }
            let response = try await adapter.send(
                LLMInstrumentation(tracer: tracer, provider: call.system == "anthropic" ? nil : "openai"),
                baseURL: provider.url, path: call.path, headers: [("Content-Type", "application/json")],
                body: call.body)
            #expect(response.status == 200)
            _ = try await response.body.readAll()
            let spans = try await spool.contents().spans
            #expect(spans.count == 1)
            let span = try #require(spans.first)
            #expect(span.kind == .client)
            #expect(span.string("gen_ai.operation.name") == "chat")
            #expect(span.string("gen_ai.system") == call.system)
            #expect(span.string("tracespool.llm.outcome") == "completed")
            #expect(span.attributes.get("gen_ai.request.stream") == .bool(call.streamed))
            #expect(span.int("http.response.status_code") == 200)
            #expect(span.string("llm.output_messages.0.message.tool_calls.0.tool_call.function.name") == "get_weather")
            #expect(
                span.string("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments")
                    == #"{"city":"Paris"}"#)
            #expect(span.string("llm.tools.0.tool.json_schema")?.contains("get_weather") == true)
            #expect(span.int("gen_ai.usage.cache_read.input_tokens") ?? 0 > 0)
            #expect(span.int("gen_ai.usage.input_tokens") ?? 0 > span.int("gen_ai.usage.cache_read.input_tokens") ?? 0)
            if call.streamed {
                #expect(span.int("tracespool.llm.chunks") ?? 0 >= 3)
                #expect(span.attributes.get("gen_ai.response.time_to_first_chunk") != nil)
            }
            if call.system == "anthropic" {
                #expect(span.int("gen_ai.usage.cache_creation.input_tokens") ?? 0 > 0)
            }
        }
    }

    @Test(arguments: Adapter.allCases)
    func embeddingsAndResponsesAreLLMCalls(adapter: Adapter) async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer { $0.logLevel = .critical }
            let instrumentation = LLMInstrumentation(tracer: tracer)
            for (path, body) in [("/v1/embeddings", TestBodies.embeddings), ("/v1/responses", TestBodies.responses)] {
                let response = try await adapter.send(
                    instrumentation, baseURL: provider.url, path: path, headers: [("Content-Type", "application/json")],
                    body: body)
                _ = try await response.body.readAll()
            }
            let spans = try await spool.contents().spans
            #expect(spans.count == 2)
            #expect(spans.map { $0.string("gen_ai.operation.name") } == ["embeddings", "chat"])
            #expect(spans.first?.int("gen_ai.embeddings.dimension.count") == 4)
            #expect(
                spans.last?.string("llm.output_messages.0.message.tool_calls.0.tool_call.function.name")
                    == "get_weather")
        }
    }

    @Test(arguments: Adapter.allCases)
    func aNonLLMRequestIsAClientSpan(adapter: Adapter) async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer { $0.logLevel = .critical }
            let response = try await adapter.send(
                LLMInstrumentation(tracer: tracer), method: "GET", baseURL: provider.url, path: "/v1/models?key=sk-q")
            #expect(response.status == 404)
            _ = try await response.body.readAll()
            let spans = try await spool.contents().spans
            let span = try #require(spans.first)
            #expect(spans.count == 1)
            #expect(span.kind == .client)
            #expect(!span.isLLMCall)
            #expect(span.string("http.request.method") == "GET")
            #expect(span.string("url.full") == provider.url + "/v1/models?key=REDACTED")
            #expect(span.int("http.response.status_code") == 404)
        }
    }

    @Test(
        arguments: Adapter.allCases,
        [(401, "chat"), (429, "chat"), (500, "chat"), (429, "messages"), (401, "messages")])
    func errorStatusesMarkTheSpan(adapter: Adapter, error: (status: Int, api: String)) async throws {
        let provider = try await FakeLLMProvider.start(requireKey: error.status == 401)
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let tracer = spool.makeTracer { $0.logLevel = .critical }
            let anthropic = error.api == "messages"
            var headers = [("Content-Type", "application/json")]
            if error.status != 401 { headers.append(("x-fake-status", String(error.status))) }
            let response = try await adapter.send(
                LLMInstrumentation(tracer: tracer), baseURL: provider.url,
                path: anthropic ? "/v1/messages" : "/v1/chat/completions", headers: headers,
                body: anthropic ? TestBodies.messages() : TestBodies.chat())
            #expect(response.status == error.status)
            _ = try await response.body.readAll()
            let span = try #require(try await spool.contents().spans.first)
            #expect(span.status?.code == .error)
            #expect(span.int("http.response.status_code") == error.status)
            // The provider's error type (OpenAI's `type`, else its `code`; Anthropic's `error.type`).
            let expectedTypes: [String] =
                switch (error.status, anthropic) {
                case (401, false): ["invalid_request_error", "invalid_api_key"]
                case (429, false): ["requests", "rate_limit_exceeded"]
                case (500, false): ["server_error"]
                case (401, true): ["authentication_error"]
                default: ["rate_limit_error"]
                }
            #expect(expectedTypes.contains(span.string("error.type") ?? ""), "\(span.string("error.type") ?? "nil")")
            if error.status == 429 {
                #expect(span.attributes.get("http.response.header.retry-after") == .stringArray(["2"]))
            } else {
                #expect(span.attributes.get("http.response.header.retry-after") == nil)
            }
        }
    }

    @Test(arguments: Adapter.allCases)
    func credentialsNeverReachTheSpoolOrTheRecording(adapter: Adapter) async throws {
        let provider = try await FakeLLMProvider.start(requireKey: true)
        defer { Task { await provider.stop() } }
        let secrets = ["sk-test-OPENAI-7f3a9c", "sk-ant-test-ANTHROPIC-51be02"]
        try await withTemporarySpool { spool in
            let recording = spool.path + "-recording.json"
            defer { try? FileManager.default.removeItem(atPath: recording) }
            let tracer = spool.makeTracer { $0.logLevel = .critical }
            let instrumentation = LLMInstrumentation(
                tracer: tracer, recordReplay: RecordReplay(mode: .record, path: recording))
            let calls: [(String, [(String, String)], [UInt8])] = [
                ("/v1/chat/completions", [("Authorization", "Bearer \(secrets[0])")], TestBodies.chat(stream: true)),
                (
                    "/v1/messages", [("x-api-key", secrets[1]), ("anthropic-version", "2023-06-01")],
                    TestBodies.messages()
                ),
                ("/v1/models?api_key=\(secrets[0])", [("Authorization", "Bearer \(secrets[0])")], []),
            ]
            for (path, headers, body) in calls {
                let response = try await adapter.send(
                    instrumentation, method: body.isEmpty ? "GET" : "POST", baseURL: provider.url, path: path,
                    headers: [("Content-Type", "application/json")] + headers, body: body.isEmpty ? nil : body)
                _ = try await response.body.readAll()
            }
            // The keys did go over the wire (the provider required them).
            #expect(provider.requests.compactMap { $0.header("authorization") }.contains("Bearer \(secrets[0])"))
            #expect(provider.requests.compactMap { $0.header("x-api-key") } == [secrets[1]])
            let contents = try await spool.contents()
            #expect(contents.spans.count == 3)
            let attributeText = contents.spans.flatMap(\.attributeLines).joined(separator: "\n")
            let recorded = (try? String(contentsOfFile: recording, encoding: .utf8)) ?? ""
            #expect(!recorded.isEmpty)
            for secret in secrets {
                #expect(!attributeText.contains(secret))
                #expect(!recorded.contains(secret))
            }
            // The segment files' bytes, as the reader decodes them, hold no key either.
            for span in contents.spans {
                #expect(!"\(span)".contains(secrets[0]) && !"\(span)".contains(secrets[1]))
            }
        }
    }
}
