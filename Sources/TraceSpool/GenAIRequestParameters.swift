import Tracing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The well-known model parameters of a generation, read from its parameters' JSON object and written as the
/// OpenTelemetry GenAI `gen_ai.request.*` attributes. Keys are matched in snake_case (OpenAI, Anthropic) and
/// camelCase; a missing key, or a value of another JSON type, is skipped.
struct GenAIRequestParameters: Decodable {
    var temperature: Double?
    var maxTokens: Int?
    var topP: Double?
    var topK: Double?
    var frequencyPenalty: Double?
    var presencePenalty: Double?
    var stopSequences: [String]?
    var seed: Int?

    /// Reads `json`; nil when it is not a JSON object.
    init?(json: String) {
        guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(json.utf8)) else { return nil }
        self = decoded
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        func value<T: Decodable>(_ type: T.Type, _ names: String...) -> T? {
            for name in names {
                if let v = try? c.decodeIfPresent(T.self, forKey: Key(name)) { return v }
            }
            return nil
        }
        temperature = value(Double.self, "temperature")
        maxTokens = value(
            Int.self, "max_tokens", "maxTokens", "max_completion_tokens", "maxCompletionTokens", "max_output_tokens",
            "maxOutputTokens")
        topP = value(Double.self, "top_p", "topP")
        topK = value(Double.self, "top_k", "topK")
        frequencyPenalty = value(Double.self, "frequency_penalty", "frequencyPenalty")
        presencePenalty = value(Double.self, "presence_penalty", "presencePenalty")
        stopSequences =
            value([String].self, "stop", "stop_sequences", "stopSequences")
            ?? value(String.self, "stop", "stop_sequences", "stopSequences").map { [$0] }
        seed = value(Int.self, "seed")
    }

    /// The attributes for the parameters present, in a fixed order; stop sequences cut to `limit` UTF-8 bytes (see
    /// `JSONCapture.truncate`).
    func attributes(limit: Int) -> [(String, SpanAttribute)] {
        var result: [(String, SpanAttribute)] = []
        if let temperature { result.append((AttributeNames.requestTemperature, .double(temperature))) }
        if let maxTokens { result.append((AttributeNames.requestMaxTokens, .int64(Int64(maxTokens)))) }
        if let topP { result.append((AttributeNames.requestTopP, .double(topP))) }
        if let topK { result.append((AttributeNames.requestTopK, .double(topK))) }
        if let frequencyPenalty { result.append((AttributeNames.requestFrequencyPenalty, .double(frequencyPenalty))) }
        if let presencePenalty { result.append((AttributeNames.requestPresencePenalty, .double(presencePenalty))) }
        if let stopSequences {
            let cut = stopSequences.map { JSONCapture.truncate($0, limit) }
            result.append((AttributeNames.requestStopSequences, .stringArray(cut)))
        }
        if let seed { result.append((AttributeNames.requestSeed, .int64(Int64(seed)))) }
        return result
    }

    /// A JSON object key given by its name.
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }

        init(_ name: String) { stringValue = name }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
