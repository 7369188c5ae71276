import SpoolBase
import TraceSpool

/// The response side of Anthropic Messages, from a whole body (https://docs.anthropic.com/en/api/messages) or
/// from its stream of events (https://docs.anthropic.com/en/docs/build-with-claude/streaming).
///
/// The `content[]` blocks become one assistant message: the `text` blocks' texts as content, the `tool_use` blocks
/// as tool calls (arguments: the `input` JSON, compact); `stop_reason` is the finish reason. Usage: `input_tokens`
/// does not count cached tokens, so the recorded input is `input_tokens + cache_read_input_tokens +
/// cache_creation_input_tokens`, with the two cache counts recorded as such.
///
/// Streamed: `message_start` (`message.id`, `model`, `usage`), `content_block_start` (`index`, `content_block` of
/// type `text` or `tool_use` with `id` and `name`), `content_block_delta` (`text_delta.text`,
/// `input_json_delta.partial_json`, appended per block), `content_block_stop`, `message_delta` (`delta.stop_reason`,
/// cumulative `usage`), `message_stop`, `ping`, and `error` (`{"type":"error","error":{...}}`).
struct AnthropicMessagesAccumulator: ResponseAccumulator {
    struct Block: Sendable {
        var index: Int
        var isToolUse: Bool
        var text = ""
        var id = ""
        var name = ""
        /// The `input` of `content_block_start`, compact; used when no `input_json_delta` arrives.
        var initialInput = "{}"
        var json = ""
        var sawJSON = false
    }

    var id: String?
    var model: String?
    var stopReason: String?
    var blocks: [Block] = []
    var inputTokens: Int?
    var outputTokens: Int?
    var cacheRead: Int?
    var cacheCreation: Int?
    var streamError: ProviderError?
    var sawOutput = false

    mutating func consume(body: [UInt8]) {
        guard let document = ProviderJSON.parse(body), document.isObject else { return }
        read(message: document)
        for (i, block) in (document.arrayMember("content") ?? []).enumerated() where block.isObject {
            switch block.stringMember("type") {
            case "text":
                blocks.append(Block(index: i, isToolUse: false, text: block.stringMember("text") ?? ""))
            case "tool_use":
                let call = AnthropicMessagesRequest.toolCall(block)
                blocks.append(
                    Block(index: i, isToolUse: true, id: call.id, name: call.name, initialInput: call.arguments))
            default: break
            }
        }
        stopReason = document.stringMember("stop_reason")
    }

    /// The message's `id`, `model` and `usage`.
    private mutating func read(message: JSONValue) {
        id = message.stringMember("id") ?? id
        model = message.stringMember("model") ?? model
        if let usage = message.member("usage") { read(usage: usage) }
    }

    /// The counts present in `usage` (each replaces the one before: stream counts are cumulative).
    private mutating func read(usage: JSONValue) {
        inputTokens = usage.intMember("input_tokens") ?? inputTokens
        outputTokens = usage.intMember("output_tokens") ?? outputTokens
        cacheRead = usage.intMember("cache_read_input_tokens") ?? cacheRead
        cacheCreation = usage.intMember("cache_creation_input_tokens") ?? cacheCreation
    }

    mutating func consume(event: String?, data: ArraySlice<UInt8>) -> Bool {
        let s = ProviderJSONScanner(Array(data))
        guard let root = s.document else { return false }
        var isDelta = false
        var hasType = false
        var index: Int?
        var delta: Range<Int>?
        let isObject = s.forEachMember(in: root) { key, value in
            if s.key(key, is: "type") {
                hasType = true
                isDelta = s.string(value, is: "content_block_delta")
            } else if s.key(key, is: "index") {
                index = s.int(value)
            } else if s.key(key, is: "delta") {
                delta = value
            }
        }
        guard isObject else { return false }
        if isDelta || (!hasType && event == "content_block_delta") {
            guard let index, let delta, let position = blocks.lastIndex(where: { $0.index == index }) else {
                return false
            }
            return consume(delta: delta, in: s, position: position)
        }
        guard let payload = s.value(root) else { return false }
        return consume(payload: payload, event: event)
    }

    /// A `content_block_delta`'s `delta` for the block at `position`, read with the scanner (the hot path: one per
    /// streamed piece); true when it was the first output.
    private mutating func consume(delta: Range<Int>, in s: ProviderJSONScanner, position: Int) -> Bool {
        var output = false
        var kind = 0  // 1 text_delta, 2 input_json_delta
        var piece: Range<Int>?
        s.forEachMember(in: delta) { key, value in
            if s.key(key, is: "type") {
                kind = s.string(value, is: "text_delta") ? 1 : s.string(value, is: "input_json_delta") ? 2 : 0
            } else if s.key(key, is: "text") || s.key(key, is: "partial_json") {
                piece = value
            }
        }
        switch kind {
        case 1:
            let text = piece.flatMap(s.string) ?? ""
            blocks[position].text += text
            output = !text.isEmpty
        case 2:
            blocks[position].json += piece.flatMap(s.string) ?? ""
            blocks[position].sawJSON = true
            output = true
        default: break
        }
        guard output, !sawOutput else { return false }
        sawOutput = true
        return true
    }

    /// Every other event, parsed whole (a few per stream).
    private mutating func consume(payload: JSONValue, event: String?) -> Bool {
        var output = false
        switch payload.stringMember("type") ?? event {
        case "message_start":
            if let message = payload.member("message") { read(message: message) }
        case "content_block_start":
            guard let index = payload.intMember("index"), let block = payload.member("content_block") else { break }
            switch block.stringMember("type") {
            case "text":
                let text = block.stringMember("text") ?? ""
                blocks.append(Block(index: index, isToolUse: false, text: text))
                output = !text.isEmpty
            case "tool_use":
                let call = AnthropicMessagesRequest.toolCall(block)
                blocks.append(
                    Block(index: index, isToolUse: true, id: call.id, name: call.name, initialInput: call.arguments))
                output = true
            default: break
            }
        case "message_delta":
            if let reason = payload.member("delta")?.stringMember("stop_reason") { stopReason = reason }
            if let usage = payload.member("usage") { read(usage: usage) }
        case "error":
            streamError = ProviderError(document: payload)
        default: break
        }
        guard output, !sawOutput else { return false }
        sawOutput = true
        return true
    }

    func apply(to span: SpoolSpan) {
        if !blocks.isEmpty {
            var texts: [String] = []
            var calls: [ToolCall] = []
            for block in blocks.sorted(by: { $0.index < $1.index }) {
                if block.isToolUse {
                    let arguments = block.sawJSON && !block.json.isEmpty ? block.json : block.initialInput
                    calls.append(ToolCall(id: block.id, name: block.name, arguments: arguments))
                } else {
                    texts.append(block.text)
                }
            }
            span.setOutputMessages([
                ChatMessage(role: "assistant", content: texts.count == 1 ? texts[0] : texts.joined(), toolCalls: calls)
            ])
        }
        if id != nil || model != nil || stopReason != nil {
            span.setResponse(id: id, model: model, finishReasons: stopReason.map { [$0] } ?? [])
        }
        if inputTokens != nil || outputTokens != nil || cacheRead != nil || cacheCreation != nil {
            ProviderJSON.Usage(
                anthropicInput: inputTokens, cacheRead: cacheRead, cacheCreation: cacheCreation, output: outputTokens
            )
            .apply(to: span)
        }
    }
}
