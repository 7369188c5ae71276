/// OpenAI Chat Completions wire text (https://platform.openai.com/docs/api-reference/chat), as the API sends it.
enum OpenAIChatFixtures {
    /// A second turn: system, user with content parts, the assistant's two tool calls, two tool results; tools and
    /// parameters.
    static let request = #"""
        {"model":"gpt-4o","messages":[
          {"role":"system","content":"You are terse."},
          {"role":"user","content":[{"type":"text","text":"Weather in Paris and Oslo?"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]},
          {"role":"assistant","content":null,"tool_calls":[
            {"id":"call_p","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
            {"id":"call_o","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
          {"role":"tool","tool_call_id":"call_p","content":"18C"},
          {"role":"tool","tool_call_id":"call_o","content":[{"type":"text","text":"4C"}]}],
         "tools":[{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
         "temperature":0.2,"max_completion_tokens":300,"top_p":0.9,"stop":["END"],"seed":7,"n":1,"stream":false}
        """#

    /// The answer with two tool calls, cached and reasoning tokens.
    static let toolCallResponse = #"""
        {"id":"chatcmpl-abc","object":"chat.completion","created":1733200000,"model":"gpt-4o-2024-08-06",
         "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
           {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
           {"id":"call_2","type":"function","function":{"name":"get_time","arguments":"{\"tz\":\"CET\"}"}}],
           "refusal":null},"logprobs":null,"finish_reason":"tool_calls"}],
         "usage":{"prompt_tokens":120,"completion_tokens":40,"total_tokens":160,
           "prompt_tokens_details":{"cached_tokens":64,"audio_tokens":0},
           "completion_tokens_details":{"reasoning_tokens":12,"audio_tokens":0}},
         "system_fingerprint":"fp_1"}
        """#

    /// n = 2: two choices, listed out of order.
    static let twoChoicesResponse = #"""
        {"id":"chatcmpl-n2","object":"chat.completion","model":"gpt-4o-mini","choices":[
          {"index":1,"message":{"role":"assistant","content":"Bonjour"},"finish_reason":"length"},
          {"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":5,"completion_tokens":4,"total_tokens":9}}
        """#

    static let streamRequest = #"""
        {"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}
        """#

    /// Text in three chunks, finish reason in a late chunk, then the usage chunk with empty choices.
    static let textStream = #"""
        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"lo, "},"finish_reason":null}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{"content":"world"},"finish_reason":null}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

        data: {"id":"chatcmpl-s1","object":"chat.completion.chunk","created":1,"model":"gpt-4o-2024-08-06","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}}

        data: [DONE]

        """#

    /// Two parallel tool calls whose fragments interleave by `index`, arguments in 3 and 4 fragments.
    static let toolCallStream = #"""
        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":""}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"tz"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ty\":\"Pa"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"\":\"C"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ris\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"ET\"}"}}]},"finish_reason":null}]}

        data: {"id":"chatcmpl-t","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

        data: [DONE]

        """#

    /// n = 2 streamed: the choices' chunks interleave.
    static let twoChoicesStream = #"""
        data: {"id":"c2","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"A"},"finish_reason":null}]}

        data: {"id":"c2","model":"m","choices":[{"index":1,"delta":{"role":"assistant","content":"B"},"finish_reason":null}]}

        data: {"id":"c2","model":"m","choices":[{"index":1,"delta":{"content":"b"},"finish_reason":"stop"}]}

        data: {"id":"c2","model":"m","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":"length"}]}

        data: [DONE]

        """#
}
