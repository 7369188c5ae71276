/// OpenAI Responses API wire text (https://platform.openai.com/docs/api-reference/responses), as the API sends it.
enum OpenAIResponsesFixtures {
    static let stringRequest = #"""
        {"model":"gpt-4.1","instructions":"Be brief.","input":"Weather in Paris?","temperature":0.5,"max_output_tokens":256,
         "tools":[{"type":"function","name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true},{"type":"web_search"}]}
        """#

    /// A follow-up: user message with parts, two function calls, their outputs, a reasoning item (left out).
    static let itemsRequest = #"""
        {"model":"gpt-4.1","stream":true,"input":[
          {"role":"user","content":[{"type":"input_text","text":"Paris and Oslo?"},{"type":"input_image","image_url":"https://x/y.png"}]},
          {"type":"reasoning","id":"rs_1","summary":[]},
          {"type":"function_call","id":"fc_1","call_id":"call_p","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
          {"type":"function_call","id":"fc_2","call_id":"call_o","name":"get_weather","arguments":"{\"city\":\"Oslo\"}"},
          {"type":"function_call_output","call_id":"call_p","output":"18C"},
          {"type":"function_call_output","call_id":"call_o","output":"4C"},
          {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Checking."}]}]}
        """#

    /// A response with a reasoning item, a message and a function call; cached and reasoning tokens.
    static let response = #"""
        {"id":"resp_1","object":"response","created_at":1733200000,"status":"completed","error":null,
         "incomplete_details":null,"model":"gpt-4.1-2025-04-14","output":[
          {"type":"reasoning","id":"rs_1","summary":[{"type":"summary_text","text":"thinking"}]},
          {"type":"message","id":"msg_1","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Let me check.","annotations":[]}]},
          {"type":"function_call","id":"fc_1","call_id":"call_w","name":"get_weather","arguments":"{\"city\":\"Paris\"}","status":"completed"}],
         "usage":{"input_tokens":300,"input_tokens_details":{"cached_tokens":128},"output_tokens":50,
          "output_tokens_details":{"reasoning_tokens":20},"total_tokens":350}}
        """#

    static let incompleteResponse = #"""
        {"id":"resp_2","object":"response","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},
         "model":"gpt-4.1","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Par"}]}],
         "usage":{"input_tokens":10,"output_tokens":1,"total_tokens":11}}
        """#

    /// A stream ending with `response.completed`, whose full response is what counts.
    static let stream = #"""
        event: response.created
        data: {"type":"response.created","sequence_number":0,"response":{"id":"resp_s","object":"response","status":"in_progress","model":"gpt-4.1-2025-04-14","output":[],"usage":null}}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":1,"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","role":"assistant","content":[]}}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":2,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Let me "}

        event: response.output_text.delta
        data: {"type":"response.output_text.delta","sequence_number":3,"item_id":"msg_1","output_index":0,"content_index":0,"delta":"check."}

        event: response.output_item.added
        data: {"type":"response.output_item.added","sequence_number":4,"output_index":1,"item":{"id":"fc_1","type":"function_call","status":"in_progress","call_id":"call_w","name":"get_weather","arguments":""}}

        event: response.function_call_arguments.delta
        data: {"type":"response.function_call_arguments.delta","sequence_number":5,"item_id":"fc_1","output_index":1,"delta":"{\"ci"}

        event: response.function_call_arguments.delta
        data: {"type":"response.function_call_arguments.delta","sequence_number":6,"item_id":"fc_1","output_index":1,"delta":"ty\":\"Par"}

        event: response.function_call_arguments.delta
        data: {"type":"response.function_call_arguments.delta","sequence_number":7,"item_id":"fc_1","output_index":1,"delta":"is\"}"}

        event: response.completed
        data: {"type":"response.completed","sequence_number":8,"response":{"id":"resp_s","object":"response","status":"completed","model":"gpt-4.1-2025-04-14","output":[{"type":"message","id":"msg_1","role":"assistant","content":[{"type":"output_text","text":"Let me check."}]},{"type":"function_call","id":"fc_1","call_id":"call_w","name":"get_weather","arguments":"{\"city\":\"Paris\"}"}],"usage":{"input_tokens":40,"input_tokens_details":{"cached_tokens":8},"output_tokens":22,"output_tokens_details":{"reasoning_tokens":4},"total_tokens":62}}}

        """#

    /// The same stream cut before `response.completed`: only the deltas say what came.
    static var cutStream: String {
        String(stream[..<stream.firstRange(of: "event: response.completed")!.lowerBound])
    }

    /// A stream that fails in-band.
    static let failedStream = #"""
        event: response.created
        data: {"type":"response.created","response":{"id":"resp_f","status":"in_progress","model":"gpt-4.1","output":[]}}

        event: response.failed
        data: {"type":"response.failed","response":{"id":"resp_f","status":"failed","model":"gpt-4.1","output":[],"error":{"code":"server_error","message":"The model failed."}}}

        """#
}
