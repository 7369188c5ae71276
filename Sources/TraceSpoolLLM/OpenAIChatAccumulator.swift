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

    /// A whole body: the shape of a chunk with `message` in place of `delta`, read the same way.
    mutating func consume(body: [UInt8]) {
        _ = read(ProviderJSONScanner(body))
    }

    /// One chunk, read with `ProviderJSONScanner`: only the members used are decoded, nothing else is allocated
    /// (the `usage` and `error` objects, once a stream, are parsed).
    mutating func consume(event: String?, data: ArraySlice<UInt8>) -> Bool {
        if data.elementsEqual("[DONE]".utf8) { return false }
        let output = read(ProviderJSONScanner(Array(data)))
        guard output, !sawOutput else { return false }
        sawOutput = true
        return true
    }

    /// Reads a chunk or a whole body; true when it carried output.
    private mutating func read(_ s: ProviderJSONScanner) -> Bool {
        guard let root = s.document else { return false }
        // What the members say is kept once the walk has found the whole chunk well formed: a truncated one changes
        // nothing.
        var choicesRange: Range<Int>?
        var newID: String?
        var newModel: String?
        var newUsage: ProviderJSON.Usage?
        var newError: ProviderError?
        let isObject = s.forEachMember(in: root) { key, value in
            if s.key(key, is: "choices") {
                choicesRange = value
            } else if s.key(key, is: "id") {
                if id == nil, newID == nil { newID = s.string(value) }
            } else if s.key(key, is: "model") {
                if model == nil, newModel == nil { newModel = s.string(value) }
            } else if s.key(key, is: "usage") {
                if let usage = ProviderJSON.Usage(chatCompletions: value, in: s) { newUsage = usage }
            } else if s.key(key, is: "error") {
                if let error = s.value(value) {
                    newError = ProviderError(document: .object([JSONMember("error", error)]))
                }
            }
        }
        guard isObject else { return false }
        if id == nil { id = newID }
        if model == nil { model = newModel }
        if let newUsage { usage = newUsage }
        if let newError { streamError = newError }
        guard let choicesRange else { return false }
        var output = false
        var ordinal = 0
        s.forEachElement(in: choicesRange) { item in
            var index = ordinal
            ordinal += 1
            var delta: Range<Int>?
            var finishReason: String?
            guard
                s.forEachMember(
                    in: item,
                    { key, value in
                        if s.key(key, is: "index") {
                            index = s.int(value) ?? 0
                        } else if s.key(key, is: "delta") || s.key(key, is: "message") {
                            delta = value
                        } else if s.key(key, is: "finish_reason") {
                            finishReason = s.string(value)
                        }
                    })
            else { return }
            let position = choicePosition(index)
            if let delta { output = Self.apply(delta: delta, in: s, to: &choices[position]) || output }
            if let finishReason { choices[position].finishReason = finishReason }
        }
        return output
    }

    /// Appends one `delta` object; true when it carried output.
    private static func apply(delta: Range<Int>, in s: ProviderJSONScanner, to choice: inout Choice) -> Bool {
        var output = false
        s.forEachMember(in: delta) { key, value in
            if s.key(key, is: "content") || s.key(key, is: "refusal") {
                if let text = s.string(value) ?? parts(value, in: s) {
                    choice.content += text
                    output = output || !text.isEmpty
                }
            } else if s.key(key, is: "role") {
                if let role = s.string(value) { choice.role = role }
            } else if s.key(key, is: "tool_calls") {
                var ordinal = 0
                s.forEachElement(in: value) { fragment in
                    guard s.isObject(fragment) else { return }
                    var index = ordinal
                    ordinal += 1
                    var id: String?
                    var function: Range<Int>?
                    s.forEachMember(in: fragment) { key, value in
                        if s.key(key, is: "index") {
                            index = s.int(value) ?? 0
                        } else if s.key(key, is: "id") {
                            id = s.string(value)
                        } else if s.key(key, is: "function") {
                            function = value
                        }
                    }
                    append(id: id, function: function, index: index, in: s, to: &choice)
                    output = true
                }
            } else if s.key(key, is: "function_call"), s.isObject(value) {
                append(id: nil, function: value, index: 0, in: s, to: &choice)
                output = true
            }
        }
        return output
    }

    /// The text of content given as an array of parts (some OpenAI-compatible servers); nil for anything else.
    private static func parts(_ range: Range<Int>, in s: ProviderJSONScanner) -> String? {
        guard range.lowerBound < s.bytes.count, s.bytes[range.lowerBound] == UInt8(ascii: "[") else { return nil }
        return ProviderJSON.text(ofContent: s.value(range), separator: "")
    }

    /// Adds one tool-call fragment to the call with its `index`: the id and name when first given, the arguments
    /// appended.
    private static func append(
        id: String?, function: Range<Int>?, index: Int, in s: ProviderJSONScanner, to choice: inout Choice
    ) {
        let position: Int
        if let found = choice.calls.lastIndex(where: { $0.index == index }) {
            position = found
        } else {
            choice.calls.append(PartialCall(index: index))
            position = choice.calls.count - 1
        }
        if let id, !id.isEmpty { choice.calls[position].id = id }
        guard let function else { return }
        s.forEachMember(in: function) { key, value in
            if s.key(key, is: "name") {
                if let name = s.string(value), !name.isEmpty, choice.calls[position].name.isEmpty {
                    choice.calls[position].name = name
                }
            } else if s.key(key, is: "arguments") {
                if let arguments = s.string(value) { choice.calls[position].arguments += arguments }
            }
        }
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
