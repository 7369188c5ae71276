// The swift examples of Docs/LLMClients.md, verbatim (Tests/TraceSpoolTestingTests/DocumentationTests.swift checks).
import AsyncHTTPClient
import FakeLLMProvider
import Foundation
import NIOCore
import OpenAPIRuntime
import Testing
import TraceSpool
import TraceSpoolLLM
import TraceSpoolLLMHTTPClient
import TraceSpoolLLMOpenAPI
import TraceSpoolTesting

func makeMiddlewares(tracer: SpoolTracer) -> [any ClientMiddleware] {
    // Every LLM call of the generated client becomes a generation span; other requests CLIENT spans.
    let instrumentation = LLMInstrumentation(tracer: tracer)
    return [LLMTracingMiddleware(instrumentation: instrumentation)]
}

func askModel(_ tracer: SpoolTracer, baseURL: String, key: String) async throws -> String {
    let client = LLMTracedHTTPClient(client: .shared, instrumentation: LLMInstrumentation(tracer: tracer))
    var request = HTTPClientRequest(url: baseURL + "/chat/completions")
    request.method = .POST
    request.headers.add(name: "Authorization", value: "Bearer \(key)")  // sent, never recorded
    request.headers.add(name: "Content-Type", value: "application/json")
    request.body = .bytes(Array(#"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hi"}]}"#.utf8))
    let response = try await client.execute(request, timeout: .seconds(60))
    let body = try await response.body.collect(upTo: 1 << 20)  // the span ends with the body
    return String(buffer: body)
}

/// The agent under test: asks with `get_weather` offered, runs the tool calls, asks again with the results.
func weatherAgent(_ client: LLMTracedHTTPClient, baseURL: String, question: String) async throws -> String {
    let tool: [String: Any] = [
        "type": "function",
        "function": [
            "name": "get_weather", "description": "Current weather in a city",
            "parameters": ["type": "object", "properties": ["city": ["type": "string"]], "required": ["city"]],
        ],
    ]
    var messages: [[String: Any]] = [["role": "user", "content": question]]
    for _ in 0..<3 {
        var request = HTTPClientRequest(url: baseURL + "/chat/completions")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body: [String: Any] = ["model": "gpt-4o-mini", "messages": messages, "tools": [tool]]
        request.body = .bytes(try JSONSerialization.data(withJSONObject: body))
        let response = try await client.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        let json = try JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))
        let choices = (json as? [String: Any])?["choices"] as? [[String: Any]]
        guard let message = choices?.first?["message"] as? [String: Any] else { throw URLError(.cannotParseResponse) }
        guard let calls = message["tool_calls"] as? [[String: Any]] else { return message["content"] as? String ?? "" }
        messages.append(message)
        for call in calls {
            let arguments = (call["function"] as? [String: Any])?["arguments"] as? String ?? "{}"
            let city = (try JSONSerialization.jsonObject(with: Data(arguments.utf8)) as? [String: Any])?["city"]
            let result = #"{"city":"\#(city ?? "")","temperature_c":18,"conditions":"sunny"}"#
            messages.append(["role": "tool", "tool_call_id": call["id"] ?? "", "content": result])
        }
    }
    throw URLError(.cannotParseResponse)
}

@Suite struct LLMClientsDocumentationTests {
    @Test func middlewaresTraceThroughTheCore() throws {
        try withTemporarySpool { spool in
            #expect(makeMiddlewares(tracer: spool.makeTracer()).count == 1)
        }
    }

    @Test func askModelAgainstTheFakeProvider() async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let text = try await askModel(
                spool.makeTracer { $0.logLevel = .critical }, baseURL: provider.baseURL, key: "sk-doc")
            #expect(text.contains("Fake answer to: Say hi"))
            #expect(try await spool.spans().count == 1)
        }
    }

    @Test func weatherAgentAgainstTheFakeProvider() async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let client = LLMTracedHTTPClient(
                client: .shared, instrumentation: LLMInstrumentation(tracer: spool.makeTracer()))
            let answer = try await weatherAgent(
                client, baseURL: provider.baseURL, question: "What is the weather in Paris?")
            #expect(answer == "It is 18 °C and sunny in Paris.")
        }
    }

    @Test func weatherAgentOffline() async throws {
        let recording = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Examples/Recordings/weather-openai.json").standardized.path
        try await withTemporarySpool { spool in
            let replay = RecordReplay(mode: .replay, path: recording, level: .strict)
            let tracer = spool.makeTracer()
            let client = LLMTracedHTTPClient(
                client: .shared, instrumentation: LLMInstrumentation(tracer: tracer, recordReplay: replay))
            // No server listens on port 9: strict replay answers from the recording or throws.
            let answer = try await weatherAgent(
                client, baseURL: "http://127.0.0.1:9/v1", question: "What is the weather in Paris?")
            #expect(answer == "It is 18 °C and sunny in Paris.")
            let replayed = try await spool.spans().filter { $0.attributes.get("tracespool.llm.replayed") == true }
            #expect(replayed.count == 2)
        }
    }
}
