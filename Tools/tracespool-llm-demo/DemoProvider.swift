import SpoolBase

/// The two API dialects the demo speaks: OpenAI Chat Completions (and compatible servers) and Anthropic Messages.
/// Builds the request bodies and reads the answers (whole JSON or server-sent events) into a `DemoTurn`.
enum DemoProvider: String, CaseIterable, Sendable {
    case openai
    case anthropic

    /// The default base URL.
    var defaultBaseURL: String {
        switch self {
        case .openai: "https://api.openai.com/v1"
        case .anthropic: "https://api.anthropic.com/v1"
        }
    }

    /// The default model.
    var defaultModel: String {
        switch self {
        case .openai: "gpt-4o-mini"
        case .anthropic: "claude-haiku-4-5"
        }
    }

    /// The variable holding the key.
    var keyVariable: String {
        switch self {
        case .openai: "OPENAI_API_KEY"
        case .anthropic: "ANTHROPIC_API_KEY"
        }
    }

    /// The path under the base URL.
    var path: String {
        switch self {
        case .openai: "/chat/completions"
        case .anthropic: "/messages"
        }
    }

    /// The header fields besides `Content-Type` (the key only when there is one).
    func headers(key: String?) -> [(String, String)] {
        switch self {
        case .openai: key.map { [("Authorization", "Bearer \($0)")] } ?? []
        case .anthropic: [("anthropic-version", "2023-06-01")] + (key.map { [("x-api-key", $0)] } ?? [])
        }
    }

    /// The tool definition in the provider's format.
    var weatherTool: JSONValue {
        switch self {
        case .openai:
            .object([
                JSONMember("type", .string("function")),
                JSONMember(
                    "function",
                    .object([
                        JSONMember("name", .string(DemoWeather.name)),
                        JSONMember("description", .string(DemoWeather.description)),
                        JSONMember("parameters", DemoWeather.parameters),
                    ])),
            ])
        case .anthropic:
            .object([
                JSONMember("name", .string(DemoWeather.name)),
                JSONMember("description", .string(DemoWeather.description)),
                JSONMember("input_schema", DemoWeather.parameters),
            ])
        }
    }

    /// The first message: the question.
    func userMessage(_ question: String) -> JSONValue {
        .object([JSONMember("role", .string("user")), JSONMember("content", .string(question))])
    }

    /// The message carrying a tool's result.
    func toolResultMessage(callID: String, result: String) -> JSONValue {
        switch self {
        case .openai:
            .object([
                JSONMember("role", .string("tool")), JSONMember("tool_call_id", .string(callID)),
                JSONMember("content", .string(result)),
            ])
        case .anthropic:
            .object([
                JSONMember("role", .string("user")),
                JSONMember(
                    "content",
                    .array([
                        .object([
                            JSONMember("type", .string("tool_result")), JSONMember("tool_use_id", .string(callID)),
                            JSONMember("content", .string(result)),
                        ])
                    ])),
            ])
        }
    }

    /// The request body: model, messages, the tools offered, and the stream options.
    func body(model: String, messages: [JSONValue], stream: Bool) -> [UInt8] {
        var members = [JSONMember("model", .string(model))]
        if self == .anthropic { members.append(JSONMember("max_tokens", .integer(1024))) }
        members.append(JSONMember("messages", .array(messages)))
        members.append(JSONMember("tools", .array([weatherTool])))
        if stream {
            members.append(JSONMember("stream", .bool(true)))
            if self == .openai {
                members.append(JSONMember("stream_options", .object([JSONMember("include_usage", .bool(true))])))
            }
        }
        var writer = JSONWriter()
        writer.value(.object(members))
        return writer.bytes
    }

    /// The model's turn in a whole JSON answer.
    func turn(json body: [UInt8]) throws -> DemoTurn {
        let json = try JSONReader.parse(body)
        switch self {
        case .openai:
            guard case .array(let choices) = json.member("choices"), let message = choices.first?.member("message")
            else { throw DemoError.malformedAnswer("no choices[0].message") }
            var turn = DemoTurn(assistantMessage: message)
            if case .string(let text) = message.member("content") { turn.text = text }
            if case .array(let calls) = message.member("tool_calls") {
                for call in calls {
                    guard case .string(let id) = call.member("id"), let function = call.member("function"),
                        case .string(let name) = function.member("name"),
                        case .string(let arguments) = function.member("arguments")
                    else { throw DemoError.malformedAnswer("a tool call without id, name or arguments") }
                    turn.toolCalls.append(DemoToolCall(id: id, name: name, arguments: arguments))
                }
            }
            return turn
        case .anthropic:
            guard case .array(let blocks) = json.member("content") else {
                throw DemoError.malformedAnswer("no content")
            }
            return try anthropicTurn(blocks: blocks)
        }
    }

