import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpool

extension TracerTests {
    @Suite("Generation model: tool calls, tools, response, usage details, time to first token")
    struct GenerationModelTests {
        static let weatherSchema = #"{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"#
        static let anthropicTool =
            #"{"name":"get_time","description":"Current time","input_schema":{"type":"object","properties":{}}}"#
        static let call = ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)
        static let question = ChatMessage(role: "user", content: "Weather in Paris?")
        static let asked = ChatMessage(role: "assistant", content: "", toolCalls: [call])
        static let answered = ChatMessage(role: "tool", content: #"{"sky":"sunny"}"#, toolCallID: "call_1")

        /// One generation with every part of the model set: tools, tool calls in input and output, response, usage
        /// with cache and reasoning details, time to first token.
        static func recordFullGeneration(_ tracer: SpoolTracer, captureInputOutput: Bool? = nil) {
            tracer.withGeneration(
                "chat", model: "gpt-4o", system: "openai", parameters: ["temperature": 0.5],
                messages: [question, asked, answered],
                tools: [
                    ToolDefinition(name: "get_weather", description: "Weather now", parameters: weatherSchema),
                    ToolDefinition(name: "get_time", json: anthropicTool),
                ], captureInputOutput: captureInputOutput
            ) { generation in
                generation.setOutputMessages([
                    ChatMessage(
                        role: "assistant", content: "Checking two.",
                        toolCalls: [
                            ToolCall(id: "call_2", name: "get_weather", arguments: #"{"city":"Lyon"}"#),
                            ToolCall(id: "call_3", name: "get_time", arguments: "{}"),
                        ])
                ])
                generation.setResponse(id: "chatcmpl-9", model: "gpt-4o-2024-08-06", finishReasons: ["tool_calls"])
                generation.setUsage(
                    inputTokens: 1_200, outputTokens: 300, cacheReadInputTokens: 1_000, cacheCreationInputTokens: 150,
                    reasoningTokens: 64, costUSD: 0.01)
                generation.setTimeToFirstToken(.milliseconds(250))
            }
        }

        @Test("tools, tool calls in input and output messages, response, usage details and TTFT read back")
        func everyAttribute() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                Self.recordFullGeneration(tracer)
                tracer.shutdown()
                let span = try #require(try SpoolContents(reading: spool.path).span(named: "chat"))
                let a = span.attributes
                #expect(a.get("gen_ai.system") == "openai")
                #expect(a.get("gen_ai.provider.name") == "openai")
                #expect(a.get("llm.system") == "openai")
                #expect(a.get("llm.provider") == "openai")
                #expect(
                    a.get("llm.tools.0.tool.json_schema")
                        == .string(
                            #"{"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":"#
                                + Self.weatherSchema + "}}"))
                #expect(a.get("llm.tools.1.tool.json_schema") == .string(Self.anthropicTool))
                // Input: the question, the assistant's tool call, the tool result.
                #expect(a.get("llm.input_messages.0.message.role") == "user")
                #expect(a.get("llm.input_messages.1.message.role") == "assistant")
                #expect(a.get("llm.input_messages.1.message.tool_calls.0.tool_call.id") == "call_1")
                #expect(a.get("llm.input_messages.1.message.tool_calls.0.tool_call.function.name") == "get_weather")
                #expect(
                    a.get("llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments")
                        == #"{"city":"Paris"}"#)
                #expect(a.get("llm.input_messages.2.message.role") == "tool")
                #expect(a.get("llm.input_messages.2.message.tool_call_id") == "call_1")
                #expect(a.get("llm.input_messages.2.message.content") == #"{"sky":"sunny"}"#)
                #expect(a.get("llm.input_messages.0.message.tool_calls.0.tool_call.id") == nil)
                // Output: two tool calls.
                #expect(a.get("llm.output_messages.0.message.content") == "Checking two.")
                #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.id") == "call_2")
                #expect(
                    a.get("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments")
                        == #"{"city":"Lyon"}"#)
                #expect(a.get("llm.output_messages.0.message.tool_calls.1.tool_call.id") == "call_3")
                #expect(a.get("llm.output_messages.0.message.tool_calls.1.tool_call.function.name") == "get_time")
                #expect(a.get("llm.output_messages.0.message.tool_calls.1.tool_call.function.arguments") == "{}")
                // input.value / output.value: the messages' JSON, tool calls included.
                let input = try #require(span.string("input.value"))
                let decoded = try JSONDecoder().decode([ChatMessage].self, from: Data(input.utf8))
                #expect(decoded == [Self.question, Self.asked, Self.answered])
                let output = try #require(span.string("output.value"))
                #expect(
                    try JSONDecoder().decode([ChatMessage].self, from: Data(output.utf8)).first?.toolCalls.count == 2)
                // Response.
                #expect(a.get("gen_ai.response.id") == "chatcmpl-9")
                #expect(a.get("gen_ai.response.model") == "gpt-4o-2024-08-06")
                #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["tool_calls"]))
                // Usage: GenAI and OpenInference names.
                #expect(a.get("gen_ai.usage.input_tokens") == 1_200)
                #expect(a.get("llm.token_count.prompt") == 1_200)
                #expect(a.get("gen_ai.usage.output_tokens") == 300)
                #expect(a.get("llm.token_count.total") == 1_500)
                #expect(a.get("gen_ai.usage.cache_read.input_tokens") == 1_000)
                #expect(a.get("llm.token_count.prompt_details.cache_read") == 1_000)
                #expect(a.get("gen_ai.usage.cache_creation.input_tokens") == 150)
                #expect(a.get("llm.token_count.prompt_details.cache_write") == 150)
                #expect(a.get("gen_ai.usage.reasoning.output_tokens") == 64)
                #expect(a.get("llm.token_count.completion_details.reasoning") == 64)
                #expect(a.get("gen_ai.usage.cost") == .double(0.01))
                #expect(a.get("gen_ai.response.time_to_first_chunk") == .double(0.25))
            }
        }

        @Test("finish reasons are an array of strings, one per choice; none given writes none")
        func finishReasons() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.withGeneration("two", model: "m") { $0.setResponse(finishReasons: ["stop", "length"]) }
                tracer.withGeneration("none", model: "m") { $0.setResponse(id: "r-1") }
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path)
                let two = try #require(spans.span(named: "two"))
                #expect(two.attributes.get("gen_ai.response.finish_reasons") == .stringArray(["stop", "length"]))
                #expect(two.attributes.get("gen_ai.response.id") == nil)
                let none = try #require(spans.span(named: "none"))
                #expect(none.attributes.get("gen_ai.response.finish_reasons") == nil)
                #expect(none.attributes.get("gen_ai.response.id") == "r-1")
                #expect(none.attributes.get("gen_ai.response.model") == nil)
            }
        }

        @Test("time to first token is written in seconds, sub-millisecond parts kept")
        func timeToFirstToken() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.withGeneration("g", model: "m") { $0.setTimeToFirstToken(.seconds(2) + .microseconds(500)) }
                tracer.shutdown()
                let span = try #require(try SpoolContents(reading: spool.path).span(named: "g"))
                #expect(span.attributes.get("gen_ai.response.time_to_first_chunk") == .double(2.0005))
            }
        }

        @Test("capture off: no contents, roles or tool call arguments; tools, parameters, response and usage stay")
        func captureOff() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.captureInputOutput = false }
                Self.recordFullGeneration(tracer)
                Self.recordFullGeneration(tracer, captureInputOutput: true)
                tracer.shutdown()
                let spans = try SpoolContents(reading: spool.path).spans(named: "chat")
                try #require(spans.count == 2)
                let off = spans[0]
                let messageKeys = off.attributeKeys.filter {
                    $0.hasPrefix("llm.input_messages") || $0.hasPrefix("llm.output_messages")
                        || $0.hasPrefix("input.") || $0.hasPrefix("output.")
                }
                #expect(messageKeys == [])
                #expect(off.attributes.get("llm.tools.0.tool.json_schema") != nil)
                #expect(off.attributes.get("llm.tools.1.tool.json_schema") == .string(Self.anthropicTool))
                #expect(off.attributes.get("llm.invocation_parameters") == #"{"temperature":0.5}"#)
                #expect(off.attributes.get("gen_ai.request.temperature") == .double(0.5))
                #expect(off.attributes.get("gen_ai.usage.cache_read.input_tokens") == 1_000)
                #expect(off.attributes.get("gen_ai.response.finish_reasons") == .stringArray(["tool_calls"]))
                #expect(off.attributes.get("gen_ai.response.time_to_first_chunk") == .double(0.25))
                let on = spans[1]
                #expect(
                    on.attributes.get("llm.input_messages.1.message.tool_calls.0.tool_call.function.arguments") != nil)
                #expect(on.attributes.get("output.value") != nil)
            }
        }

        @Test("contents and tool call arguments are cut to maxInputOutputBytes and redacted; ids and names are not cut")
        func truncationAndRedaction() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer { $0.maxInputOutputBytes = 48 }
                let key = "sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z"
                let secretArguments = #"{"token":"\#(key)"}"#
                let longArguments = #"{"text":""# + String(repeating: "é", count: 40) + #""}"#
                let longName = "a_function_name_longer_than_the_forty_eight_byte_limit"
                tracer.withGeneration(
                    "g", model: "m",
                    messages: [
                        ChatMessage(
                            role: "assistant", content: "use \(key) here",
                            toolCalls: [
                                ToolCall(id: "c1", name: "login", arguments: secretArguments),
                                ToolCall(id: "c2", name: longName, arguments: longArguments),
                            ])
                    ],
                    tools: [
                        ToolDefinition(name: "t", json: #"{"name":"t","input_schema":{"description":""# + key + #""}}"#)
                    ]
                ) { generation in
                    generation.setOutputMessages([
                        ChatMessage(
                            role: "assistant", content: "",
                            toolCalls: [ToolCall(id: "c3", name: "login", arguments: secretArguments)])
                    ])
                }
                tracer.shutdown()
                let span = try #require(try SpoolContents(reading: spool.path).span(named: "g"))
                let prefix = "llm.input_messages.0.message"
                #expect(span.string("\(prefix).content") == "use [REDACTED:openai-key] here")
                #expect(
                    span.string("\(prefix).tool_calls.0.tool_call.function.arguments")
                        == #"{"token":"[REDACTED:openai-key]"}"#)
                #expect(
                    span.string("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments")
                        == #"{"token":"[REDACTED:openai-key]"}"#)
                // `{"text":"` is 9 bytes: 19 two-byte characters fill the 48 (47 of them).
                let cut = #"{"text":""# + String(repeating: "é", count: 19) + "…[truncated]"
                #expect(span.string("\(prefix).tool_calls.1.tool_call.function.arguments") == cut)
                #expect(span.string("\(prefix).tool_calls.1.tool_call.function.name") == longName)
                let tool = try #require(span.string("llm.tools.0.tool.json_schema"))
                #expect(!tool.contains("sk-proj"))
                #expect(tool.hasSuffix("…[truncated]"))
                #expect(tool.utf8.count <= 48 + "…[truncated]".utf8.count)
                let input = try #require(span.string("input.value"))
                #expect(!input.contains("sk-proj"))
                #expect(input.hasSuffix("…[truncated]"))
            }
        }

        @Test("the messages' JSON written by JSONWriter is the Codable form JSONEncoder writes, byte for byte")
        func messagesJSONMatchesCodable() throws {
            let messages = [
                ChatMessage(
                    role: "system", content: "Quotes \" and \\ backslash / slash\n\t\r\u{08}\u{0C}\u{01}\u{1F}"),
                ChatMessage(role: "user", content: "é 日本 😀 \u{0301}combining, emoji 👩‍👩‍👧"),
                ChatMessage(
                    role: "assistant", content: "",
                    toolCalls: [
                        ToolCall(id: "call_\"1\"", name: "get/weather", arguments: #"{"city":"Zürich\n"}"#),
                        ToolCall(id: "call_2", name: "noop", arguments: ""),
                    ]),
                ChatMessage(role: "tool", content: "{\"ok\":true}", toolCallID: "call_\"1\""),
                ChatMessage(role: "", content: ""),
            ]
            #expect(ChatMessage.json(messages) == JSONCapture.encode(messages))
            #expect(ChatMessage.json([]) == JSONCapture.encode([ChatMessage]()))
            for message in messages {
                #expect(ChatMessage.json([message]) == JSONCapture.encode([message]), "\(message)")
            }
            // The Codable form decodes back to the same messages.
            let decoded = try JSONDecoder().decode([ChatMessage].self, from: Data(ChatMessage.json(messages).utf8))
            #expect(decoded == messages)
            // DEL, U+2028 and U+2029: JSONWriter escapes them, JSONEncoder does not; the same JSON value.
            let separators = [ChatMessage(role: "user", content: "a\u{7F}b\u{2028}c\u{2029}d")]
            let written = ChatMessage.json(separators)
            #expect(written.contains(#"\u2028"#))
            #expect(try JSONDecoder().decode([ChatMessage].self, from: Data(written.utf8)) == separators)
        }

        @Test("a tool's JSON: the function form built from its parts, or the provider's JSON as given")
        func toolDefinitionJSON() throws {
            #expect(ToolDefinition(name: "f").json == #"{"type":"function","function":{"name":"f"}}"#)
            #expect(
                ToolDefinition(name: "f", description: "Does \"f\"").json
                    == #"{"type":"function","function":{"name":"f","description":"Does \"f\""}}"#)
            // Valid JSON parameters are inserted as they are (spacing kept); invalid ones become a JSON string.
            #expect(
                ToolDefinition(name: "f", parameters: #"{ "type": "object" }"#).json
                    == #"{"type":"function","function":{"name":"f","parameters":{ "type": "object" }}}"#)
            #expect(
                ToolDefinition(name: "f", parameters: #"{"type":"#).json
                    == #"{"type":"function","function":{"name":"f","parameters":"{\"type\":"}}"#)
            #expect(ToolDefinition(name: "get_time", json: Self.anthropicTool).json == Self.anthropicTool)
            let built = ToolDefinition(name: "g", description: "d", parameters: Self.weatherSchema).json
            #expect(try JSONSerialization.jsonObject(with: Data(built.utf8)) is [String: Any])
        }

        @Test("a ToolCall's Codable form is OpenAI's function call")
        func toolCallCodable() throws {
            let encoded = try #require(JSONCapture.encode(Self.call))
            #expect(
                encoded
                    == #"{"function":{"arguments":"{\"city\":\"Paris\"}","name":"get_weather"},"id":"call_1","type":"function"}"#
            )
            #expect(try JSONDecoder().decode(ToolCall.self, from: Data(encoded.utf8)) == Self.call)
            let message = try JSONDecoder().decode(
                ChatMessage.self, from: Data(#"{"role":"user","content":"hi"}"#.utf8))
            #expect(message == ChatMessage(role: "user", content: "hi"))
        }

        /// Encodes as its value does, but is none of the shapes `ModelParameters` reads directly: the JSON path.
        struct ThroughEncoder<Value: Encodable>: Encodable {
            var value: Value
            func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
        }

        /// `parameters`' JSON and `gen_ai.request.*` attributes, read directly and through `JSONEncoder`.
        static func bothPaths<Value: Encodable>(_ parameters: Value) -> (direct: [String], json: [String]) {
            func describe(_ read: (json: String, request: GenAIRequestParameters?)?) -> [String] {
                guard let read else { return ["nil"] }
                return [read.json] + (read.request?.attributes(limit: 0) ?? []).map { "\($0.0)=\($0.1)" }
            }
            return (
                describe(ModelParameters.read(parameters)),
                describe(ModelParameters.read(ThroughEncoder(value: parameters)))
            )
        }

        @Test("typed parameter dictionaries give the JSON and gen_ai.request.* attributes of the JSONEncoder path")
        func parameterFastPaths() {
            let doubles: [String: Double] = [
                "temperature": 0.2, "max_tokens": 256, "top_p": 0.9, "topK": 40, "frequency_penalty": -0.5,
                "presencePenalty": 1e-05, "seed": 7, "maxOutputTokens": 5.5, "big": 1e16, "huge": 1.5e300,
                "tiny": 5e-324, "whole": 9_007_199_254_740_992, "below1e16": 9_999_999_999_999_998, "e15": 1e15,
                "above2p53": 9_007_199_254_740_994,
                "negative": -3, "halfUp": 2.5e15 + 0.5,
            ]
            let ints: [String: Int] = [
                "max_completion_tokens": 100, "maxTokens": 64, "seed": -42, "top_k": 40, "temperature": 1,
                "n": Int.max, "m": Int.min,
            ]
            let strings: [String: String] = [
                "stop": "END", "model": "x", "quote": "a\"b\\c/d é 😀\n\t\u{01}", "temperature": "0.5", "Zeta": "",
                // Keys that sort by length (a prefix first) and beyond ASCII, and the empty key.
                "sto": "prefix", "stop_sequences": "longer", "é": "e acute", "ü": "u umlaut", "": "empty",
            ]
            let bools: [String: Bool] = ["stream": true, "logprobs": false, "seed": true]
            for (direct, json) in [
                Self.bothPaths(doubles), Self.bothPaths(ints), Self.bothPaths(strings), Self.bothPaths(bools),
                Self.bothPaths([String: Double]()), Self.bothPaths(["temperature": 0.0, "top_p": 1.0]),
                Self.bothPaths(["temperature": -0.0]),
            ] {
                #expect(direct == json)
            }
            // Values JSONEncoder refuses are refused.
            #expect(Self.bothPaths(["temperature": Double.nan]).direct == ["nil"])
            // Optionals of the shapes are read as their values: a JSON text as it is, a dictionary as the JSON above.
            let text: String? = #"{"temperature":0.7,"seed":3}"#
            let expected = [
                text!, "\(AttributeNames.requestTemperature)=double(0.7)", "\(AttributeNames.requestSeed)=int64(3)",
            ]
            #expect(Self.bothPaths(text).direct == expected)
            let optional: [String: Int]? = ints
            #expect(ModelParameters.read(optional)?.json == ModelParameters.read(ints)?.json)
            #expect(ModelParameters.read(optional)?.json.hasPrefix("{") == true)
        }

        @Test("every key of every parameter is read, and of several keys of a parameter the first in rank order wins")
        func parameterKeysAndRanks() throws {
            // Each parameter's keys in rank order, and what the parameters read say it is.
            let table: [([String], (GenAIRequestParameters) -> Double?)] = [
                (["temperature"], { $0.temperature }),
                (
                    [
                        "max_tokens", "maxTokens", "max_completion_tokens", "maxCompletionTokens", "max_output_tokens",
                        "maxOutputTokens",
                    ], { $0.maxTokens.map(Double.init) }
                ),
                (["top_p", "topP"], { $0.topP }), (["top_k", "topK"], { $0.topK }),
                (["frequency_penalty", "frequencyPenalty"], { $0.frequencyPenalty }),
                (["presence_penalty", "presencePenalty"], { $0.presencePenalty }),
                (["seed"], { $0.seed.map(Double.init) }),
                (["stop", "stop_sequences", "stopSequences"], { $0.stopSequences.flatMap { Double($0[0]) } }),
            ]
            for (keys, value) in table {
                for rank in keys.indices {
                    // The keys from `rank` on, the lowest rank last in the object; each value is its key's rank.
                    let members = keys.indices.dropFirst(rank).reversed().map { i in
                        "\"\(keys[i])\":" + (keys[0] == "stop" ? "[\"\(i)\"]" : "\(i)")
                    }
                    let read = try #require(GenAIRequestParameters(json: "{" + members.joined(separator: ",") + "}"))
                    #expect(value(read) == Double(rank), "\(keys[rank]) of \(keys)")
                }
            }
        }

        @Test("parameter rules: key rank beats member order, the first of duplicate keys counts, arrays beat strings")
        func parameterRules() throws {
            func read(_ json: String) throws -> GenAIRequestParameters {
                try #require(GenAIRequestParameters(json: json))
            }
            let ranked = try read(
                #"{"maxOutputTokens":1,"max_completion_tokens":2,"max_tokens":3,"topP":0.1,"top_p":0.2}"#)
            #expect(ranked.maxTokens == 3)
            #expect(ranked.topP == 0.2)
            let skipped = try read(#"{"max_tokens":"many","maxTokens":5.0,"temperature":null,"seed":5.5}"#)
            #expect(skipped.maxTokens == 5)
            #expect(skipped.temperature == nil)
            #expect(skipped.seed == nil)
            let duplicates = try read(#"{"temperature":"hot","temperature":0.7,"seed":1,"seed":2}"#)
            #expect(duplicates.temperature == nil)
            #expect(duplicates.seed == 1)
            let stop = try read(#"{"stop":"A","stopSequences":["B","C"],"stop_sequences":"D"}"#)
            #expect(stop.stopSequences == ["B", "C"])
            let strings = try read(#"{"stopSequences":"B","stop":"A"}"#)
            #expect(strings.stopSequences == ["A"])
            let mixed = try read(#"{"stop":["A",1],"stop_sequences":"D"}"#)
            #expect(mixed.stopSequences == ["D"])
            #expect(GenAIRequestParameters(json: "[1]") == nil)
            #expect(GenAIRequestParameters(json: "{") == nil)
        }

        @Test("the example of Docs/Tracer.md records its tool call, tool, response, usage and time to first token")
        func documentationExample() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                let answer = try await generationExample(tracer: tracer, llm: WeatherModel())
                #expect(answer == "Sunny, 21 °C.")
                tracer.shutdown()
                let span = try #require(try SpoolContents(reading: spool.path).span(named: "chat"))
                #expect(span.attributes.get("llm.input_messages.1.message.tool_calls.0.tool_call.id") == "call_1")
                #expect(span.string("llm.tools.0.tool.json_schema")?.contains("get_weather") == true)
                #expect(span.attributes.get("gen_ai.request.max_tokens") == 512)
                #expect(span.attributes.get("gen_ai.response.finish_reasons") == .stringArray(["stop"]))
                #expect(span.attributes.get("gen_ai.usage.cache_read.input_tokens") == 1_920)
                #expect(span.attributes.get("llm.token_count.completion_details.reasoning") == 64)
                guard case .double(let ttft)? = span.attributes.get("gen_ai.response.time_to_first_chunk") else {
                    Issue.record("no time to first token")
                    return
                }
                #expect(ttft > 0.1)
            }
        }

        @Test("an embedding span is openinference.span.kind EMBEDDING")
        func embeddingSpanType() throws {
            try withTemporarySpool { spool in
                let tracer = spool.makeQuietTracer()
                tracer.withSpan(.embedding, "embeddings", ofKind: .client) { span in
                    span.setAttribute(AttributeNames.embeddingModelName, .string("text-embedding-3-small"))
                }
                tracer.shutdown()
                let span = try #require(try SpoolContents(reading: spool.path).span(named: "embeddings"))
                #expect(span.attributes.get("tracespool.span.type") == "embedding")
                #expect(span.attributes.get("openinference.span.kind") == "EMBEDDING")
                #expect(OpenInferenceSpanKind(rawValue: "EMBEDDING")?.spanType == "embedding")
            }
        }
    }
}

// MARK: Docs/Tracer.md, "Generations: tool calls, tools, response, usage, time to first token" (verbatim, checked by
// `DocumentationTests`)

/// The reply of the documentation's model client.
struct WeatherReply {
    var text: String
    var toolCalls: [ToolCall]
    var id: String
    var model: String
    var finishReason: String
    var inputTokens: Int
    var outputTokens: Int
    var cachedTokens: Int
    var reasoningTokens: Int
    var firstChunkAt: ContinuousClock.Instant
}

/// The documentation's model client: answers from the tool result.
struct WeatherModel {
    func chat(_ messages: [ChatMessage], tools: [ToolDefinition]) async throws -> WeatherReply {
        WeatherReply(
            text: "Sunny, 21 °C.", toolCalls: [], id: "chatcmpl-1", model: "gpt-4o-2024-08-06", finishReason: "stop",
            inputTokens: 2_048, outputTokens: 96, cachedTokens: 1_920, reasoningTokens: 64,
            firstChunkAt: .now + .milliseconds(120))
    }
}

func generationExample(tracer: SpoolTracer, llm: WeatherModel) async throws -> String {
    let weatherTool = ToolDefinition(
        name: "get_weather", description: "Current weather in a city",
        parameters: #"{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"#)
    let history = [
        ChatMessage(role: "user", content: "Weather in Paris?"),
        ChatMessage(
            role: "assistant", content: "",
            toolCalls: [ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Paris"}"#)]),
        ChatMessage(role: "tool", content: #"{"sky":"sunny","celsius":21}"#, toolCallID: "call_1"),
    ]
    let answer = try await tracer.withGeneration(
        "chat", model: "gpt-4o", system: "openai", parameters: ["temperature": 0.2, "max_tokens": 512],
        messages: history, tools: [weatherTool]
    ) { generation in
        let started = ContinuousClock.now
        let reply = try await llm.chat(history, tools: [weatherTool])
        generation.setTimeToFirstToken(reply.firstChunkAt - started)
        generation.setOutputMessages([ChatMessage(role: "assistant", content: reply.text, toolCalls: reply.toolCalls)])
        generation.setResponse(id: reply.id, model: reply.model, finishReasons: [reply.finishReason])
        generation.setUsage(
            inputTokens: reply.inputTokens, outputTokens: reply.outputTokens,
            cacheReadInputTokens: reply.cachedTokens, reasoningTokens: reply.reasoningTokens)
        return reply.text
    }
    return answer
}
