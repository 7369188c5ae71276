import SpoolBase
import SpoolFormat
import TraceSpool

/// The response side of OpenAI Embeddings (https://platform.openai.com/docs/api-reference/embeddings/object):
/// `{"object":"list","data":[{"embedding":[...] | "base64","index":0}],"model","usage":{"prompt_tokens",
/// "total_tokens"}}`.
///
/// The vectors are never recorded, nor parsed: the body is scanned (`ProviderJSONScanner`), the first vector's
/// length gives `gen_ai.embeddings.dimension.count` (for base64, its decoded bytes / 4: little-endian float32s),
/// else the request's `dimensions`. Embeddings do not stream: events are ignored.
struct OpenAIEmbeddingsAccumulator: ResponseAccumulator {
    /// The request's `dimensions`, the fallback dimension count.
    var requestedDimensions: Int?
    var model: String?
    var dimensions: Int?
    var usage: ProviderJSON.Usage?

    mutating func consume(body: [UInt8]) {
        let scanner = ProviderJSONScanner(body)
        guard let document = scanner.document, let members = scanner.members(document) else { return }
        for member in members {
            switch member.key {
            case "model": model = model ?? scanner.value(member.value)?.stringValue
            case "usage": usage = ProviderJSON.Usage(chatCompletions: scanner.value(member.value))
            case "data":
                guard dimensions == nil, let first = scanner.firstElement(member.value),
                    let fields = scanner.members(first),
                    let vector = fields.first(where: { $0.key == "embedding" })?.value
                else { break }
                dimensions = Self.dimensions(of: vector, in: scanner)
            default: break
            }
        }
    }

    /// The element count of the vector at `range`: an array's length, or a base64 string's decoded bytes / 4.
    static func dimensions(of range: Range<Int>, in scanner: ProviderJSONScanner) -> Int? {
        guard let first = scanner.bytes[safe: range.lowerBound] else { return nil }
        if first == UInt8(ascii: "[") { return scanner.elementCount(range) }
        guard first == UInt8(ascii: "\""), range.count >= 2 else { return nil }
        var length = range.count - 2
        var padding = 0
        var i = range.upperBound - 2
        while padding < 2, i > range.lowerBound, scanner.bytes[i] == UInt8(ascii: "=") {
            padding += 1
            i -= 1
        }
        length -= padding
        return length * 3 / 4 / 4
    }

    mutating func consume(event: String?, data: ArraySlice<UInt8>) -> Bool { false }

    func apply(to span: SpoolSpan) {
        if let count = dimensions ?? requestedDimensions {
            span.setAttribute(AttributeNames.embeddingsDimensionCount, .int64(Int64(count)))
        }
        if let model { span.setResponse(model: model) }
        usage?.apply(to: span)
    }
}

extension Array {
    /// The element at `index`; nil when out of bounds.
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
