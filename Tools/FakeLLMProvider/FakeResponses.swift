import SpoolBase

/// OpenAI Responses (https://platform.openai.com/docs/api-reference/responses/create): the `response` object
/// (https://platform.openai.com/docs/api-reference/responses/object) with a `message` output item (`output_text`
/// content) or a `function_call` item, and the usage with `input_tokens_details.cached_tokens` and
/// `output_tokens_details.reasoning_tokens`. With `"stream": true`, the named events
/// (https://platform.openai.com/docs/api-reference/responses-streaming) `response.created`,
/// `response.output_item.added`, `response.output_text.delta` or `response.function_call_arguments.delta`,
/// `response.output_item.done` and `response.completed` (the whole response), each with its `sequence_number`.
enum FakeResponses {
    static func reply(to json: JSONValue, body: [UInt8]) -> FakeReply {
        let model = FakeJSON.stringMember(json, "model") ?? ""
        var question: String?
        var toolResult: String?
        switch json.member("input") {
        case .string(let s): question = s
        case .array(let items):
            for item in items {
                if FakeJSON.stringMember(item, "type") == "function_call_output" {
                    toolResult = FakeJSON.stringMember(item, "output") ?? ""
                } else if FakeJSON.stringMember(item, "role") == "user" {
                    question = FakeJSON.contentText(item.member("content"))
                    toolResult = nil
                }
            }
        default: break
        }
        let tools = FakeJSON.arrayMember(json, "tools").compactMap { FakeJSON.stringMember($0, "name") }
        let turn = FakeWeatherAgent.turn(question: question, tools: tools, toolResult: toolResult)
        let id = "resp_fake" + FakeJSON.hash(body)
        let isCall: Bool = if case .callWeather = turn { true } else { false }
        let itemID = (isCall ? "fc_fake" : "msg_fake") + FakeJSON.hash(body, salt: 2)
        let callID = "call_" + FakeJSON.hash(body, salt: 1)
        let item: JSONValue
        let outputBytes: Int
        switch turn {
        case .answer(let text):
            item = message(id: itemID, text: text, status: "completed")
            outputBytes = text.utf8.count
        case .callWeather(let arguments):
            item = functionCall(id: itemID, callID: callID, arguments: arguments, status: "completed")
            outputBytes = arguments.utf8.count
        }
        let usage = FakeUsage(requestBytes: body.count, outputBytes: outputBytes, model: model)
        let completed = response(id: id, model: model, status: "completed", output: [item], usage: usage)
        guard json.member("stream") == .bool(true) else { return .json(completed) }
        var events: [[UInt8]] = []
        func add(_ type: String, _ members: KeyValuePairs<String, JSONValue>) {
            let all =
                [JSONMember("type", .string(type)), JSONMember("sequence_number", .integer(events.count))]
                + members.map { JSONMember($0.key, $0.value) }
            events.append(FakeReply.event(type, .object(all)))
        }
        add(
            "response.created",
            ["response": response(id: id, model: model, status: "in_progress", output: [], usage: nil)])
        switch turn {
        case .answer(let text):
            add(
                "response.output_item.added",
                ["output_index": 0, "item": message(id: itemID, text: "", status: "in_progress")])
            for piece in FakeChatCompletions.words(text) {
                add(
                    "response.output_text.delta",
                    ["item_id": .string(itemID), "output_index": 0, "content_index": 0, "delta": .string(piece)])
            }
        case .callWeather(let arguments):
            add(
                "response.output_item.added",
                [
                    "output_index": 0,
                    "item": functionCall(id: itemID, callID: callID, arguments: "", status: "in_progress"),
                ])
            for piece in FakeChatCompletions.pieces(arguments, count: 4) {
                add(
                    "response.function_call_arguments.delta",
                    ["item_id": .string(itemID), "output_index": 0, "delta": .string(piece)])
            }
        }
        add("response.output_item.done", ["output_index": 0, "item": item])
        add("response.completed", ["response": completed])
        return .events(events)
    }

    static func message(id: String, text: String, status: String) -> JSONValue {
        FakeJSON.object([
            "type": "message", "id": .string(id), "status": .string(status), "role": "assistant",
            "content": .array(
                text.isEmpty
                    ? [] : [FakeJSON.object(["type": "output_text", "text": .string(text), "annotations": .array([])])]),
        ])
    }

    static func functionCall(id: String, callID: String, arguments: String, status: String) -> JSONValue {
        FakeJSON.object([
            "type": "function_call", "id": .string(id), "call_id": .string(callID),
            "name": .string(FakeWeatherAgent.toolName), "arguments": .string(arguments), "status": .string(status),
        ])
    }

    static func response(id: String, model: String, status: String, output: [JSONValue], usage: FakeUsage?) -> JSONValue
    {
        FakeJSON.object([
            "id": .string(id), "object": "response", "created_at": .integer(FakeChatCompletions.created),
            "status": .string(status), "model": .string(model), "output": .array(output),
            "usage": usage.map { usage in
                FakeJSON.object([
                    "input_tokens": .integer(usage.promptTokens),
                    "input_tokens_details": FakeJSON.object(["cached_tokens": .integer(usage.cachedTokens)]),
                    "output_tokens": .integer(usage.completionTokens),
                    "output_tokens_details": FakeJSON.object(["reasoning_tokens": .integer(usage.reasoningTokens)]),
                    "total_tokens": .integer(usage.totalTokens),
                ])
            } ?? .null,
        ])
    }
}
