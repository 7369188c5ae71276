import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

@Suite("Provider: Anthropic Messages")
struct ProviderAnthropicMessagesTests {
    @Test("request: system blocks, image placeholder, tool_use, tool_result, thinking left out; tools; parameters")
    func request() throws {
        let span = try ProviderHarness.span(
            .anthropicMessages, path: "/v1/messages", request: AnthropicFixtures.request)
        let a = span.attributes
        let m = "llm.input_messages"
        #expect(a.get("gen_ai.request.model") == "claude-sonnet-4-5")
        #expect(a.get("\(m).0.message.role") == "system")
        #expect(a.get("\(m).0.message.content") == "You are a weather bot.\nBe brief.")
        #expect(a.get("\(m).1.message.role") == "user")
        #expect(a.get("\(m).1.message.content") == "Weather here?\n[image]")
        #expect(a.get("\(m).2.message.role") == "assistant")
        #expect(a.get("\(m).2.message.content") == "Checking.")
        #expect(a.get("\(m).2.message.tool_calls.0.tool_call.id") == "toolu_1")
        #expect(a.get("\(m).2.message.tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(a.get("\(m).2.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Paris","unit":"C"}"#)
        #expect(a.get("\(m).3.message.role") == "tool")
        #expect(a.get("\(m).3.message.tool_call_id") == "toolu_1")
        #expect(a.get("\(m).3.message.content") == "18C")
        #expect(a.get("\(m).4.message.role") == "user")
        #expect(a.get("\(m).4.message.content") == "Thanks")
        #expect(a.get("\(m).5.message.role") == "assistant")
        #expect(a.get("\(m).5.message.content") == "Anything else?")
        #expect(a.get("\(m).6.message.role") == nil)
        #expect(
            a.get("llm.tools.0.tool.json_schema")
                == #"{"name":"get_weather","description":"Current weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}"#
        )
        #expect(
            a.get("llm.invocation_parameters")
                == #"{"model":"claude-sonnet-4-5","max_tokens":1024,"temperature":0.3,"top_p":0.8,"top_k":40,"stop_sequences":["\n\nHuman:"],"stream":false}"#
        )
        #expect(a.get("gen_ai.request.max_tokens") == 1024)
        #expect(a.get("gen_ai.request.top_k") == .double(40))
        #expect(a.get("gen_ai.request.stop_sequences") == .stringArray(["\n\nHuman:"]))
    }

    @Test("response: text and tool_use; stop_reason; input includes cache read and cache creation tokens")
    func response() throws {
        let span = try ProviderHarness.span(
            .anthropicMessages, path: "/v1/messages", request: AnthropicFixtures.request,
            body: AnthropicFixtures.response)
        let a = span.attributes
        let m = "llm.output_messages.0.message"
        #expect(a.get("\(m).role") == "assistant")
        #expect(a.get("\(m).content") == "Let me check.")
        #expect(a.get("\(m).tool_calls.0.tool_call.id") == "toolu_2")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(a.get("gen_ai.response.id") == "msg_01")
        #expect(a.get("gen_ai.response.model") == "claude-sonnet-4-5-20250929")
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["tool_use"]))
        #expect(a.get("gen_ai.usage.input_tokens") == 1120)
        #expect(a.get("llm.token_count.prompt") == 1120)
        #expect(a.get("gen_ai.usage.output_tokens") == 30)
        #expect(a.get("llm.token_count.total") == 1150)
        #expect(a.get("llm.token_count.prompt_details.cache_read") == 1000)
        #expect(a.get("gen_ai.usage.cache_read.input_tokens") == 1000)
        #expect(a.get("llm.token_count.prompt_details.cache_write") == 100)
        #expect(a.get("gen_ai.usage.cache_creation.input_tokens") == 100)
    }

    @Test("stream: text deltas, tool_use input from 3 input_json_delta fragments, usage from start and delta")
    func stream() throws {
        let span = try ProviderHarness.span(
            .anthropicMessages, path: "/v1/messages", request: AnthropicFixtures.request,
            stream: AnthropicFixtures.stream)
        let a = span.attributes
        let m = "llm.output_messages.0.message"
        #expect(a.get("\(m).content") == "Let me check.")
        #expect(a.get("\(m).tool_calls.0.tool_call.id") == "toolu_s")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.arguments") == #"{"city": "Paris"}"#)
        #expect(a.get("gen_ai.response.id") == "msg_s")
        #expect(a.get("gen_ai.response.model") == "claude-sonnet-4-5-20250929")
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["tool_use"]))
        #expect(a.get("gen_ai.usage.input_tokens") == 2073)
        #expect(a.get("gen_ai.usage.output_tokens") == 57)
        #expect(a.get("llm.token_count.prompt_details.cache_read") == 2048)
        #expect(a.get("llm.token_count.prompt_details.cache_write") == 0)
        let flags = ProviderHarness.firstOutputFlags(.anthropicMessages, stream: AnthropicFixtures.stream)
        #expect(flags.firstIndex(of: true) == 3)
        #expect(flags.filter { $0 }.count == 1)
    }

    @Test("stream: a tool_use without input deltas has the start block's input")
    func toolWithoutInput() throws {
        let span = try ProviderHarness.span(
            .anthropicMessages, path: "/v1/messages", request: "{}", stream: AnthropicFixtures.noInputToolStream)
        let a = span.attributes
        #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.function.name") == "now")
        #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments") == "{}")
        #expect(a.get("gen_ai.usage.output_tokens") == 9)
        #expect(a.get("gen_ai.usage.input_tokens") == 5)
    }

    @Test("stream: an error event gives the in-band error")
    func errorEvent() {
        var accumulator = AnthropicMessagesAccumulator()
        for event in ProviderHarness.events(AnthropicFixtures.errorStream) {
            _ = accumulator.consume(event: event.name, data: ArraySlice(event.data.utf8))
        }
        #expect(
            accumulator.streamError
                == ProviderError(body: Array(#"{"error":{"type":"overloaded_error","message":"Overloaded"}}"#.utf8)))
        #expect(accumulator.streamError?.type == "overloaded_error")
        #expect(accumulator.id == "msg_e")
    }
}
