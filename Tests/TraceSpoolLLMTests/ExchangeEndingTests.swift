import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

extension ExchangeTests {
    @Suite("Exchange endings: exactly once")
    struct EndingTests {
        /// A started streaming exchange that received the head and the first two events ("Hel", "lo, "), recorded
        /// into `recording` when given.
        static func midStream(
            _ tracer: SpoolTracer, recording: RecordReplayTests.FakeRecording? = nil
        ) throws -> LLMExchange {
            let exchange = LLMExchange(
                ExchangeTests.chatRequest(stream: true), instrumentation: LLMInstrumentation(tracer: tracer),
                recordReplay: recording?.hooks(.forward(record: true)))
            _ = try exchange.start()
            exchange.receivedHead(ExchangeTests.streamHead)
            ExchangeTests.feed(exchange, Array(ExchangeTests.streamEvents().prefix(2)))
            return exchange
        }

        /// Drops a mid-stream exchange without ending it, as a consumer that stops reading the body does.
        static func abandonMidStream(_ tracer: SpoolTracer) throws {
            _ = try midStream(tracer)
        }

        @Test("abandoned: released mid-stream, the span ends with the partial output and says so")
        func abandoned() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                try Self.abandonMidStream(tracer)
                let spans = try await spool.spans()
                #expect(spans.count == 1)
                let span = try #require(spans.first)
                #expect(span.attributes.get("tracespool.llm.outcome") == "abandoned")
                #expect(span.attributes.get("tracespool.llm.chunks") == 2)
                #expect(span.attributes.get("llm.output_messages.0.message.content") == "Hello, ")
                #expect(span.attributes.get("gen_ai.response.time_to_first_chunk") != nil)
                #expect(span.status?.code == .error)
                #expect(span.status?.message?.hasPrefix("abandoned after 2 chunks") == true)
            }
        }

        @Test("cancelled: a CancellationError, and any error reported from a cancelled task")
        func cancelled() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                try Self.midStream(tracer).failed(CancellationError())
                let exchange = try Self.midStream(tracer)
                await Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    exchange.failed(TransportError())
                }.value
                let spans = try await spool.spans()
                #expect(spans.count == 2)
                for span in spans {
                    #expect(span.attributes.get("tracespool.llm.outcome") == "cancelled")
                    #expect(span.status?.message == "cancelled after 2 chunks")
                    #expect(span.attributes.get("llm.output_messages.0.message.content") == "Hello, ")
                }
            }
        }

        @Test("failed before any response (transport error): outcome failed, exception event, Swift error type")
        func failedWithoutHead() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let exchange = LLMExchange(
                    ExchangeTests.chatRequest(), instrumentation: LLMInstrumentation(tracer: tracer))
                _ = try exchange.start()
                exchange.failed(TransportError())
                let span = try #require(try await spool.spans().first)
                #expect(span.attributes.get("tracespool.llm.outcome") == "failed")
                #expect(span.attributes.get("tracespool.llm.chunks") == 0)
                #expect(span.attributes.get("http.response.status_code") == nil)
                #expect(span.attributes.get("error.type") == "TraceSpoolLLMTests.TransportError")
                #expect(span.status?.message == "failed after 0 chunks: connection reset by peer")
                #expect(span.events.map(\.name) == ["exception"])
            }
        }

        @Test("failed mid-stream: the partial output is kept")
        func failedMidStream() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                try Self.midStream(tracer).failed(TransportError())
                let span = try #require(try await spool.spans().first)
                #expect(span.attributes.get("tracespool.llm.outcome") == "failed")
                #expect(span.attributes.get("llm.output_messages.0.message.content") == "Hello, ")
                #expect(span.attributes.get("http.response.status_code") == 200)
            }
        }

        @Test("completed then failed, failed then completed, completed then released: one span, the first ending")
        func sequentialEndings() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let recording = RecordReplayTests.FakeRecording()
                let first = try Self.midStream(tracer, recording: recording)
                first.completed()
                first.failed(TransportError())
                first.completed()
                ExchangeTests.feed(first, ["data: late\n\n"])
                let second = try Self.midStream(tracer, recording: recording)
                second.failed(TransportError())
                second.completed()
                second.failed(CancellationError())
                do {
                    let third = try Self.midStream(tracer, recording: recording)
                    third.completed()
                }
                #expect(recording.recorded.withLock { $0.map(\.1.chunks.count) } == [2, 2])
                let spans = try await spool.spans()
                #expect(spans.count == 3)
                #expect(
                    spans.map { $0.attributes.get("tracespool.llm.outcome") } == ["completed", "failed", "completed"])
                #expect(spans[0].attributes.get("tracespool.llm.chunks") == 2)
            }
        }

        @Test("completed and failed racing from two tasks, then the release: one span each, with one ending")
        func racingEndings() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let rounds = 200
                let recording = RecordReplayTests.FakeRecording()
                for _ in 0..<rounds {
                    let exchange = try Self.midStream(tracer, recording: recording)
                    await withTaskGroup(of: Void.self) { group in
                        group.addTask { exchange.completed() }
                        group.addTask { exchange.failed(TransportError()) }
                        group.addTask { ExchangeTests.feed(exchange, ["data: x\n\n"]) }
                    }
                }
                let spans = try await spool.spans()
                #expect(spans.count == rounds)
                #expect(Set(spans.map(\.spanID)).count == rounds)
                let completed = spans.filter { $0.attributes.get("tracespool.llm.outcome") == "completed" }
                #expect(recording.recorded.withLock { $0.count } == completed.count)
                for span in spans {
                    let outcome = span.attributes.get("tracespool.llm.outcome")
                    #expect(outcome == "completed" || outcome == "failed")
                    #expect((span.status?.code == .error) == (outcome == "failed"))
                }
            }
        }

        @Test("an exchange never started ends nothing; calls before start are ignored")
        func neverStarted() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                do {
                    let exchange = LLMExchange(
                        ExchangeTests.chatRequest(), instrumentation: LLMInstrumentation(tracer: tracer))
                    exchange.receivedHead(ExchangeTests.jsonHead)
                    exchange.completed()
                }
                do {
                    let exchange = LLMExchange(
                        ExchangeTests.chatRequest(), instrumentation: LLMInstrumentation(tracer: tracer))
                    exchange.failed(TransportError())
                    _ = try exchange.start()
                    exchange.completed()
                }
                #expect(try await spool.spans().map { $0.attributes.get("tracespool.llm.outcome") } == ["completed"])
            }
        }

        @Test("a second start() starts nothing")
        func startTwice() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let exchange = LLMExchange(
                    ExchangeTests.chatRequest(), instrumentation: LLMInstrumentation(tracer: tracer))
                _ = try exchange.start()
                _ = try exchange.start()
                exchange.completed()
                #expect(try await spool.spans().count == 1)
            }
        }
    }
}
