import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

@Suite("Provider: malformed bodies and events")
struct ProviderMalformedTests {
    static let operations: [LLMOperation] = [.chatCompletions, .responses, .embeddings, .anthropicMessages]

    @Test("a request body that is not a JSON object: no messages, tools or parameters", arguments: operations)
    func badRequest(operation: LLMOperation) throws {
        for body in ["", "{", "[1,2]", "null", #"{"model":"m",}"#, String(repeating: "[", count: 500)] {
            let span = try ProviderHarness.span(operation, path: "/openai/deployments/dep/x", request: body)
            let keys = span.attributes.keys
            #expect(!keys.contains { $0.hasPrefix("llm.input_messages") || $0.hasPrefix("llm.tools") })
            #expect(span.attributes.get("llm.invocation_parameters") == nil)
            #expect(span.attributes.get("gen_ai.request.model") == "dep")
            #expect(span.attributes.get("gen_ai.request.stream") == false)
        }
    }

    @Test("a response body that is not JSON, or of the wrong shape: no response attributes", arguments: operations)
    func badResponse(operation: LLMOperation) throws {
        let bodies = [
            "", "<html>502</html>", "{", "[]", #"{"choices":7,"content":"x","output":{},"data":{},"usage":[]}"#,
            #"{"choices":[{"message":7}],"content":[{"type":["tool_use"]}],"data":[{"embedding":{}}]}"#,
            // Cut short after whole members, or with more after the end: nothing of it is taken.
            #"{"id":"chatcmpl-1","model":"gpt-4o","usage":{"prompt_tokens":3},"choices":[{"message":{"#,
            #"{"id":"chatcmpl-1","model":"gpt-4o","usage":{"prompt_tokens":3},"choices":[]}}"#,
        ]
        for body in bodies {
            let span = try ProviderHarness.span(operation, request: "{}", body: body)
            let keys = span.attributes.keys
            #expect(!keys.contains { $0.hasPrefix("gen_ai.usage") || $0.hasPrefix("gen_ai.response") })
            #expect(!keys.contains { $0.hasPrefix("llm.output_messages.0.message.tool_calls") })
            #expect(span.attributes.get("gen_ai.embeddings.dimension.count") == nil)
        }
    }

    @Test("every prefix of every fixture body, and of every event's data, is consumed without a trap")
    func truncations() {
        let bodies: [(LLMOperation, String)] = [
            (.chatCompletions, OpenAIChatFixtures.toolCallResponse), (.responses, OpenAIResponsesFixtures.response),
            (.embeddings, OpenAIEmbeddingsFixtures.response), (.embeddings, OpenAIEmbeddingsFixtures.base64Response),
            (.anthropicMessages, AnthropicFixtures.response),
        ]
        for (operation, body) in bodies {
            let bytes = Array(body.utf8)
            for end in 0...bytes.count {
                var accumulator = ProviderRequest(operation: operation, path: "/", body: Array(bytes[..<end]))
                    .makeAccumulator()
                accumulator.consume(body: Array(bytes[..<end]))
            }
        }
        let streams: [(LLMOperation, String)] = [
            (.chatCompletions, OpenAIChatFixtures.toolCallStream), (.responses, OpenAIResponsesFixtures.stream),
            (.anthropicMessages, AnthropicFixtures.stream),
        ]
        for (operation, stream) in streams {
            var accumulator = ProviderRequest(operation: operation, path: "/", body: []).makeAccumulator()
            for event in ProviderHarness.events(stream) {
                let data = Array(event.data.utf8)
                for end in 0..<data.count { _ = accumulator.consume(event: event.name, data: data[..<end]) }
            }
        }
    }

