import SpoolBase

/// The request side of OpenAI Embeddings (https://platform.openai.com/docs/api-reference/embeddings/create):
/// `model`, `input` (a string, strings, or token arrays — never parsed, only skipped), `encoding_format` (`float`
/// or `base64`), `dimensions`, `user`.
struct OpenAIEmbeddingsRequest: Sendable {
    var model: String?
    var encodingFormat: String?
    var dimensions: Int?
    /// The body without `input`, compact.
    var parameters: String?

    /// Reads `body` with `ProviderJSONScanner` (the input is skipped, not parsed); nil when it is not a JSON object.
    init?(body: [UInt8]) {
        let scanner = ProviderJSONScanner(body)
        guard let document = scanner.document, let members = scanner.members(document) else { return nil }
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        for member in members where member.key != "input" {
            guard let value = scanner.value(member.value) else { continue }
            switch member.key {
            case "model": model = model ?? value.stringValue
            case "encoding_format": encodingFormat = encodingFormat ?? value.stringValue
            case "dimensions": dimensions = dimensions ?? value.intValue
            default: break
            }
            writer.key(escaping: member.key)
            writer.value(value)
        }
        writer.endObject()
        parameters = writer.text
    }
}
