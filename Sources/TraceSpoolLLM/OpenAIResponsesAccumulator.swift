import SpoolBase
import TraceSpool

/// The response side of the OpenAI Responses API, from a whole body
/// (https://platform.openai.com/docs/api-reference/responses/object) or from its stream of events
/// (https://platform.openai.com/docs/api-reference/responses-streaming).
///
/// A response's `output[]` items become one assistant message: the `output_text` (and `refusal`) parts of its
/// `message` items as content, its `function_call` items (`call_id`, `name`, `arguments`) as tool calls; reasoning
/// items are left out. The finish reason is `incomplete_details.reason` when the status is `incomplete`, else the
/// status (`completed`, `failed`).
///
/// Streamed, `response.completed` (or `response.incomplete` / `response.failed`) carries the whole response and
/// is what counts; the deltas (`response.output_text.delta`, `response.function_call_arguments.delta`, with the
/// items of `response.output_item.added` / `.done`) count only when it never comes, and give the first output.
struct OpenAIResponsesAccumulator: ResponseAccumulator {
    /// One output item assembled from stream events.
    struct PartialItem: Sendable {
        var outputIndex: Int
        var isCall: Bool
        var text = ""
        var call = ToolCall(id: "", name: "", arguments: "")
    }

    struct Summary: Sendable {
        var id: String?
        var model: String?
        var status: String?
        var text = ""
        var calls: [ToolCall] = []
        var hasOutput = false
        var usage: ProviderJSON.Usage?
    }

    /// From the whole response (body or final event).
    var final: Summary?
    /// From `response.created` and the deltas.
    var partial = Summary()
    var items: [PartialItem] = []
    var streamError: ProviderError?
    var sawOutput = false

    mutating func consume(body: [UInt8]) {
        guard let document = ProviderJSON.parse(body), document.isObject else { return }
        final = Self.summary(of: document)
    }

    /// The summary of a whole response object.
    static func summary(of response: JSONValue) -> Summary {
        var summary = Summary()
        summary.id = response.stringMember("id")
        summary.model = response.stringMember("model")
        summary.status = response.stringMember("status")
        if summary.status == "incomplete", let reason = response.member("incomplete_details")?.stringMember("reason") {
            summary.status = reason
        }
        var texts: [String] = []
        for item in response.arrayMember("output") ?? [] where item.isObject {
            switch item.stringMember("type") {
            case "message":
                for part in item.arrayMember("content") ?? [] {
                    if let text = part.stringMember("text") ?? part.stringMember("refusal") { texts.append(text) }
                }
                summary.hasOutput = true
            case "function_call":
                summary.calls.append(OpenAIResponsesRequest.toolCall(item))
                summary.hasOutput = true
            default: break
            }
        }
        summary.text = texts.count == 1 ? texts[0] : texts.joined()
        summary.usage = ProviderJSON.Usage(responses: response.member("usage"))
        return summary
    }

    mutating func consume(event: String?, data: ArraySlice<UInt8>) -> Bool {
        let s = ProviderJSONScanner(Array(data))
        guard let root = s.document else { return false }
        var kind = 0  // 1 text or refusal delta, 2 arguments delta, 3 another event
        var index = 0
        var delta: Range<Int>?
        let isObject = s.forEachMember(in: root) { key, value in
            if s.key(key, is: "type") {
                kind =
                    s.string(value, is: "response.output_text.delta") || s.string(value, is: "response.refusal.delta")
                    ? 1 : s.string(value, is: "response.function_call_arguments.delta") ? 2 : 3
            } else if s.key(key, is: "output_index") {
                index = s.int(value) ?? 0
            } else if s.key(key, is: "delta") {
                delta = value
            }
        }
        guard isObject else { return false }
        if kind == 0 {
            switch event {
            case "response.output_text.delta", "response.refusal.delta": kind = 1
            case "response.function_call_arguments.delta": kind = 2
            default: kind = 3
            }
        }
        if kind == 1 || kind == 2 {
            guard let piece = delta.flatMap(s.string) else { return false }
            let position = itemPosition(index, isCall: kind == 2)
            if kind == 1 {
                items[position].text += piece
            } else {
                items[position].call.arguments += piece
            }
            guard kind == 2 || !piece.isEmpty, !sawOutput else { return false }
            sawOutput = true
            return true
        }
        guard let payload = s.value(root) else { return false }
        return consume(payload: payload, event: event)
    }

    /// Every event but the deltas, parsed whole.
    private mutating func consume(payload: JSONValue, event: String?) -> Bool {
        let type = payload.stringMember("type") ?? event
        var output = false
        switch type {
        case "response.created", "response.in_progress":
            if let response = payload.member("response") {
                partial.id = response.stringMember("id") ?? partial.id
                partial.model = response.stringMember("model") ?? partial.model
            }
        case "response.completed", "response.incomplete", "response.failed":
            guard let response = payload.member("response"), response.isObject else { break }
            final = Self.summary(of: response)
            if let error = response.member("error"), error.isObject {
                streamError = ProviderError(document: .object([JSONMember("error", error)]))
            }
        case "error":
            streamError = ProviderError(document: .object([JSONMember("error", payload)]))
        case "response.output_item.added", "response.output_item.done":
            guard let item = payload.member("item"), let index = payload.intMember("output_index") else { break }
            let position = itemPosition(index, isCall: item.stringMember("type") == "function_call")
            if items[position].isCall {
                let call = OpenAIResponsesRequest.toolCall(item)
                if type == "response.output_item.done" || items[position].call.arguments.isEmpty {
                    items[position].call = call
                } else {
                    items[position].call.id = call.id
                    items[position].call.name = call.name
                }
                output = type == "response.output_item.added"
            } else if type == "response.output_item.done", item.stringMember("type") == "message" {
                let text = ProviderJSON.text(ofContent: item.member("content"), separator: "")
                if !text.isEmpty { items[position].text = text }
            }
        case "response.function_call_arguments.done":
            guard let arguments = payload.stringMember("arguments") else { break }
            let position = itemPosition(payload.intMember("output_index") ?? 0, isCall: true)
            items[position].call.arguments = arguments
        default: break
        }
        guard output, !sawOutput else { return false }
        sawOutput = true
        return true
    }

    private mutating func itemPosition(_ index: Int, isCall: Bool) -> Int {
        if let found = items.firstIndex(where: { $0.outputIndex == index }) { return found }
        let position = items.firstIndex { $0.outputIndex > index } ?? items.count
        items.insert(PartialItem(outputIndex: index, isCall: isCall), at: position)
        return position
    }

    func apply(to span: SpoolSpan) {
        var summary = final ?? partial
        if final == nil, !items.isEmpty {
            summary.text = items.lazy.filter { !$0.isCall }.map(\.text).joined()
            summary.calls = items.filter(\.isCall).map(\.call)
            summary.hasOutput = true
        }
        if summary.hasOutput {
            span.setOutputMessages([ChatMessage(role: "assistant", content: summary.text, toolCalls: summary.calls)])
        }
        let id = summary.id ?? partial.id
        let model = summary.model ?? partial.model
        if id != nil || model != nil || summary.status != nil {
            span.setResponse(id: id, model: model, finishReasons: summary.status.map { [$0] } ?? [])
        }
        summary.usage?.apply(to: span)
    }
}
