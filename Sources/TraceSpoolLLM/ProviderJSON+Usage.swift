import SpoolBase
import TraceSpool

extension ProviderJSON {
    /// Token usage as a provider reports it, normalised: input tokens include cached ones (the GenAI convention).
    struct Usage: Sendable, Equatable {
        var inputTokens: Int?
        var outputTokens: Int?
        var totalTokens: Int?
        var cacheReadInputTokens: Int?
        var cacheCreationInputTokens: Int?
        var reasoningTokens: Int?

        /// OpenAI Chat Completions and Embeddings `usage`: `prompt_tokens` (cached included),
        /// `completion_tokens`, `total_tokens`, `prompt_tokens_details.cached_tokens`,
        /// `completion_tokens_details.reasoning_tokens`. Nil when `usage` is not an object.
        init?(chatCompletions usage: JSONValue?) {
            guard let usage, usage.isObject else { return nil }
            inputTokens = usage.intMember("prompt_tokens")
            outputTokens = usage.intMember("completion_tokens")
            totalTokens = usage.intMember("total_tokens")
            cacheReadInputTokens = usage.member("prompt_tokens_details")?.intMember("cached_tokens")
            reasoningTokens = usage.member("completion_tokens_details")?.intMember("reasoning_tokens")
        }

        /// `init?(chatCompletions:)` for the object at `range` of `s`, read with the scanner (no tree).
        init?(chatCompletions range: Range<Int>, in s: ProviderJSONScanner) {
            var usage = Usage()
            let isObject = s.forEachMember(in: range) { key, value in
                if s.key(key, is: "prompt_tokens") {
                    usage.inputTokens = s.int(value)
                } else if s.key(key, is: "completion_tokens") {
                    usage.outputTokens = s.int(value)
                } else if s.key(key, is: "total_tokens") {
                    usage.totalTokens = s.int(value)
                } else if s.key(key, is: "prompt_tokens_details") {
                    s.forEachMember(in: value) { key, value in
                        if s.key(key, is: "cached_tokens") { usage.cacheReadInputTokens = s.int(value) }
                    }
                } else if s.key(key, is: "completion_tokens_details") {
                    s.forEachMember(in: value) { key, value in
                        if s.key(key, is: "reasoning_tokens") { usage.reasoningTokens = s.int(value) }
                    }
                }
            }
            guard isObject else { return nil }
            self = usage
        }

        private init() {}

        /// OpenAI Responses `usage`: `input_tokens` (cached included), `output_tokens`, `total_tokens`,
        /// `input_tokens_details.cached_tokens`, `output_tokens_details.reasoning_tokens`. Nil when `usage` is not
        /// an object.
        init?(responses usage: JSONValue?) {
            guard let usage, usage.isObject else { return nil }
            inputTokens = usage.intMember("input_tokens")
            outputTokens = usage.intMember("output_tokens")
            totalTokens = usage.intMember("total_tokens")
            cacheReadInputTokens = usage.member("input_tokens_details")?.intMember("cached_tokens")
            reasoningTokens = usage.member("output_tokens_details")?.intMember("reasoning_tokens")
        }

        /// Anthropic counts: `input_tokens` excludes the cached ones, so the input is the sum of the three.
        init(anthropicInput input: Int?, cacheRead: Int?, cacheCreation: Int?, output: Int?) {
            if input != nil || cacheRead != nil || cacheCreation != nil {
                inputTokens = Self.sum([input, cacheRead, cacheCreation])
            }
            outputTokens = output
            cacheReadInputTokens = cacheRead
            cacheCreationInputTokens = cacheCreation
        }

        /// Writes the counts present (`SpoolSpan.setUsage`, which adds the total when absent).
        func apply(to span: SpoolSpan) {
            span.setUsage(
                inputTokens: inputTokens, outputTokens: outputTokens, totalTokens: totalTokens,
                cacheReadInputTokens: cacheReadInputTokens, cacheCreationInputTokens: cacheCreationInputTokens,
                reasoningTokens: reasoningTokens)
        }

        /// The sum of the counts present, saturating at `Int.max`.
        static func sum(_ counts: [Int?]) -> Int {
            var total = 0
            for case let n? in counts {
                let (s, overflow) = total.addingReportingOverflow(n)
                total = overflow ? (n < 0 ? Int.min : Int.max) : s
            }
            return total
        }
    }
}
