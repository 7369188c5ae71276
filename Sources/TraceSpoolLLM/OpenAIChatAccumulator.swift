import SpoolBase
import TraceSpool

/// The response side of OpenAI Chat Completions, from a whole body
/// (https://platform.openai.com/docs/api-reference/chat/object) or from its stream of chunks
/// (https://platform.openai.com/docs/api-reference/chat-streaming): `data: {chunk}` events ended by
/// `data: [DONE]`.
///
/// A chunk's `choices[].delta` carries `role`, `content` and `refusal` pieces (appended) and `tool_calls[]`
/// fragments keyed by `index`: the first fragment of a call carries its `id` and `function.name`, every fragment a
/// piece of `function.arguments` (appended). `finish_reason` arrives in a late chunk; with
/// `stream_options.include_usage` a last chunk has empty `choices` and the `usage`. One output message per choice
/// index (`n` > 1), in index order.
struct OpenAIChatAccumulator: ResponseAccumulator {
    struct PartialCall: Sendable {
        var index: Int
        var id = ""
        var name = ""
        var arguments = ""
    }

    struct Choice: Sendable {
        var index: Int
        var role: String?
        var content = ""
        var calls: [PartialCall] = []
        var finishReason: String?
    }

    var id: String?
    var model: String?
    var choices: [Choice] = []
    var usage: ProviderJSON.Usage?
    var streamError: ProviderError?
    var sawOutput = false

    mutating func consume(body: [UInt8]) {
        guard let document = ProviderJSON.parse(body), document.isObject else { return }
        id = document.stringMember("id")
        model = document.stringMember("model")
        for item in document.arrayMember("choices") ?? [] where item.isObject {
            let message = item.member("message")
            var choice = Choice(index: item.intMember("index") ?? choices.count)
            choice.role = message?.stringMember("role")
            choice.content = ProviderJSON.text(ofContent: message?.member("content"), separator: "")
            if choice.content.isEmpty, let refusal = message?.stringMember("refusal") { choice.content = refusal }
            if let calls = message?.arrayMember("tool_calls") {
                choice.calls = calls.compactMap(OpenAIChatRequest.toolCall).enumerated().map {
                    PartialCall(
                        index: $0.offset, id: $0.element.id, name: $0.element.name, arguments: $0.element.arguments)
                }
            } else if let call = message?.member("function_call"), call.isObject {
                choice.calls = [
                    PartialCall(
                        index: 0, name: call.stringMember("name") ?? "", arguments: call.stringMember("arguments") ?? ""
                    )
                ]
            }
            choice.finishReason = item.stringMember("finish_reason")
            choices.append(choice)
        }
        choices.sort { $0.index < $1.index }
        usage = ProviderJSON.Usage(chatCompletions: document.member("usage"))
    }

    mutating func consume(event: String?, data: ArraySlice<UInt8>) -> Bool {
        if data.elementsEqual("[DONE]".utf8) { return false }
        guard let chunk = ProviderJSON.parse(data), chunk.isObject else { return false }
        if let error = chunk.member("error") {
            streamError = ProviderError(document: .object([JSONMember("error", error)]))
            return false
        }
        if id == nil { id = chunk.stringMember("id") }
        if model == nil { model = chunk.stringMember("model") }
        if let usage = ProviderJSON.Usage(chatCompletions: chunk.member("usage")) { self.usage = usage }
        var output = false
        for item in chunk.arrayMember("choices") ?? [] where item.isObject {
            let position = choicePosition(item.intMember("index") ?? 0)
            if let delta = item.member("delta") {
                output = Self.apply(delta: delta, to: &choices[position]) || output
            }
            if let reason = item.stringMember("finish_reason") { choices[position].finishReason = reason }
        }
        guard output, !sawOutput else { return false }
        sawOutput = true
        return true
    }

    /// Appends one `delta`; true when it carried output.
    private static func apply(delta: JSONValue, to choice: inout Choice) -> Bool {
        guard case .object(let members) = delta else { return false }
        var output = false
        for member in members {
            switch (member.key, member.value) {
            case ("role", .string(let role)): choice.role = role
            case ("content", .string(let text)), ("refusal", .string(let text)):
                choice.content += text
                output = output || !text.isEmpty
            case ("tool_calls", .array(let fragments)):
                for fragment in fragments where fragment.isObject {
                    append(fragment, index: fragment.intMember("index") ?? 0, to: &choice)
                    output = true
                }
            case ("function_call", .object):
                append(.object([JSONMember("function", member.value)]), index: 0, to: &choice)
                output = true
            default: break
            }
        }
        return output
    }

    private static func append(_ fragment: JSONValue, index: Int, to choice: inout Choice) {
        let position: Int
        if let found = choice.calls.lastIndex(where: { $0.index == index }) {
            position = found
        } else {
            choice.calls.append(PartialCall(index: index))
            position = choice.calls.count - 1
        }
        if let id = fragment.stringMember("id"), !id.isEmpty { choice.calls[position].id = id }
        guard let function = fragment.member("function") else { return }
        if let name = function.stringMember("name"), !name.isEmpty, choice.calls[position].name.isEmpty {
            choice.calls[position].name = name
        }
        if let arguments = function.stringMember("arguments") { choice.calls[position].arguments += arguments }
    }

    private mutating func choicePosition(_ index: Int) -> Int {
        if let found = choices.firstIndex(where: { $0.index == index }) { return found }
        let position = choices.firstIndex { $0.index > index } ?? choices.count
        choices.insert(Choice(index: index), at: position)
        return position
    }

    func apply(to span: SpoolSpan) {
        if !choices.isEmpty {
            span.setOutputMessages(
                choices.map { choice in
                    ChatMessage(
                        role: choice.role ?? "assistant", content: choice.content,
                        toolCalls: choice.calls.sorted { $0.index < $1.index }.map {
                            ToolCall(id: $0.id, name: $0.name, arguments: $0.arguments)
                        })
                })
        }
        let reasons = choices.compactMap(\.finishReason)
        if id != nil || model != nil || !reasons.isEmpty {
            span.setResponse(id: id, model: model, finishReasons: reasons)
        }
        usage?.apply(to: span)
    }
}
