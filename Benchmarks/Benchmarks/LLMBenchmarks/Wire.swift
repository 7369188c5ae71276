import TraceSpool
@_spi(Internal) import TraceSpoolLLM

/// The wire traffic of the LLM benchmarks: a Chat Completions request with a system and a user message, two tools
/// and three parameters; its non-streamed answer (a tool call and usage) in 2 chunks; and its streamed answer in 40
/// chunks of server-sent events. Tools/tracer-quickbench counts the instructions of the same exchanges (it links
/// this file).
enum Wire {
    static let url = "https://api.openai.com/v1/chat/completions"
    static let headers = [("Authorization", "Bearer sk-bench-0123456789"), ("Content-Type", "application/json")]

    static func request(stream: Bool) -> [UInt8] {
        let streamFields = stream ? #","stream":true,"stream_options":{"include_usage":true}"# : ""
        return Array(
            """
            {"model":"gpt-4o-mini","messages":[\
            {"role":"system","content":"You are a helpful assistant that answers questions about the weather. \
            Use the tools when the question needs current data, and answer in one short sentence."},\
            {"role":"user","content":"What is the weather in Paris right now, and should I take an umbrella?"}],\
            "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather for a city",\
            "parameters":{"type":"object","properties":{"city":{"type":"string","description":"City name"},\
            "unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city"]}}},\
            {"type":"function","function":{"name":"get_forecast","description":"Forecast for the next days",\
            "parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},\
            "required":["city","days"]}}}],\
            "tool_choice":"auto","temperature":0.2,"max_tokens":256\(streamFields)}
            """.utf8)
    }

    static let response = Array(
        """
        {"id":"chatcmpl-AbC123","object":"chat.completion","created":1733200000,"model":"gpt-4o-mini-2024-07-18",\
        "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_x1",\
        "type":"function","function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\",\\"unit\\":\\"celsius\\"}"}}],\
        "refusal":null},"logprobs":null,"finish_reason":"tool_calls"}],\
        "usage":{"prompt_tokens":152,"completion_tokens":21,"total_tokens":173,\
        "prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}},\
        "system_fingerprint":"fp_0123"}
        """.utf8)

    /// The non-streamed response in 2 chunks.
    static let responseChunks = [Array(response.prefix(300)), Array(response.dropFirst(300))]

    /// 40 chunks: one event each — the role, 37 text deltas, the finish reason, the usage — then `[DONE]` with
    /// the last.
    static let streamChunks: [[UInt8]] = {
        func event(_ delta: String, finish: String = "null", usage: String = "null") -> String {
            #"data: {"id":"chatcmpl-AbC123","object":"chat.completion.chunk","created":1733200000,"#
                + #""model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0123","choices":[{"index":0,"#
                + #""delta":\#(delta),"logprobs":null,"finish_reason":\#(finish)}],"usage":\#(usage)}"# + "\n\n"
        }
        var chunks = [event(#"{"role":"assistant","content":""}"#)]
        for i in 0..<37 { chunks.append(event(#"{"content":"word\#(i) "}"#)) }
        chunks.append(event("{}", finish: #""stop""#))
        chunks.append(
            #"data: {"id":"chatcmpl-AbC123","object":"chat.completion.chunk","created":1733200000,"#
                + #""model":"gpt-4o-mini-2024-07-18","choices":[],"usage":{"prompt_tokens":152,"#
                + #""completion_tokens":38,"total_tokens":190}}"# + "\n\ndata: [DONE]\n\n")
        return chunks.map { Array($0.utf8) }
    }()

    static func nonStreaming(_ tracer: SpoolTracer) -> LLMExchangeDriver {
        LLMExchangeDriver(
            instrumentation: LLMInstrumentation(tracer: tracer), method: "POST", url: url, headers: headers,
            body: request(stream: false), status: 200, responseHeaders: [("Content-Type", "application/json")],
            chunks: responseChunks)
    }

    static func streamed(_ tracer: SpoolTracer) -> LLMExchangeDriver {
        LLMExchangeDriver(
            instrumentation: LLMInstrumentation(tracer: tracer), method: "POST", url: url, headers: headers,
            body: request(stream: true), status: 200, responseHeaders: [("Content-Type", "text/event-stream")],
            chunks: streamChunks)
    }
}
