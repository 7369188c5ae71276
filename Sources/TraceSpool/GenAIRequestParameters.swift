import SpoolBase
import SpoolFormat
import Tracing

/// The well-known model parameters of a generation, read from its parameters' JSON object and written as the
/// OpenTelemetry GenAI `gen_ai.request.*` attributes.
///
/// Keys are matched in snake_case (OpenAI, Anthropic) and camelCase, in the order listed; the first key present
/// with a value of the expected JSON type wins, and a missing key, `null` or a value of another type is skipped: a
/// double accepts any finite number, an integer any number with an integral value within `Int` (`5`, `5.0`, `1e2`;
/// not `5.5`, as `JSONDecoder` decides), stop sequences an array of strings or one string. Of duplicate keys the
/// first counts.
struct GenAIRequestParameters {
    var temperature: Double?
    var maxTokens: Int?
    var topP: Double?
    var topK: Double?
    var frequencyPenalty: Double?
    var presencePenalty: Double?
    var stopSequences: [String]?
    var seed: Int?

    /// Reads `json`; nil when it is not valid JSON or not an object.
    init?(json: String) {
        guard let document = try? JSONReader.parse(json), case .object = document else { return nil }
        func first<T>(_ names: [String], _ convert: (JSONValue) -> T?) -> T? {
            for name in names {
                if let value = document.member(name).flatMap(convert) { return value }
            }
            return nil
        }
        func double(_ names: String...) -> Double? {
            first(names) { value in
                guard case .number(let n) = value, n.double.isFinite else { return nil }
                return n.double
            }
        }
        func int(_ names: String...) -> Int? {
            first(names) { value in
                guard case .number(let n) = value else { return nil }
                if let i = n.int64 { return Int(exactly: i) }
                return Int(exactly: n.double)
            }
        }
        let stopNames = ["stop", "stop_sequences", "stopSequences"]
        temperature = double("temperature")
        maxTokens = int(
            "max_tokens", "maxTokens", "max_completion_tokens", "maxCompletionTokens", "max_output_tokens",
            "maxOutputTokens")
        topP = double("top_p", "topP")
        topK = double("top_k", "topK")
        frequencyPenalty = double("frequency_penalty", "frequencyPenalty")
        presencePenalty = double("presence_penalty", "presencePenalty")
        stopSequences =
            first(stopNames) { value -> [String]? in
                guard case .array(let items) = value else { return nil }
                var strings: [String] = []
                for item in items {
                    guard case .string(let s) = item else { return nil }
                    strings.append(s)
                }
                return strings
            }
            ?? first(stopNames) { value -> [String]? in
                guard case .string(let s) = value else { return nil }
                return [s]
            }
        seed = int("seed")
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
}
