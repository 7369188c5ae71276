import AsyncHTTPClient
import FakeLLMProvider
import Foundation
import NIOCore
import Testing

/// `FakeLLMProvider` speaks the providers' wire formats: checked here with plain AsyncHTTPClient and
/// `JSONSerialization` (no TraceSpool code), so the adapter tests rest on a checked stand-in.
@Suite struct FakeProviderTests {
    struct Reply {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        /// The `data:` payloads of a server-sent-event stream, with the preceding `event:` name.
        var events: [(name: String?, data: String)] {
            String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n").compactMap { block in
                var name: String?
                var data: String?
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("event: ") { name = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                }
                return data.map { (name, $0) }
            }
        }
    }

    static func post(_ provider: FakeLLMProvider, _ path: String, _ body: [UInt8], headers: [String: String] = [:])
        async throws -> Reply
    {
        var request = HTTPClientRequest(url: provider.url + path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(body)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        var fields: [String: String] = [:]
        for (name, value) in response.headers { fields[name.lowercased()] = value }
        return Reply(status: Int(response.status.code), headers: fields, body: Array(bytes.readableBytesView))
    }

    static func object(_ text: String) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    @Test func chatCompletionCallsTheWeatherToolThenAnswersFromItsResult() async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        let first = try await Self.post(provider, "/v1/chat/completions", TestBodies.chat(city: "Tokyo"))
        #expect(first.status == 200)
        let choice = try #require((first.json["choices"] as? [[String: Any]])?.first)
        #expect(choice["finish_reason"] as? String == "tool_calls")
        let message = try #require(choice["message"] as? [String: Any])
        let call = try #require((message["tool_calls"] as? [[String: Any]])?.first)
        let function = try #require(call["function"] as? [String: Any])
        #expect(function["name"] as? String == "get_weather")
        #expect(function["arguments"] as? String == #"{"city":"Tokyo"}"#)
        let usage = try #require(first.json["usage"] as? [String: Any])
        #expect((usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int ?? 0 > 0)
        #expect((usage["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int == 0)

        let id = try #require(call["id"] as? String)
        let second = Array(
            #"{"model":"o4-mini","messages":[{"role":"user","content":"Weather in Tokyo?"},{"role":"assistant","content":null,"tool_calls":[{"id":"\#(id)","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},{"role":"tool","tool_call_id":"\#(id)","content":"{\"city\":\"Tokyo\",\"temperature_c\":22,\"conditions\":\"cloudy\"}"}],"tools":[\#(TestBodies.weatherToolOpenAI)]}"#
                .utf8)
        let answer = try await Self.post(
            provider, "/openai/deployments/d1/chat/completions?api-version=2024-10-21", second)
        let answerChoice = try #require((answer.json["choices"] as? [[String: Any]])?.first)
        #expect(
            (answerChoice["message"] as? [String: Any])?["content"] as? String == "It is 22 °C and cloudy in Tokyo.")
        let answerUsage = try #require(answer.json["usage"] as? [String: Any])
        #expect((answerUsage["completion_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int == 3)
        #expect(provider.requestsServed == 2)
    }

    @Test func streamedToolCallSplitsItsArgumentsAndEndsWithUsageThenDone() async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        let reply = try await Self.post(provider, "/v1/chat/completions", TestBodies.chat(stream: true))
        #expect(reply.headers["content-type"] == "text/event-stream")
        let events = reply.events
        #expect(events.last?.data == "[DONE]")
        let chunks = events.dropLast().map { Self.object($0.data) }
        var arguments: [String] = []
        for chunk in chunks {
            for choice in chunk["choices"] as? [[String: Any]] ?? [] {
                let delta = choice["delta"] as? [String: Any]
                for call in delta?["tool_calls"] as? [[String: Any]] ?? [] {
                    if let piece = (call["function"] as? [String: Any])?["arguments"] as? String, !piece.isEmpty {
                        arguments.append(piece)
                    }
                }
            }
        }
        #expect(arguments.count >= 3)
        #expect(arguments.joined() == #"{"city":"Paris"}"#)
        let last = try #require(chunks.last)
        #expect((last["choices"] as? [Any])?.isEmpty == true)
        #expect((last["usage"] as? [String: Any])?["total_tokens"] as? Int ?? 0 > 0)
        #expect(chunks.dropLast().allSatisfy { $0["usage"] is NSNull })
    }

    @Test func anthropicStreamHasTheEventSequenceAndToolInputDeltas() async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        let reply = try await Self.post(provider, "/v1/messages", TestBodies.messages(stream: true))
        let names = reply.events.map { $0.name ?? "" }
        #expect(names.first == "message_start")
        #expect(names.last == "message_stop")
        #expect(names.dropLast().last == "message_delta")
        #expect(names.filter { $0 == "content_block_start" }.count == 2)
        let partial = reply.events.map { Self.object($0.data) }.compactMap {
            ($0["delta"] as? [String: Any])?["partial_json"] as? String
        }
        #expect(partial.joined() == #"{"city":"Paris"}"#)
        let start = Self.object(reply.events[0].data)
        let usage = try #require((start["message"] as? [String: Any])?["usage"] as? [String: Any])
        #expect(usage["cache_read_input_tokens"] as? Int ?? 0 > 0)
        #expect(usage["cache_creation_input_tokens"] as? Int ?? 0 > 0)
    }

    @Test func errorsOnDemandUseEachProvidersBodyAndRetryAfter() async throws {
        let provider = try await FakeLLMProvider.start(requireKey: true)
        defer { Task { await provider.stop() } }
        let missing = try await Self.post(provider, "/v1/chat/completions", TestBodies.chat())
        #expect(missing.status == 401)
        #expect((missing.json["error"] as? [String: Any])?["code"] as? String == "invalid_api_key")
        let anthropic = try await Self.post(provider, "/v1/messages", TestBodies.messages())
        #expect(anthropic.status == 401)
        #expect(anthropic.json["type"] as? String == "error")
        #expect((anthropic.json["error"] as? [String: Any])?["type"] as? String == "authentication_error")
        let limited = try await Self.post(
            provider, "/v1/messages", TestBodies.messages(), headers: ["x-api-key": "k", "x-fake-status": "429"])
        #expect(limited.status == 429)
        #expect(limited.headers["retry-after"] == "2")
        #expect((limited.json["error"] as? [String: Any])?["type"] as? String == "rate_limit_error")
        let failed = try await Self.post(
            provider, "/v1/chat/completions", TestBodies.chat(model: "fail-500"), headers: ["Authorization": "Bearer k"]
        )
        #expect(failed.status == 500)
        #expect((failed.json["error"] as? [String: Any])?["type"] as? String == "server_error")
    }

    @Test func responsesAndEmbeddings() async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        let response = try await Self.post(provider, "/v1/responses", TestBodies.responses)
        let item = try #require((response.json["output"] as? [[String: Any]])?.first)
        #expect(item["type"] as? String == "function_call")
        #expect(item["arguments"] as? String == #"{"city":"Paris"}"#)
        let embeddings = try await Self.post(provider, "/v1/embeddings", TestBodies.embeddings)
        let data = try #require(embeddings.json["data"] as? [[String: Any]])
        #expect(data.count == 2)
        #expect((data[0]["embedding"] as? [Double])?.count == 4)
    }
}
