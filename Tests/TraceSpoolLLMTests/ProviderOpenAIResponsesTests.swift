import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

@Suite("Provider: OpenAI Responses")
struct ProviderOpenAIResponsesTests {
    @Test("request: instructions as system message, string input as user message, tools, parameters")
    func stringRequest() throws {
        let span = try ProviderHarness.span(
            .responses, path: "/v1/responses", request: OpenAIResponsesFixtures.stringRequest)
        let a = span.attributes
        #expect(a.get("gen_ai.request.model") == "gpt-4.1")
        #expect(a.get("llm.input_messages.0.message.role") == "system")
        #expect(a.get("llm.input_messages.0.message.content") == "Be brief.")
        #expect(a.get("llm.input_messages.1.message.role") == "user")
        #expect(a.get("llm.input_messages.1.message.content") == "Weather in Paris?")
        #expect(a.get("llm.input_messages.2.message.role") == nil)
        #expect(
            a.get("llm.tools.0.tool.json_schema")
                == #"{"type":"function","name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}"#
        )
        #expect(a.get("llm.tools.1.tool.json_schema") == #"{"type":"web_search"}"#)
        #expect(a.get("llm.invocation_parameters") == #"{"model":"gpt-4.1","temperature":0.5,"max_output_tokens":256}"#)
        #expect(a.get("gen_ai.request.max_tokens") == 256)
    }

    @Test("request items: parts, gathered function calls, function call outputs; reasoning left out")
    func itemsRequest() throws {
        let span = try ProviderHarness.span(
            .responses, path: "/v1/responses", request: OpenAIResponsesFixtures.itemsRequest)
        let a = span.attributes
        let m = "llm.input_messages"
        #expect(a.get("\(m).0.message.role") == "user")
        #expect(a.get("\(m).0.message.content") == "Paris and Oslo?\n[input_image]")
        #expect(a.get("\(m).1.message.role") == "assistant")
        #expect(a.get("\(m).1.message.tool_calls.0.tool_call.id") == "call_p")
        #expect(a.get("\(m).1.message.tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(a.get("\(m).1.message.tool_calls.1.tool_call.id") == "call_o")
        #expect(a.get("\(m).1.message.tool_calls.1.tool_call.function.arguments") == #"{"city":"Oslo"}"#)
        #expect(a.get("\(m).2.message.role") == "tool")
        #expect(a.get("\(m).2.message.tool_call_id") == "call_p")
        #expect(a.get("\(m).2.message.content") == "18C")
        #expect(a.get("\(m).3.message.tool_call_id") == "call_o")
        #expect(a.get("\(m).4.message.role") == "assistant")
        #expect(a.get("\(m).4.message.content") == "Checking.")
        #expect(a.get("\(m).5.message.role") == nil)
        #expect(a.get("gen_ai.request.stream") == true)
    }

    @Test("response: message text and function call in one assistant message; usage with cached and reasoning")
    func response() throws {
        let span = try ProviderHarness.span(
            .responses, path: "/v1/responses", request: OpenAIResponsesFixtures.stringRequest,
            body: OpenAIResponsesFixtures.response)
        let a = span.attributes
        let m = "llm.output_messages.0.message"
        #expect(a.get("\(m).role") == "assistant")
        #expect(a.get("\(m).content") == "Let me check.")
        #expect(a.get("\(m).tool_calls.0.tool_call.id") == "call_w")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(a.get("\(m).tool_calls.0.tool_call.function.arguments") == #"{"city":"Paris"}"#)
        #expect(a.get("gen_ai.response.id") == "resp_1")
        #expect(a.get("gen_ai.response.model") == "gpt-4.1-2025-04-14")
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["completed"]))
        #expect(a.get("gen_ai.usage.input_tokens") == 300)
        #expect(a.get("gen_ai.usage.output_tokens") == 50)
        #expect(a.get("llm.token_count.total") == 350)
        #expect(a.get("llm.token_count.prompt_details.cache_read") == 128)
        #expect(a.get("llm.token_count.completion_details.reasoning") == 20)
    }

    @Test("response: an incomplete response's reason is the finish reason")
    func incomplete() throws {
        let span = try ProviderHarness.span(
            .responses, path: "/v1/responses", request: "{}", body: OpenAIResponsesFixtures.incompleteResponse)
        #expect(span.attributes.get("gen_ai.response.finish_reasons") == .stringArray(["max_output_tokens"]))
        #expect(span.attributes.get("llm.output_messages.0.message.content") == "Par")
    }

    @Test("stream: response.completed carries the whole response")
    func stream() throws {
        let span = try ProviderHarness.span(
            .responses, path: "/v1/responses", request: OpenAIResponsesFixtures.itemsRequest,
            stream: OpenAIResponsesFixtures.stream)
        let a = span.attributes
        #expect(a.get("llm.output_messages.0.message.content") == "Let me check.")
        #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.id") == "call_w")
        #expect(
            a.get("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Paris"}"#)
        #expect(a.get("gen_ai.response.id") == "resp_s")
        #expect(a.get("gen_ai.response.finish_reasons") == .stringArray(["completed"]))
        #expect(a.get("gen_ai.usage.input_tokens") == 40)
        #expect(a.get("llm.token_count.prompt_details.cache_read") == 8)
        #expect(a.get("llm.token_count.completion_details.reasoning") == 4)
        let flags = ProviderHarness.firstOutputFlags(.responses, stream: OpenAIResponsesFixtures.stream)
        #expect(flags == [false, false, true, false, false, false, false, false, false])
    }

    @Test("stream cut before response.completed: text and function call from the deltas, id and model from created")
    func cutStream() throws {
        let span = try ProviderHarness.span(
            .responses, path: "/v1/responses", request: OpenAIResponsesFixtures.itemsRequest,
            stream: OpenAIResponsesFixtures.cutStream)
        let a = span.attributes
        #expect(a.get("llm.output_messages.0.message.content") == "Let me check.")
        #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.id") == "call_w")
        #expect(a.get("llm.output_messages.0.message.tool_calls.0.tool_call.function.name") == "get_weather")
        #expect(
            a.get("llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments") == #"{"city":"Paris"}"#)
        #expect(a.get("gen_ai.response.id") == "resp_s")
        #expect(a.get("gen_ai.response.model") == "gpt-4.1-2025-04-14")
        #expect(a.get("gen_ai.response.finish_reasons") == nil)
        #expect(a.get("gen_ai.usage.input_tokens") == nil)
    }

    @Test("stream: response.failed gives the in-band error")
    func failedStream() throws {
        var accumulator = OpenAIResponsesAccumulator()
        for event in ProviderHarness.events(OpenAIResponsesFixtures.failedStream) {
            _ = accumulator.consume(event: event.name, data: ArraySlice(event.data.utf8))
        }
        #expect(accumulator.streamError?.type == "server_error")
        #expect(accumulator.streamError?.message == "The model failed.")
        let span = try ProviderHarness.span(
            .responses, path: "/v1/responses", request: "{}", stream: OpenAIResponsesFixtures.failedStream)
        #expect(span.attributes.get("gen_ai.response.finish_reasons") == .stringArray(["failed"]))
    }
}
