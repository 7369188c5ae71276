import SpoolBase
import SpoolFormat
import Tracing

/// The well-known model parameters of a generation, read from its parameters' members (a JSON object's, or a typed
/// dictionary's) and written as the OpenTelemetry GenAI `gen_ai.request.*` attributes.
///
/// Keys are matched in snake_case (OpenAI, Anthropic) and camelCase, in the order listed (`keyTable`); the first key
/// present with a value of the expected type wins, and a missing key, `null` or a value of another type is skipped:
/// a double accepts any finite number, an integer any number with an integral value within `Int` (`5`, `5.0`,
/// `1e2`; not `5.5`, as `JSONDecoder` decides), stop sequences an array of strings or one string (an array under
/// any of its keys beats a string). Of duplicate keys the first counts.
///
/// The members are offered one at a time (`offer`), in any order: each key is matched once by a `switch` (no
/// lookup of every known key in the members), so a typed dictionary is read without being written as JSON first.
struct GenAIRequestParameters {
    var temperature: Double?
    var maxTokens: Int?
    var topP: Double?
    var topK: Double?
    var frequencyPenalty: Double?
    var presencePenalty: Double?
    var stopSequences: [String]?
    var seed: Int?

    /// One member's value, as far as the rules look at it.
    enum Value {
        /// A number: its value, and its exact `Int` value when it is integral and within `Int`.
        case number(Double, exactInt: Int?)
        /// A string.
        case string(String)
        /// An array whose every item is a string.
        case strings([String])
        /// Anything else (`null`, a boolean, an object, an array with a non-string item).
        case other

        /// A number from a JSON literal: its `Int` value taken from the integer literal when there is one (`5`),
        /// else from the double when it is integral (`5.0`, `1e2`).
        init(_ json: JSONValue) {
            switch json {
            case .number(let n):
                let double = n.double
                if let i = n.int64 {
                    self = .number(double, exactInt: Int(exactly: i))
                } else {
                    self = .number(double, exactInt: double.isFinite ? Int(exactly: double) : nil)
                }
            case .string(let s): self = .string(s)
            case .array(let items):
                var strings: [String] = []
                strings.reserveCapacity(items.count)
                for item in items {
                    guard case .string(let s) = item else {
                        self = .other
                        return
                    }
                    strings.append(s)
                }
                self = .strings(strings)
            default: self = .other
            }
        }

        /// A `Double` member.
        init(_ value: Double) { self = .number(value, exactInt: value.isFinite ? Int(exactly: value) : nil) }

        /// An `Int` member.
        init(_ value: Int) { self = .number(Double(value), exactInt: value) }
    }

    /// No parameters; fill with `offer(_:_:)`.
    init() {}

    /// Reads `json`; nil when it is not valid JSON or not an object.
    init?(json: String) {
        guard let document = try? JSONReader.parse(json), case .object(let members) = document else { return nil }
        self.init(members: members)
    }

    /// Reads the members of a JSON object already parsed.
    init(members: [JSONMember]) {
        for member in members { offer(member.key, Value(member.value)) }
    }

    /// The parameters, in the order `attributes` writes them.
    private enum Parameter: Int {
        case temperature, maxTokens, topP, topK, frequencyPenalty, presencePenalty, stop, seed
    }

    /// The parameter `key` names and the key's rank among that parameter's keys (0 first); nil for other keys.
    private static func parameter(_ key: String) -> (Parameter, rank: Int)? {
        // The length picks the few keys `key` can be, so that it is compared with those alone: no known key has
        // 6-8, 12 or 18-20 bytes or more than 21.
        switch key.utf8.count {
        case 4:
            switch key {
            case "topP": (.topP, 1)
            case "topK": (.topK, 1)
            case "stop": (.stop, 0)
            case "seed": (.seed, 0)
            default: nil
            }
        case 5: key == "top_p" ? (.topP, 0) : key == "top_k" ? (.topK, 0) : nil
        case 9: key == "maxTokens" ? (.maxTokens, 1) : nil
        case 10: key == "max_tokens" ? (.maxTokens, 0) : nil
        case 11: key == "temperature" ? (.temperature, 0) : nil
        case 13: key == "stopSequences" ? (.stop, 2) : nil
        case 14: key == "stop_sequences" ? (.stop, 1) : nil
        case 15:
            key == "maxOutputTokens" ? (.maxTokens, 5) : key == "presencePenalty" ? (.presencePenalty, 1) : nil
        case 16:
            key == "presence_penalty"
                ? (.presencePenalty, 0) : key == "frequencyPenalty" ? (.frequencyPenalty, 1) : nil
        case 17:
            key == "max_output_tokens"
                ? (.maxTokens, 4) : key == "frequency_penalty" ? (.frequencyPenalty, 0) : nil
        case 19: key == "maxCompletionTokens" ? (.maxTokens, 3) : nil
        case 21: key == "max_completion_tokens" ? (.maxTokens, 2) : nil
        default: nil
        }
    }

