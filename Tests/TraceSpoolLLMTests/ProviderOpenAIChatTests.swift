import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

@Suite("Provider: OpenAI Chat Completions")
struct ProviderOpenAIChatTests {
    @Test("request: messages with content parts, tool calls and tool results; tools; parameters")
    func request() throws {
        let span = try ProviderHarness.span(.chatCompletions, request: OpenAIChatFixtures.request)
        let a = span.attributes
        #expect(a.get("gen_ai.request.model") == "gpt-4o")
        #expect(a.get("llm.model_name") == "gpt-4o")
        #expect(a.get("gen_ai.request.stream") == false)
        let m = "llm.input_messages"
        #expect(a.get("\(m).0.message.role") == "system")
        #expect(a.get("\(m).0.message.content") == "You are terse.")
        #expect(a.get("\(m).1.message.role") == "user")
        #expect(a.get("\(m).1.message.content") == "Weather in Paris and Oslo?\n[image_url]")
        #expect(a.get("\(m).2.message.role") == "assistant")
        #expect(a.get("\(m).2.message.content") == "")
        #expect(a.get("\(m).2.message.tool_calls.0.tool_call.id") == "call_p")
        #expect(a.get("\(m).2.message.tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(a.get("\(m).2.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Paris"}"#)
        #expect(a.get("\(m).2.message.tool_calls.1.tool_call.id") == "call_o")
        #expect(a.get("\(m).2.message.tool_calls.1.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(a.get("\(m).3.message.role") == "tool")
        #expect(a.get("\(m).3.message.tool_call_id") == "call_p")
        #expect(a.get("\(m).3.message.content") == "18C")
        #expect(a.get("\(m).4.message.tool_call_id") == "call_o")
        #expect(a.get("\(m).4.message.content") == "4C")
        #expect(a.get("\(m).5.message.role") == nil)
        #expect(
            a.get("llm.tools.0.tool.json_schema")
                == #"{"type":"function","function":{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}"#
        )
        #expect(a.get("llm.tools.1.tool.json_schema") == nil)
        #expect(
            a.get("llm.invocation_parameters")
                == #"{"model":"gpt-4o","temperature":0.2,"max_completion_tokens":300,"top_p":0.9,"stop":["END"],"seed":7,"n":1,"stream":false}"#
        )
        #expect(a.get("gen_ai.request.temperature") == .double(0.2))
        #expect(a.get("gen_ai.request.max_tokens") == 300)
        #expect(a.get("gen_ai.request.top_p") == .double(0.9))
        #expect(a.get("gen_ai.request.stop_sequences") == .stringArray(["END"]))
        #expect(a.get("gen_ai.request.seed") == 7)
    }

    @Test("response: tool calls, finish reason, id, model, usage with cached and reasoning tokens")
    func toolCallResponse() throws {
        let span = try ProviderHarness.span(
            .chatCompletions, request: OpenAIChatFixtures.request, body: OpenAIChatFixtures.toolCallResponse)
        let a = span.attributes
        let m = "llm.output_messages.0.message"
        #expect(a.get("\(m).role") == "assistant")
        #expect(a.get("\(m).content") == "")
        #expect(a.get("\(m).tool_calls.0.tool_call.id") == "call_1")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.arguments") == #"{"city":"Paris"}"#)
        #expect(a.get("\(m).tool_calls.1.tool_call.id") == "call_2")
        #expect(a.get("\(m).tool_calls.1.tool_call.function.name") == "get_time")
        #expect(a.get("\(m).tool_calls.1.tool_call.function.arguments") == #"{"tz":"CET"}"#)
        #expect(a.get("llm.output_messages.1.message.role") == nil)
        #expect(a.get("gen_ai.response.id") == "chatcmpl-abc")
        #expect(a.get("gen_ai.response.model") == "gpt-4o-2024-08-06")
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["tool_calls"]))
        #expect(a.get("gen_ai.usage.input_tokens") == 120)
        #expect(a.get("llm.token_count.prompt") == 120)
        #expect(a.get("gen_ai.usage.output_tokens") == 40)
        #expect(a.get("llm.token_count.completion") == 40)
        #expect(a.get("llm.token_count.total") == 160)
        #expect(a.get("llm.token_count.prompt_details.cache_read") == 64)
        #expect(a.get("gen_ai.usage.cache_read.input_tokens") == 64)
        #expect(a.get("llm.token_count.completion_details.reasoning") == 12)
        #expect(a.get("gen_ai.usage.reasoning.output_tokens") == 12)
        #expect(a.get("llm.token_count.prompt_details.cache_write") == nil)
    }

    @Test("n > 1: one output message per choice index, finish reasons in index order")
    func twoChoices() throws {
        let span = try ProviderHarness.span(
            .chatCompletions, request: #"{"model":"gpt-4o-mini","n":2,"messages":[]}"#,
            body: OpenAIChatFixtures.twoChoicesResponse)
        let a = span.attributes
        #expect(a.get("llm.output_messages.0.message.content") == "Hello")
        #expect(a.get("llm.output_messages.1.message.content") == "Bonjour")
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["stop", "length"]))
        #expect(a.get("llm.token_count.total") == 9)
    }

    @Test("stream: text appended across chunks, late finish reason, include_usage chunk with empty choices")
    func textStream() throws {
        let span = try ProviderHarness.span(
            .chatCompletions, request: OpenAIChatFixtures.streamRequest, stream: OpenAIChatFixtures.textStream)
        let a = span.attributes
        #expect(a.get("gen_ai.request.stream") == true)
        #expect(a.get("llm.output_messages.0.message.role") == "assistant")
        #expect(a.get("llm.output_messages.0.message.content") == "Hello, world")
        #expect(a.get("gen_ai.response.id") == "chatcmpl-s1")
        #expect(a.get("gen_ai.response.model") == "gpt-4o-2024-08-06")
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["stop"]))
        #expect(a.get("gen_ai.usage.input_tokens") == 8)
        #expect(a.get("gen_ai.usage.output_tokens") == 3)
        #expect(a.get("llm.token_count.total") == 11)
        #expect(a.get("llm.token_count.prompt_details.cache_read") == 0)
        #expect(
            a.get("llm.invocation_parameters")
                == #"{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true}}"#)
    }

    @Test("stream: the first chunk with text is the first output, once; role-only and empty chunks are not")
    func firstOutput() {
        let flags = ProviderHarness.firstOutputFlags(.chatCompletions, stream: OpenAIChatFixtures.textStream)
        #expect(flags == [false, true, false, false, false, false, false])
        let toolFlags = ProviderHarness.firstOutputFlags(.chatCompletions, stream: OpenAIChatFixtures.toolCallStream)
        #expect(toolFlags.first == true)
        #expect(toolFlags.dropFirst().allSatisfy { !$0 })
    }

    @Test("stream: two parallel tool calls interleaved by index, arguments split into 3 and 4 fragments")
    func toolCallStream() throws {
        let span = try ProviderHarness.span(
            .chatCompletions, request: OpenAIChatFixtures.streamRequest, stream: OpenAIChatFixtures.toolCallStream)
        let a = span.attributes
        let m = "llm.output_messages.0.message"
        #expect(a.get("\(m).content") == "")
        #expect(a.get("\(m).tool_calls.0.tool_call.id") == "call_a")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.arguments") == #"{"city":"Paris"}"#)
        #expect(a.get("\(m).tool_calls.1.tool_call.id") == "call_b")
        #expect(a.get("\(m).tool_calls.1.tool_call.function.name") == "get_time")
        #expect(a.get("\(m).tool_calls.1.tool_call.function.arguments") == #"{"tz":"CET"}"#)
        #expect(a.get("\(m).tool_calls.2.tool_call.id") == nil)
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["tool_calls"]))
        #expect(a.get("gen_ai.usage.input_tokens") == nil)
    }

    @Test("stream: n > 1 choices interleaved, one message each")
    func twoChoicesStream() throws {
        let span = try ProviderHarness.span(
            .chatCompletions, request: OpenAIChatFixtures.streamRequest, stream: OpenAIChatFixtures.twoChoicesStream)
        let a = span.attributes
        #expect(a.get("llm.output_messages.0.message.content") == "Aa")
        #expect(a.get("llm.output_messages.1.message.content") == "Bb")
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["length", "stop"]))
    }

    @Test("capture off: no messages, but model, tools-free parameters, usage and response attributes")
    func captureOff() throws {
        let span = try ProviderHarness.span(
            .chatCompletions, request: OpenAIChatFixtures.request, body: OpenAIChatFixtures.toolCallResponse
        ) { $0.captureInputOutput = false }
        let a = span.attributes
        #expect(!a.keys.contains { $0.hasPrefix("llm.input_messages") || $0.hasPrefix("llm.output_messages") })
        #expect(a.get("gen_ai.request.model") == "gpt-4o")
        #expect(a.get("gen_ai.usage.input_tokens") == 120)
        #expect(a.get("gen_ai.response.id") == "chatcmpl-abc")
    }
}
