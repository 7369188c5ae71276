/// Anthropic Messages wire text (https://docs.anthropic.com/en/api/messages and
/// https://docs.anthropic.com/en/docs/build-with-claude/streaming), as the API sends it.
enum AnthropicFixtures {
    /// System blocks, a user turn with an image, the assistant's tool use, the user's tool result and text; tools.
    static let request = #"""
        {"model":"claude-sonnet-4-5","max_tokens":1024,"temperature":0.3,"top_p":0.8,"top_k":40,"stop_sequences":["\n\nHuman:"],
         "system":[{"type":"text","text":"You are a weather bot.","cache_control":{"type":"ephemeral"}},{"type":"text","text":"Be brief."}],
         "messages":[
          {"role":"user","content":[{"type":"text","text":"Weather here?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
          {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"s"},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris","unit":"C"}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"18C"}]},{"type":"text","text":"Thanks"}]},
          {"role":"assistant","content":"Anything else?"}],
         "tools":[{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
         "stream":false}
        """#

    /// Text and a tool use; cache read and cache creation tokens.
    static let response = #"""
        {"id":"msg_01","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
         "content":[{"type":"text","text":"Let me check."},{"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Oslo"}}],
         "stop_reason":"tool_use","stop_sequence":null,
         "usage":{"input_tokens":20,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,"output_tokens":30}}
        """#

    /// Text in two deltas, then a tool use whose input arrives in three `input_json_delta` fragments; a ping.
    static let stream = #"""
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_s","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5-20250929","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":2048,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Let me "}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"check."}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_s","name":"get_weather","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": "}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"\"Pa"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ris\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":57}}

        event: message_stop
        data: {"type":"message_stop"}

        """#

    /// A tool use with no input deltas (a tool without parameters).
    static let noInputToolStream = #"""
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_n","model":"claude-haiku-4-5","usage":{"input_tokens":5,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_n","name":"now","input":{}}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":9}}

        """#

    /// An overloaded error mid-stream.
    static let errorStream = #"""
        event: message_start
        data: {"type":"message_start","message":{"id":"msg_e","model":"claude-sonnet-4-5","usage":{"input_tokens":5,"output_tokens":1}}}

        event: error
        data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}

        """#
}
