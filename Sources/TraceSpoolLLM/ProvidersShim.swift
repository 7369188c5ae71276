// Minimal stand-ins for the providers' contract types (PLAN17.md, "Core contracts"), so that the exchange compiles
// and its tests run before the branch `providers` is merged. Delete this file when main has LLMOperation.swift,
// ProviderRequest.swift, ResponseAccumulator.swift and ProviderError.swift.
import SpoolBase
package import TraceSpool

package enum LLMOperation: Sendable, Equatable {
    case chatCompletions, responses, embeddings, anthropicMessages

    package static func detect(method: String, path: String) -> LLMOperation? {
        guard method == "POST" else { return nil }
        if path.hasSuffix("/chat/completions") { return .chatCompletions }
        if path.hasSuffix("/responses") { return .responses }
        if path.hasSuffix("/embeddings") { return .embeddings }
        if path.hasSuffix("/messages") { return .anthropicMessages }
        return nil
    }

    package var operationName: String { self == .embeddings ? "embeddings" : "chat" }
}

package struct ProviderRequest: Sendable {
    package var model: String?
    package var isStreaming: Bool

    package init(operation: LLMOperation, path: String, body: [UInt8]) {
        let json = try? JSONReader.parse(body)
        if case .string(let model)? = json?.member("model") { self.model = model }
        if case .bool(let stream)? = json?.member("stream") { isStreaming = stream } else { isStreaming = false }
    }

    package func apply(to span: SpoolSpan) {
        if let model { span.setModel(model) }
        span.setAttribute("gen_ai.request.stream", isStreaming)
    }

    package func makeAccumulator() -> any ResponseAccumulator { ShimAccumulator() }
}

package protocol ResponseAccumulator: Sendable {
    mutating func consume(body: [UInt8])
    mutating func consume(event: String?, data: ArraySlice<UInt8>) -> Bool
    func apply(to span: SpoolSpan)
}

/// Chat Completions text only: `choices[0].message.content` or the `choices[0].delta.content` of each chunk.
struct ShimAccumulator: ResponseAccumulator {
    var text: String?

    mutating func consume(body: [UInt8]) {
        let choice = (try? JSONReader.parse(body))?.member("choices").flatMap(Self.first)
        if case .string(let content)? = choice?.member("message")?.member("content") { text = content }
    }

    mutating func consume(event: String?, data: ArraySlice<UInt8>) -> Bool {
        let choice = (try? JSONReader.parse(Array(data)))?.member("choices").flatMap(Self.first)
        guard case .string(let content)? = choice?.member("delta")?.member("content"), !content.isEmpty else {
            return false
        }
        let first = text == nil
        text = (text ?? "") + content
        return first
    }

    func apply(to span: SpoolSpan) {
        if let text { span.setOutputMessages([ChatMessage(role: "assistant", content: text)]) }
    }

    static func first(_ value: JSONValue) -> JSONValue? {
        if case .array(let values) = value { values.first } else { nil }
    }
}

package struct ProviderError: Sendable, Equatable {
    package var type: String?
    package var message: String?

    package init(body: [UInt8]) {
        let error = (try? JSONReader.parse(body))?.member("error")
        if case .string(let type)? = error?.member("type") { self.type = type }
        if case .string(let message)? = error?.member("message") { self.message = message }
    }
}
