import SpoolBase

/// Anthropic Messages (https://docs.anthropic.com/en/api/messages): the `message` object with `text` and `tool_use`
/// content blocks and the usage with `cache_creation_input_tokens` and `cache_read_input_tokens` (`input_tokens`
/// counts the uncached rest, https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching); with
/// `"stream": true`, the named events `message_start`, `content_block_start`, `ping`, `content_block_delta`
/// (`text_delta`, or `input_json_delta` whose `partial_json` pieces concatenate to the tool input),
/// `content_block_stop`, `message_delta` (stop reason and output tokens) and `message_stop`
/// (https://docs.anthropic.com/en/docs/build-with-claude/streaming).
enum FakeAnthropicMessages {
    static func reply(to json: JSONValue, body: [UInt8]) -> FakeReply {
        let model = FakeJSON.stringMember(json, "model") ?? ""
        let messages = FakeJSON.arrayMember(json, "messages")
        var question: String?
        var toolResult: String?
        for message in messages where FakeJSON.stringMember(message, "role") == "user" {
            // A user turn holds either text, or tool_result blocks (and maybe text).
            let blocks = FakeJSON.arrayMember(message, "content")
            let results = blocks.filter { FakeJSON.stringMember($0, "type") == "tool_result" }
            if let last = results.last {
                toolResult = FakeJSON.contentText(last.member("content")) ?? ""
            } else if let text = FakeJSON.contentText(message.member("content")) {
                question = text
                toolResult = nil
            }
        }
        let tools = FakeJSON.arrayMember(json, "tools").compactMap { FakeJSON.stringMember($0, "name") }
        let turn = FakeWeatherAgent.turn(question: question, tools: tools, toolResult: toolResult)
        let id = "msg_fake" + FakeJSON.hash(body)
        let toolUseID = "toolu_fake" + FakeJSON.hash(body, salt: 1)
        let preface = "I'll check the weather for you."
        var blocks: [JSONValue] = []
        var outputBytes = 0
        switch turn {
        case .answer(let text):
            blocks.append(FakeJSON.object(["type": "text", "text": .string(text)]))
            outputBytes = text.utf8.count
        case .callWeather(let arguments):
            let input = (try? JSONReader.parse(arguments)) ?? .object([])
            blocks.append(FakeJSON.object(["type": "text", "text": .string(preface)]))
            blocks.append(
                FakeJSON.object([
                    "type": "tool_use", "id": .string(toolUseID), "name": .string(FakeWeatherAgent.toolName),
                    "input": input,
                ]))
            outputBytes = preface.utf8.count + arguments.utf8.count
        }
        let usage = FakeUsage(requestBytes: body.count, outputBytes: outputBytes, model: model)
        let stopReason: String = if case .callWeather = turn { "tool_use" } else { "end_turn" }
        if json.member("stream") == .bool(true) {
            return .events(
                events(
                    id: id, model: model, turn: turn, toolUseID: toolUseID, preface: preface, usage: usage,
                    stopReason: stopReason))
        }
        return .json(
            FakeJSON.object([
                "id": .string(id), "type": "message", "role": "assistant", "model": .string(model),
                "content": .array(blocks), "stop_reason": .string(stopReason), "stop_sequence": .null,
                "usage": usageJSON(usage, outputTokens: usage.completionTokens),
            ]))
    }

    /// Anthropic's usage: `input_tokens` excludes the cached tokens.
    static func usageJSON(_ usage: FakeUsage, outputTokens: Int) -> JSONValue {
        FakeJSON.object([
            "input_tokens": .integer(usage.promptTokens - usage.cachedTokens - usage.cacheCreationTokens),
            "cache_creation_input_tokens": .integer(usage.cacheCreationTokens),
            "cache_read_input_tokens": .integer(usage.cachedTokens), "output_tokens": .integer(outputTokens),
        ])
    }

    static func events(
        id: String, model: String, turn: FakeWeatherAgent.Turn, toolUseID: String, preface: String, usage: FakeUsage,
        stopReason: String
    ) -> [[UInt8]] {
        var events: [[UInt8]] = []
        func add(_ name: String, _ data: JSONValue) { events.append(FakeReply.event(name, data)) }
        add(
            "message_start",
            FakeJSON.object([
                "type": "message_start",
                "message": FakeJSON.object([
                    "id": .string(id), "type": "message", "role": "assistant", "model": .string(model),
                    "content": .array([]), "stop_reason": .null, "stop_sequence": .null,
                    "usage": usageJSON(usage, outputTokens: 1),
                ]),
            ]))
        func textBlock(_ index: Int, _ text: String) {
            add(
                "content_block_start",
                FakeJSON.object([
                    "type": "content_block_start", "index": .integer(index),
                    "content_block": FakeJSON.object(["type": "text", "text": ""]),
                ]))
            if index == 0 { add("ping", FakeJSON.object(["type": "ping"])) }
            for piece in FakeChatCompletions.words(text) {
                add(
                    "content_block_delta",
                    FakeJSON.object([
                        "type": "content_block_delta", "index": .integer(index),
                        "delta": FakeJSON.object(["type": "text_delta", "text": .string(piece)]),
                    ]))
            }
            add("content_block_stop", FakeJSON.object(["type": "content_block_stop", "index": .integer(index)]))
        }
        switch turn {
        case .answer(let text):
            textBlock(0, text)
        case .callWeather(let arguments):
            textBlock(0, preface)
            add(
                "content_block_start",
                FakeJSON.object([
                    "type": "content_block_start", "index": 1,
                    "content_block": FakeJSON.object([
                        "type": "tool_use", "id": .string(toolUseID), "name": .string(FakeWeatherAgent.toolName),
                        "input": .object([]),
                    ]),
                ]))
            for piece in [""] + FakeChatCompletions.pieces(arguments, count: 4) {
                add(
                    "content_block_delta",
                    FakeJSON.object([
                        "type": "content_block_delta", "index": 1,
                        "delta": FakeJSON.object(["type": "input_json_delta", "partial_json": .string(piece)]),
                    ]))
            }
            add("content_block_stop", FakeJSON.object(["type": "content_block_stop", "index": 1]))
        }
        add(
            "message_delta",
            FakeJSON.object([
                "type": "message_delta",
                "delta": FakeJSON.object(["stop_reason": .string(stopReason), "stop_sequence": .null]),
                "usage": FakeJSON.object(["output_tokens": .integer(usage.completionTokens)]),
            ]))
        add("message_stop", FakeJSON.object(["type": "message_stop"]))
        return events
    }
}
