import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

extension ExchangeTests {
    @Suite("Exchange spans")
    struct SpanTests {
        @Test("a non-streamed chat call: generation span of kind client under the caller's span, named after the model")
        func nonStreamedChat() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let instrumentation = LLMInstrumentation(tracer: tracer)
                try tracer.withSpan(.agent, "agent") { _ in
                    try ExchangeTests.run(
                        ExchangeTests.chatRequest(), instrumentation: instrumentation, head: ExchangeTests.jsonHead,
                        chunks: [
                            String(ExchangeTests.chatResponse.prefix(50)),
                            String(ExchangeTests.chatResponse.dropFirst(50)),
                        ])
                }
                let spans = try await spool.spans()
                let agent = try #require(spans.first { $0.operationName == "agent" })
                let span = try #require(spans.first { $0.operationName == "chat gpt-4o" })
                #expect(span.parentSpanID == agent.spanID)
                #expect(span.traceID == agent.traceID)
                #expect(span.kind == .client)
                #expect(span.status == nil)
                let a = span.attributes
                #expect(a.get("tracespool.span.type") == "generation")
                #expect(a.get("openinference.span.kind") == "LLM")
                #expect(a.get("gen_ai.operation.name") == "chat")
                #expect(a.get("gen_ai.request.model") == "gpt-4o")
                for key in ["gen_ai.system", "gen_ai.provider.name", "llm.system", "llm.provider"] {
                    #expect(a.get(key) == "openai", "\(key)")
                }
                #expect(a.get("http.request.method") == "POST")
                #expect(a.get("url.full") == "https://api.openai.com/v1/chat/completions")
                #expect(a.get("server.address") == "api.openai.com")
                #expect(a.get("server.port") == 443)
                #expect(a.get("http.response.status_code") == 200)
                #expect(a.get("tracespool.llm.outcome") == "completed")
                #expect(a.get("tracespool.llm.chunks") == 2)
                #expect(a.get("llm.output_messages.0.message.content") == "It is sunny.")
                #expect(a.get("gen_ai.response.time_to_first_chunk") == nil)
                #expect(a.get("error.type") == nil)
                #expect(a.get("tracespool.llm.replayed") == nil)
            }
        }

        @Test("a streamed chat call: output assembled from the events, time to first token, completed")
        func streamedChat() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let exchange = LLMExchange(
                    ExchangeTests.chatRequest(stream: true), instrumentation: LLMInstrumentation(tracer: tracer))
                _ = try exchange.start()
                exchange.receivedHead(ExchangeTests.streamHead)
                // Chunk boundaries anywhere, not at event boundaries.
                let stream = ExchangeTests.streamEvents().joined()
                ExchangeTests.feed(
                    exchange,
                    [
                        String(stream.prefix(37)), String(stream.dropFirst(37).prefix(90)),
                        String(stream.dropFirst(127)),
                    ])
                exchange.completed()
                let span = try #require(try await spool.spans().first)
                let a = span.attributes
                #expect(span.operationName == "chat gpt-4o")
                #expect(a.get("llm.output_messages.0.message.content") == "Hello, world")
                #expect(a.get("tracespool.llm.outcome") == "completed")
                #expect(a.get("tracespool.llm.chunks") == 3)
                guard case .double(let ttft)? = a.get("gen_ai.response.time_to_first_chunk") else {
                    Issue.record("no time to first chunk: \(a)")
                    return
                }
                #expect(ttft > 0)
                #expect(Double(span.endNanosecondsSinceEpoch - span.startNanosecondsSinceEpoch) / 1e9 >= ttft)
            }
        }

        @Test("an embeddings call: an embedding span named after the model")
        func embeddings() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let request = LLMHTTPRequest(
                    method: "POST", url: "https://api.openai.com/v1/embeddings",
                    body: Array(#"{"model":"text-embedding-3-small","input":"hello"}"#.utf8))
                try ExchangeTests.run(
                    request, instrumentation: LLMInstrumentation(tracer: tracer), head: ExchangeTests.jsonHead,
                    chunks: [#"{"object":"list","data":[{"embedding":[0.1,0.2]}],"model":"text-embedding-3-small"}"#])
                let span = try #require(try await spool.spans().first)
                #expect(span.operationName == "embeddings text-embedding-3-small")
                #expect(span.attributes.get("tracespool.span.type") == "embedding")
                #expect(span.attributes.get("openinference.span.kind") == "EMBEDDING")
                #expect(span.attributes.get("gen_ai.operation.name") == "embeddings")
            }
        }

        @Test("a streaming request whose response has no content type is decoded as a stream")
        func streamWithoutContentType() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                try ExchangeTests.run(
                    ExchangeTests.chatRequest(stream: true), instrumentation: LLMInstrumentation(tracer: tracer),
                    head: LLMHTTPResponseHead(status: 200), chunks: ExchangeTests.streamEvents())
                let span = try #require(try await spool.spans().first)
                #expect(span.attributes.get("llm.output_messages.0.message.content") == "Hello, world")
            }
        }

        @Test(
            "the provider: set, or from the operation and host",
            arguments: [
                ("https://api.openai.com/v1/chat/completions", nil, "openai"),
                (
                    "https://res1.openai.azure.com/openai/deployments/d1/chat/completions?api-version=2024-06-01", nil,
                    "azure.ai.openai"
                ),
                ("https://api.anthropic.com/v1/messages", nil, "anthropic"),
                ("http://localhost:8080/v1/messages", nil, "anthropic"),
                ("https://api.groq.com/openai/v1/chat/completions", nil, "groq"),
                ("https://openrouter.ai/api/v1/chat/completions", nil, "openrouter"),
                ("http://127.0.0.1:11434/v1/chat/completions", nil, "openai"),
                ("http://127.0.0.1:8000/v1/chat/completions", "vllm", "vllm"),
            ] as [(String, String?, String)])
        func provider(url: String, configured: String?, expected: String) async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let instrumentation = LLMInstrumentation(tracer: tracer, provider: configured)
                try ExchangeTests.run(
                    ExchangeTests.chatRequest(url: url), instrumentation: instrumentation,
                    head: ExchangeTests.jsonHead, chunks: [ExchangeTests.chatResponse])
                let span = try #require(try await spool.spans().first)
                for key in ["gen_ai.system", "gen_ai.provider.name", "llm.system", "llm.provider"] {
                    #expect(span.attributes.get(key) == .string(expected), "\(key)")
                }
            }
        }

        @Test("server address and port from the URL: explicit port, IPv6 literal, http default, user info dropped")
        func urlParts() {
            func parts(_ url: String) -> [String] {
                let p = HTTPSpanAttributes.URLParts(url)
                return [p.scheme, p.host, p.port.map { String($0) } ?? "nil", p.path]
            }
            #expect(
                parts("https://u:p@R1.openai.azure.com:8443/openai/x?api-version=1#f")
                    == ["https", "r1.openai.azure.com", "8443", "/openai/x"])
            #expect(parts("http://[::1]:8080/v1/embeddings") == ["http", "::1", "8080", "/v1/embeddings"])
            #expect(parts("http://localhost") == ["http", "localhost", "80", "/"])
            #expect(parts("/v1/chat/completions") == ["", "", "nil", "/v1/chat/completions"])
        }

        @Test("credentials are in no attribute: Authorization, x-api-key, api-key headers, ?key= and user info")
        func noCredentials() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let secret = ExchangeTests.secret
                let headers = [
                    ExchangeTests.authorization, LLMHTTPHeader("x-api-key", secret), LLMHTTPHeader("api-key", secret),
                ]
                let instrumentation = LLMInstrumentation(tracer: tracer)
                try ExchangeTests.run(
                    ExchangeTests.chatRequest(
                        url: "https://user:\(secret)@api.openai.com/v1/chat/completions?key=\(secret)&x=1",
                        headers: headers),
                    instrumentation: instrumentation, head: ExchangeTests.jsonHead,
                    chunks: [ExchangeTests.chatResponse])
                try ExchangeTests.run(
                    LLMHTTPRequest(
                        method: "GET", url: "https://example.com/v1/models?api_key=\(secret)", headers: headers),
                    instrumentation: instrumentation, head: ExchangeTests.jsonHead, chunks: ["{}"])
                let spans = try await spool.spans()
                #expect(spans.count == 2)
                for span in spans {
                    let leaked = ExchangeTests.attributeStrings(span).filter { $0.contains(secret) }
                    #expect(leaked.isEmpty, "\(span.operationName)")
                    #expect(span.attributes.get("url.full") != nil)
                }
                #expect(
                    spans[0].attributes.get("url.full")
                        == "https://api.openai.com/v1/chat/completions?key=REDACTED&x=1")
                #expect(spans[1].attributes.get("url.full") == "https://example.com/v1/models?api_key=REDACTED")
            }
        }

        @Test("a request that is not an LLM call: a CLIENT span named after its method, with the HTTP attributes")
        func otherRequestClientSpan() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let request = LLMHTTPRequest(method: "GET", url: "http://127.0.0.1:9000/v1/models")
                let exchange = LLMExchange(request, instrumentation: LLMInstrumentation(tracer: tracer))
                #expect(exchange.isTraced)
                _ = try exchange.start()
                exchange.receivedHead(LLMHTTPResponseHead(status: 404))
                ExchangeTests.feed(exchange, ["not found"])
                exchange.completed()
                let span = try #require(try await spool.spans().first)
                #expect(span.operationName == "GET")
                #expect(span.kind == .client)
                let a = span.attributes
                #expect(a.get("tracespool.span.type") == nil)
                #expect(a.get("gen_ai.system") == nil)
                #expect(a.get("http.request.method") == "GET")
                #expect(a.get("url.full") == "http://127.0.0.1:9000/v1/models")
                #expect(a.get("server.address") == "127.0.0.1")
                #expect(a.get("server.port") == 9000)
                #expect(a.get("http.response.status_code") == 404)
                #expect(a.get("error.type") == "404")
                #expect(span.status?.code == .error)
            }
        }

        @Test("a request that is not an LLM call, untraced: no span, isTraced false; an LLM call is traced anyway")
        func otherRequestUntraced() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let instrumentation = LLMInstrumentation(tracer: tracer, otherRequests: .untraced)
                let request = LLMHTTPRequest(method: "GET", url: "https://api.openai.com/v1/models")
                let exchange = LLMExchange(request, instrumentation: instrumentation)
                #expect(!exchange.isTraced)
                #expect(LLMExchange(ExchangeTests.chatRequest(), instrumentation: instrumentation).isTraced)
                guard case .send(let sent) = try exchange.start() else {
                    Issue.record("not sent")
                    return
                }
                #expect(sent == request)
                exchange.receivedHead(ExchangeTests.jsonHead)
                ExchangeTests.feed(exchange, ["{}"])
                exchange.completed()
                try ExchangeTests.run(
                    ExchangeTests.chatRequest(), instrumentation: instrumentation, head: ExchangeTests.jsonHead,
                    chunks: [ExchangeTests.chatResponse])
                #expect(try await spool.spans().map(\.operationName) == ["chat gpt-4o"])
            }
        }

        @Test("the request is sent as given, credentials intact")
        func sendsRequestAsGiven() throws {
            try withTemporarySpool { spool in
                let request = ExchangeTests.chatRequest()
                let exchange = LLMExchange(request, instrumentation: LLMInstrumentation(tracer: spool.makeTracer()))
                guard case .send(let sent) = try exchange.start() else {
                    Issue.record("not sent")
                    return
                }
                #expect(sent == request)
                exchange.completed()
            }
        }
    }
}
