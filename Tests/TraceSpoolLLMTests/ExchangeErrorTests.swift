import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

extension ExchangeTests {
    @Suite("Exchange HTTP errors")
    struct ErrorTests {
        static func errorBody(type: String, message: String) -> String {
            #"{"error":{"message":"\#(message)","type":"\#(type)","param":null,"code":null}}"#
        }

        /// One chat call answered with `head` and `body` (in two chunks); its span.
        static func span(head: LLMHTTPResponseHead, body: String, stream: Bool = false) async throws -> RecordedSpan {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                try ExchangeTests.run(
                    ExchangeTests.chatRequest(stream: stream), instrumentation: LLMInstrumentation(tracer: tracer),
                    head: head, chunks: [String(body.prefix(10)), String(body.dropFirst(10))])
                return try #require(try await spool.spans().first)
            }
        }

        @Test("401: status error, error.type and message from the provider's error body, outcome completed")
        func unauthorized() async throws {
            let span = try await Self.span(
                head: LLMHTTPResponseHead(status: 401, headers: [LLMHTTPHeader("content-type", "application/json")]),
                body: Self.errorBody(type: "invalid_request_error", message: "Incorrect API key provided"))
            #expect(span.status?.code == .error)
            #expect(span.status?.message == "HTTP 401: Incorrect API key provided")
            #expect(span.attributes.get("error.type") == "invalid_request_error")
            #expect(span.attributes.get("http.response.status_code") == 401)
            #expect(span.attributes.get("tracespool.llm.outcome") == "completed")
            #expect(span.attributes.get("tracespool.level") == "ERROR")
            #expect(span.attributes.get("llm.output_messages.0.message.content") == nil)
        }

        @Test(
            "429 on a streaming request, no content type: Retry-After recorded, the error body read whole (not as events)"
        )
        func rateLimited() async throws {
            let span = try await Self.span(
                head: LLMHTTPResponseHead(status: 429, headers: [LLMHTTPHeader("Retry-After", "7")]),
                body: Self.errorBody(type: "rate_limit_exceeded", message: "Rate limit reached"), stream: true)
            #expect(span.attributes.get("http.response.header.retry-after") == .stringArray(["7"]))
            #expect(span.attributes.get("error.type") == "rate_limit_exceeded")
            #expect(span.status?.message == "HTTP 429: Rate limit reached")
        }

        @Test("500 with a body that is not a provider error: error.type is the status code")
        func serverError() async throws {
            let span = try await Self.span(
                head: LLMHTTPResponseHead(status: 500, headers: [LLMHTTPHeader("Content-Type", "text/html")]),
                body: "<html>Internal Server Error</html>")
            #expect(span.status?.code == .error)
            #expect(span.status?.message == "HTTP 500")
            #expect(span.attributes.get("error.type") == "500")
            #expect(span.attributes.get("http.response.header.retry-after") == nil)
        }

        @Test("a 2xx response leaves the status unset and sets no error.type")
        func success() async throws {
            let span = try await Self.span(head: ExchangeTests.jsonHead, body: ExchangeTests.chatResponse)
            #expect(span.status == nil)
            #expect(span.attributes.get("error.type") == nil)
            #expect(span.attributes.get("tracespool.level") == nil)
        }

        @Test("an error event inside a 200 stream marks the span with the provider's error type and message")
        func errorEventInStream() async throws {
            let events =
                "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
                + "data: {\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\"}}\n\n"
            let span = try await Self.span(
                head: LLMHTTPResponseHead(status: 200, headers: [LLMHTTPHeader("content-type", "text/event-stream")]),
                body: events, stream: true)
            #expect(span.status?.code == .error)
            #expect(span.status?.message == "error event in the stream: The server had an error")
            #expect(span.attributes.get("error.type") == "server_error")
            #expect(span.attributes.get("llm.output_messages.0.message.content") == "Hel")
        }
    }
}