    /// The model's turn in a server-sent-event stream
    /// (https://html.spec.whatwg.org/multipage/server-sent-events.html).
    func turn(events body: [UInt8]) throws -> DemoTurn {
        var text = ""
        var calls: [Int: (id: String, name: String, arguments: String)] = [:]
        var blocks: [Int: JSONValue] = [:]
        var blockText: [Int: String] = [:]
        var blockJSON: [Int: String] = [:]
        for line in body.split(separator: UInt8(ascii: "\n")) where line.starts(with: Array("data:".utf8)) {
            var data = line.dropFirst(5)
            if data.first == UInt8(ascii: " ") { data = data.dropFirst() }
            if data.elementsEqual(Array("[DONE]".utf8)) { break }
            let event = try JSONReader.parse(Array(data))
            switch self {
            case .openai:
                guard case .array(let choices) = event.member("choices"), let delta = choices.first?.member("delta")
                else { continue }
                if case .string(let piece) = delta.member("content") { text += piece }
                if case .array(let deltas) = delta.member("tool_calls") {
                    for d in deltas {
                        guard case .number(let n) = d.member("index"), let index = n.int64.map(Int.init) else {
                            continue
                        }
                        var call = calls[index] ?? ("", "", "")
                        if case .string(let id) = d.member("id") { call.id = id }
                        if case .string(let name) = d.member("function")?.member("name") { call.name = name }
                        if case .string(let piece) = d.member("function")?.member("arguments") {
                            call.arguments += piece
                        }
                        calls[index] = call
                    }
                }
            case .anthropic:
                guard case .number(let n) = event.member("index"), let index = n.int64.map(Int.init) else { continue }
                switch event.member("type") {
                case .string("content_block_start"): blocks[index] = event.member("content_block")
                case .string("content_block_delta"):
                    if case .string(let piece) = event.member("delta")?.member("text") {
                        blockText[index, default: ""] += piece
                    }
                    if case .string(let piece) = event.member("delta")?.member("partial_json") {
                        blockJSON[index, default: ""] += piece
                    }
                default: break
                }
            }
        }
        switch self {
        case .openai:
            var turn = DemoTurn()
            turn.text = text
            let ordered = calls.sorted { $0.key < $1.key }.map(\.value)
            turn.toolCalls = ordered.map { DemoToolCall(id: $0.id, name: $0.name, arguments: $0.arguments) }
            var message = [
                JSONMember("role", .string("assistant")), JSONMember("content", text.isEmpty ? .null : .string(text)),
            ]
            if !ordered.isEmpty {
                message.append(
                    JSONMember(
                        "tool_calls",
                        .array(
                            ordered.map { call in
                                .object([
                                    JSONMember("id", .string(call.id)), JSONMember("type", .string("function")),
                                    JSONMember(
                                        "function",
                                        .object([
                                            JSONMember("name", .string(call.name)),
                                            JSONMember("arguments", .string(call.arguments)),
                                        ])),
                                ])
                            })))
            }
            turn.assistantMessage = .object(message)
            return turn
        case .anthropic:
            let assembled = try blocks.sorted { $0.key < $1.key }.map { index, start -> JSONValue in
                guard case .object(var members) = start else { return start }
                if let text = blockText[index], let at = members.firstIndex(where: { $0.key == "text" }) {
                    members[at].value = .string(text)
                }
                if let input = blockJSON[index], let at = members.firstIndex(where: { $0.key == "input" }) {
                    members[at].value = input.isEmpty ? .object([]) : try JSONReader.parse(input)
                }
                return .object(members)
            }
            return try anthropicTurn(blocks: assembled)
        }
    }

    private func anthropicTurn(blocks: [JSONValue]) throws -> DemoTurn {
        var turn = DemoTurn(
            assistantMessage: .object([JSONMember("role", .string("assistant")), JSONMember("content", .array(blocks))])
        )
        for block in blocks {
            switch block.member("type") {
            case .string("text"):
                if case .string(let text) = block.member("text") { turn.text += text }
            case .string("tool_use"):
                guard case .string(let id) = block.member("id"), case .string(let name) = block.member("name") else {
                    throw DemoError.malformedAnswer("a tool_use block without id or name")
                }
                var writer = JSONWriter()
                writer.value(block.member("input") ?? .object([]))
                turn.toolCalls.append(DemoToolCall(id: id, name: name, arguments: writer.text))
            default: break
            }
        }
        return turn
    }
}

/// One tool call the model asked for.
struct DemoToolCall: Sendable {
    var id: String
    var name: String
    /// JSON text.
    var arguments: String
}

/// What the model answered in one turn.
struct DemoTurn: Sendable {
    /// The assistant message to send back in the next request (as the provider shapes it).
    var assistantMessage: JSONValue = .null
    /// The text (empty when none).
    var text = ""
    /// The tool calls, in order.
    var toolCalls: [DemoToolCall] = []
}