    @Test("chat stream: bad and oddly shaped chunks are skipped, the good ones still count")
    func chatChunks() throws {
        let stream = #"""
            data: {"id":"c","choices":[{"index":0,"delta":{"content":"A"}}]}

            data: {"id":"c","choices":[{"index":0,"delta":{"content":

            data: not json

            data: {"choices":"x"}

            data: {"choices":[7,{"index":"0","delta":null},{"index":0,"delta":{"content":5,"tool_calls":"x"}}]}

            data: {"choices":[{"index":0,"delta":{"tool_calls":[{"index":-3,"function":{"arguments":7}},9]}}]}

            data: {"choices":[{"index":9223372036854775807,"delta":{"content":"Z"},"finish_reason":1}]}

            data: {"choices":[{"index":0,"delta":{"content":"B"}}],"usage":{"prompt_tokens":"3","completion_tokens":1e400}}

            data: [DONE]

            data: {"id":"after","choices":[{"index":0,"delta":{"content":"C"}}]}

            """#
        let span = try ProviderHarness.span(.chatCompletions, request: "{}", stream: stream)
        let a = span.attributes
        #expect(a.get("llm.output_messages.0.message.content") == "ABC")
        #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.id") == "")
        #expect(a.get("llm.output_messages.1.message.content") == "Z")
        #expect(a.get("gen_ai.response.id") == "c")
        #expect(a.get("gen_ai.usage.input_tokens") == nil)
        #expect(a.get("gen_ai.usage.output_tokens") == nil)
    }

    @Test("Anthropic stream: deltas for unknown blocks, events without their fields, an unknown event are skipped")
    func anthropicEvents() throws {
        let stream = #"""
            event: content_block_delta
            data: {"type":"content_block_delta","index":4,"delta":{"type":"text_delta","text":"lost"}}

            event: message_start
            data: {"type":"message_start"}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"Hi"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0}

            event: future_event
            data: {"type":"future_event","x":1}

            event: message_delta
            data: {"type":"message_delta","delta":"x","usage":7}

            """#
        let span = try ProviderHarness.span(.anthropicMessages, request: "{}", stream: stream)
        #expect(span.attributes.get("llm.output_messages.0.message.content") == "Hi")
        #expect(span.attributes.get("gen_ai.usage.input_tokens") == nil)
        #expect(span.attributes.get("gen_ai.response.finish_reasons") == nil)
    }

    @Test("Responses stream: events without output_index or item are skipped")
    func responsesEvents() throws {
        let stream = #"""
            event: response.output_item.added
            data: {"type":"response.output_item.added","item":{"type":"function_call"}}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","output_index":0,"delta":7}

            event: response.completed
            data: {"type":"response.completed","response":"done"}

            event: response.output_text.delta
            data: {"type":"response.output_text.delta","output_index":0,"delta":"ok"}

            """#
        let span = try ProviderHarness.span(.responses, request: "{}", stream: stream)
        #expect(span.attributes.get("llm.output_messages.0.message.content") == "ok")
        #expect(span.attributes.get("llm.output_messages.0.message.tool_calls.0.tool_call.id") == nil)
    }
}

@Suite("Provider: chunk reader")
struct ProviderChunkReaderTests {
    @Test(
        "white space everywhere and escapes in values are read as JSON says; a key written with escapes is not matched")
    func escapesAndSpace() throws {
        let stream = #"""
            data:  { "id" : "c\u0031" , "choices" : [ { "index" : 0 , "delta" : { "content" : "a\"b\u00e9\n" } } ] }

            data: {"choices":[{"delta":{"c\u006fntent":"lost","content":"\ud83d\ude00","tool_calls":[{"index":0,"id":"t\/1","function":{"name":"f","arguments":"{\"k\":\"\\u00e9\"}"}}]}}]}

            """#
        let span = try ProviderHarness.span(.chatCompletions, request: "{}", stream: stream)
        let a = span.attributes
        #expect(a.get("gen_ai.response.id") == "c1")
        #expect(a.get("llm.output_messages.0.message.content") == "a\"bé\n😀")
        #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.id") == "t/1")
        #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments") == #"{"k":"\u00e9"}"#)
    }

    @Test("Anthropic and Responses deltas with escapes and white space")
    func deltas() throws {
        let anthropic = #"""
            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: { "type" : "content_block_delta" , "index" : 0 , "delta" : { "type" : "text_delta" , "text" : "x\ty\u00fc" } }

            """#
        let a = try ProviderHarness.span(.anthropicMessages, request: "{}", stream: anthropic).attributes
        #expect(a.get("llm.output_messages.0.message.content") == "x\tyü")
        let responses = #"""
            event: response.output_text.delta
            data: { "type" : "response.output_text.delta", "output_index" : 0, "delta" : "\"q\"" }

            """#
        let r = try ProviderHarness.span(.responses, request: "{}", stream: responses).attributes
        #expect(r.get("llm.output_messages.0.message.content") == "\"q\"")
    }
}
