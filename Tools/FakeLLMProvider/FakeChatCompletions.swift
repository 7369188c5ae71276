import SpoolBase

/// OpenAI Chat Completions (https://platform.openai.com/docs/api-reference/chat/create): the `chat.completion`
/// object (https://platform.openai.com/docs/api-reference/chat/object) or, with `"stream": true`, `data:` events of
/// `chat.completion.chunk` objects ending with `data: [DONE]`
/// (https://platform.openai.com/docs/api-reference/chat-streaming/streaming). With
/// `stream_options.include_usage`, every chunk has `"usage": null` and one last chunk before `[DONE]` has empty
/// `choices` and the usage. A tool call streams as a first delta with its id, type and name and empty arguments,
/// then its arguments in at least three deltas.
enum FakeChatCompletions {
    /// A fixed `created` time (Unix seconds), so replies depend on the request only.
    static let created = 1_764_000_000

    static func reply(to json: JSONValue, body: [UInt8]) -> FakeReply {
        let model = FakeJSON.stringMember(json, "model") ?? ""
        let messages = FakeJSON.arrayMember(json, "messages")
        let lastUser = messages.lastIndex { FakeJSON.stringMember($0, "role") == "user" }
        let question = lastUser.flatMap { FakeJSON.contentText(messages[$0].member("content")) }
        // The latest tool result after the last user message (role "tool").
        let toolResult = messages.indices.last { i in
            FakeJSON.stringMember(messages[i], "role") == "tool" && i > (lastUser ?? -1)
        }.flatMap { FakeJSON.contentText(messages[$0].member("content")) ?? "" }
        let tools = FakeJSON.arrayMember(json, "tools").compactMap {
            FakeJSON.stringMember($0.member("function"), "name")
        }
        let turn = FakeWeatherAgent.turn(question: question, tools: tools, toolResult: toolResult)
        let id = "chatcmpl-fake" + FakeJSON.hash(body)
        let callID = "call_" + FakeJSON.hash(body, salt: 1)
        let outputBytes: Int
        switch turn {
        case .answer(let text): outputBytes = text.utf8.count
        case .callWeather(let arguments): outputBytes = arguments.utf8.count + FakeWeatherAgent.toolName.utf8.count
        }
        let usage = FakeUsage(requestBytes: body.count, outputBytes: outputBytes, model: model)
        if json.member("stream") == .bool(true) {
            let includeUsage = json.member("stream_options")?.member("include_usage") == .bool(true)
            return .events(
                chunks(id: id, model: model, turn: turn, callID: callID, usage: includeUsage ? usage : nil))
        }
        var message: [JSONMember] = [JSONMember("role", "assistant")]
        switch turn {
        case .answer(let text):
            message.append(JSONMember("content", .string(text)))
        case .callWeather(let arguments):
            message.append(JSONMember("content", .null))
            message.append(
                JSONMember(
                    "tool_calls", .array([toolCall(id: callID, name: FakeWeatherAgent.toolName, arguments: arguments)]))
            )
        }
        message.append(JSONMember("refusal", .null))
        return .json(
            FakeJSON.object([
                "id": .string(id), "object": "chat.completion", "created": .integer(created), "model": .string(model),
                "choices": .array([
                    FakeJSON.object([
                        "index": 0, "message": .object(message), "logprobs": .null,
                        "finish_reason": .string(finishReason(turn)),
                    ])
                ]),
                "usage": usageJSON(usage), "system_fingerprint": "fp_fake",
            ]))
    }

    static func finishReason(_ turn: FakeWeatherAgent.Turn) -> String {
        if case .callWeather = turn { return "tool_calls" }
        return "stop"
    }

    static func toolCall(id: String, name: String, arguments: String) -> JSONValue {
        FakeJSON.object([
            "id": .string(id), "type": "function",
            "function": FakeJSON.object(["name": .string(name), "arguments": .string(arguments)]),
        ])
    }

    /// The usage object, with the prompt and completion token details.
    static func usageJSON(_ usage: FakeUsage) -> JSONValue {
        FakeJSON.object([
            "prompt_tokens": .integer(usage.promptTokens), "completion_tokens": .integer(usage.completionTokens),
            "total_tokens": .integer(usage.totalTokens),
            "prompt_tokens_details": FakeJSON.object(["cached_tokens": .integer(usage.cachedTokens), "audio_tokens": 0]
            ),
            "completion_tokens_details": FakeJSON.object([
                "reasoning_tokens": .integer(usage.reasoningTokens), "audio_tokens": 0,
                "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0,
            ]),
        ])
    }

    /// The server-sent events of a streamed reply.
    static func chunks(id: String, model: String, turn: FakeWeatherAgent.Turn, callID: String, usage: FakeUsage?)
        -> [[UInt8]]
    {
        func chunk(_ delta: JSONValue, finish: String? = nil) -> [UInt8] {
            var members: [JSONMember] = [
                JSONMember("id", .string(id)), JSONMember("object", "chat.completion.chunk"),
                JSONMember("created", .integer(created)), JSONMember("model", .string(model)),
                JSONMember("system_fingerprint", "fp_fake"),
                JSONMember(
                    "choices",
                    .array([
                        FakeJSON.object([
                            "index": 0, "delta": delta, "logprobs": .null, "finish_reason": FakeJSON.string(finish),
                        ])
                    ])),
            ]
            if usage != nil { members.append(JSONMember("usage", .null)) }
            return FakeReply.event(nil, .object(members))
        }
        var events: [[UInt8]] = []
        switch turn {
        case .answer(let text):
            events.append(chunk(FakeJSON.object(["role": "assistant", "content": "", "refusal": .null])))
            for piece in words(text) { events.append(chunk(FakeJSON.object(["content": .string(piece)]))) }
        case .callWeather(let arguments):
            events.append(
                chunk(
                    FakeJSON.object([
                        "role": "assistant", "content": .null,
                        "tool_calls": .array([
                            FakeJSON.object([
                                "index": 0, "id": .string(callID), "type": "function",
                                "function": FakeJSON.object([
                                    "name": .string(FakeWeatherAgent.toolName), "arguments": "",
                                ]),
                            ])
                        ]),
                    ])))
            for piece in pieces(arguments, count: 4) {
                events.append(
                    chunk(
                        FakeJSON.object([
                            "tool_calls": .array([
                                FakeJSON.object([
                                    "index": 0, "function": FakeJSON.object(["arguments": .string(piece)]),
                                ])
                            ])
                        ])))
            }
        }
        events.append(chunk(FakeJSON.object([:]), finish: finishReason(turn)))
        if let usage {
            events.append(
                FakeReply.event(
                    nil,
                    FakeJSON.object([
                        "id": .string(id), "object": "chat.completion.chunk", "created": .integer(created),
                        "model": .string(model), "system_fingerprint": "fp_fake", "choices": .array([]),
                        "usage": usageJSON(usage),
                    ])))
        }
        events.append(FakeReply.event(nil, text: "[DONE]"))
        return events
    }

    /// `text` cut after each space ("It ", "is ", "18 "…), as models stream tokens.
    static func words(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for c in text {
            current.append(c)
            if c == " " {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// `text` cut into `count` pieces of about equal length (fewer when shorter).
    static func pieces(_ text: String, count: Int) -> [String] {
        let characters = Array(text)
        let size = max(1, (characters.count + count - 1) / count)
        return stride(from: 0, to: characters.count, by: size).map {
            String(characters[$0..<min($0 + size, characters.count)])
        }
    }
}