    /// The rank of the key that set each parameter (4 bits each, by `Parameter` raw value; 15 = unset); the stop
    /// sequences set from a single string have theirs at `stopStringShift`.
    private var ranks: UInt64 = ~0
    /// The keys seen, a bit per (parameter, rank) (`parameter * 8 + rank`): a duplicate key is not looked at again.
    private var seen: UInt64 = 0
    private static let stopStringShift = 32

    private func rank(at shift: Int) -> Int { Int((ranks >> UInt64(shift)) & 0xF) }

    private mutating func setRank(_ rank: Int, at shift: Int) {
        ranks = (ranks & ~(0xF << UInt64(shift))) | (UInt64(rank) << UInt64(shift))
    }

    /// Takes the member `key` = `value` into account.
    mutating func offer(_ key: String, _ value: Value) {
        guard let (parameter, rank) = Self.parameter(key) else { return }
        let bit: UInt64 = 1 << UInt64(parameter.rawValue * 8 + rank)
        guard seen & bit == 0 else { return }
        seen |= bit
        let shift: Int
        switch (parameter, value) {
        case (.stop, .strings): shift = parameter.rawValue * 4
        case (.stop, .string): shift = Self.stopStringShift
        case (.maxTokens, .number(_, exactInt: .some)), (.seed, .number(_, exactInt: .some)):
            shift = parameter.rawValue * 4
        case (.temperature, .number(let d, _)), (.topP, .number(let d, _)), (.topK, .number(let d, _)),
            (.frequencyPenalty, .number(let d, _)), (.presencePenalty, .number(let d, _)):
            guard d.isFinite else { return }
            shift = parameter.rawValue * 4
        default:
            return
        }
        guard rank < self.rank(at: shift) else { return }
        setRank(rank, at: shift)
        switch (parameter, value) {
        case (.temperature, .number(let d, _)): temperature = d
        case (.topP, .number(let d, _)): topP = d
        case (.topK, .number(let d, _)): topK = d
        case (.frequencyPenalty, .number(let d, _)): frequencyPenalty = d
        case (.presencePenalty, .number(let d, _)): presencePenalty = d
        case (.maxTokens, .number(_, let i)): maxTokens = i
        case (.seed, .number(_, let i)): seed = i
        case (.stop, .strings(let strings)): stopSequences = strings
        case (.stop, .string(let s)) where self.rank(at: Parameter.stop.rawValue * 4) == 0xF: stopSequences = [s]
        default: break
        }
    }

    /// Appends the attributes for the parameters present, in a fixed order; stop sequences cut to `limit` UTF-8
    /// bytes (see `JSONCapture.truncate`).
    func append(to entries: inout [SpoolAttribute], limit: Int) {
        if let temperature { entries.append(.double(AttributeNames.requestTemperature, temperature)) }
        if let maxTokens { entries.append(.int(AttributeNames.requestMaxTokens, maxTokens)) }
        if let topP { entries.append(.double(AttributeNames.requestTopP, topP)) }
        if let topK { entries.append(.double(AttributeNames.requestTopK, topK)) }
        if let frequencyPenalty { entries.append(.double(AttributeNames.requestFrequencyPenalty, frequencyPenalty)) }
        if let presencePenalty { entries.append(.double(AttributeNames.requestPresencePenalty, presencePenalty)) }
        if let stopSequences {
            let cut = stopSequences.map { JSONCapture.truncate($0, limit) }
            entries.append(SpoolAttribute(AttributeNames.requestStopSequences, .stringArray(cut)))
        }
        if let seed { entries.append(.int(AttributeNames.requestSeed, seed)) }
    }

    /// The attributes for the parameters present, in a fixed order (see `append(to:limit:)`).
    func attributes(limit: Int) -> [(String, SpanAttribute)] {
        var entries: [SpoolAttribute] = []
        append(to: &entries, limit: limit)
        return entries.map { ($0.key, $0.value) }
    }
}
