import Synchronization
import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

extension ExchangeTests {
    @Suite("Exchange record and replay")
    struct RecordReplayTests {
        struct Mismatch: Error, CustomStringConvertible {
            var description: String { "no recorded exchange matches POST /v1/chat/completions" }
        }

        struct DiskFull: Error {}

        /// Hooks that always decide `decision` (or throw `error`) and keep what is recorded.
        final class FakeRecording: Sendable {
            let recorded = Mutex<[(LLMHTTPRequest, RecordedResponse)]>([])
            let decisions = Mutex<[Bool]>([])

            func hooks(
                _ decision: RecordReplaySession.Decision, throwing error: (any Error)? = nil,
                recordError: (any Error)? = nil
            ) -> LLMExchange.RecordReplayHooks {
                LLMExchange.RecordReplayHooks(
                    path: "/tmp/recording.jsonl",
                    decide: { _, isLLMCall in
                        self.decisions.withLock { $0.append(isLLMCall) }
                        if let error { throw error }
                        return decision
                    },
                    record: { request, response in
                        if let recordError { throw recordError }
                        self.recorded.withLock { $0.append((request, response)) }
                    })
            }
        }

        @Test("served from the recording: the route says replay, the span says replayed, the response is read as usual")
        func replayed() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let recording = FakeRecording()
                let recorded = RecordedResponse(
                    head: ExchangeTests.streamHead, chunks: ExchangeTests.streamEvents().map { Array($0.utf8) })
                let exchange = LLMExchange(
                    ExchangeTests.chatRequest(stream: true), instrumentation: LLMInstrumentation(tracer: tracer),
                    recordReplay: recording.hooks(.serve(recorded)))
                guard case .replay(let response) = try exchange.start() else {
                    Issue.record("not replayed")
                    return
                }
                #expect(response == recorded)
                exchange.receivedHead(response.head)
                for chunk in response.chunks { chunk.withUnsafeBytes { exchange.received($0) } }
                exchange.completed()
                let span = try #require(try await spool.spans().first)
                #expect(span.attributes.get("tracespool.llm.replayed") == true)
                #expect(span.attributes.get("llm.output_messages.0.message.content") == "Hello, world")
                #expect(span.attributes.get("tracespool.llm.outcome") == "completed")
                #expect(recording.decisions.withLock { $0 } == [true])
                #expect(recording.recorded.withLock { $0.isEmpty })
            }
        }

        @Test("a replay error from start(): rethrown, the span ends with it (status error, exception event)")
        func replayError() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let recording = FakeRecording()
                let exchange = LLMExchange(
                    ExchangeTests.chatRequest(), instrumentation: LLMInstrumentation(tracer: tracer),
                    recordReplay: recording.hooks(.forward(record: false), throwing: Mismatch()))
                #expect(throws: Mismatch.self) { try exchange.start() }
                exchange.receivedHead(ExchangeTests.jsonHead)
                exchange.completed()
                let spans = try await spool.spans()
                #expect(spans.count == 1)
                let span = try #require(spans.first)
                #expect(span.status?.code == .error)
                #expect(span.status?.message?.contains("no recorded exchange matches") == true)
                #expect(span.events.map(\.name) == ["exception"])
                #expect(
                    span.attributes.get("error.type") == "TraceSpoolLLMTests.ExchangeTests.RecordReplayTests.Mismatch")
                #expect(span.attributes.get("tracespool.llm.outcome") == "failed")
                #expect(span.attributes.get("http.response.status_code") == nil)
            }
        }

        @Test("a replay error for an untraced request is rethrown; there is no span")
        func replayErrorUntraced() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let recording = FakeRecording()
                let exchange = LLMExchange(
                    LLMHTTPRequest(method: "GET", url: "https://example.com/"),
                    instrumentation: LLMInstrumentation(tracer: tracer, otherRequests: .untraced),
                    recordReplay: recording.hooks(.forward(record: false), throwing: Mismatch()))
                #expect(throws: Mismatch.self) { try exchange.start() }
                #expect(recording.decisions.withLock { $0 } == [false])
                let spans = try await spool.spans()
                #expect(spans.isEmpty)
            }
        }

        @Test("recording: the chunks as received and the head without credentials, once the body completed")
        func recorded() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let recording = FakeRecording()
                let request = ExchangeTests.chatRequest()
                let exchange = LLMExchange(
                    request, instrumentation: LLMInstrumentation(tracer: tracer),
                    recordReplay: recording.hooks(.forward(record: true)))
                guard case .send = try exchange.start() else {
                    Issue.record("not sent")
                    return
                }
                exchange.receivedHead(ExchangeTests.jsonHead)
                let chunks = [
                    String(ExchangeTests.chatResponse.prefix(20)), String(ExchangeTests.chatResponse.dropFirst(20)),
                ]
                ExchangeTests.feed(exchange, chunks)
                #expect(recording.recorded.withLock { $0.isEmpty })
                exchange.completed()
                let recorded = recording.recorded.withLock { $0 }
                #expect(recorded.count == 1)
                #expect(recorded.first?.0 == request)
                #expect(recorded.first?.1.chunks == chunks.map { Array($0.utf8) })
                #expect(recorded.first?.1.head.status == 200)
                #expect(recorded.first?.1.head.headers == [LLMHTTPHeader("Content-Type", "application/json")])
                let span = try #require(try await spool.spans().first)
                #expect(span.attributes.get("tracespool.llm.replayed") == nil)
            }
        }

        @Test("a failed or abandoned exchange is not recorded; a failure to record reaches no caller")
        func notRecorded() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let recording = FakeRecording()
                let instrumentation = LLMInstrumentation(tracer: tracer)
                let failed = LLMExchange(
                    ExchangeTests.chatRequest(), instrumentation: instrumentation,
                    recordReplay: recording.hooks(.forward(record: true)))
                _ = try failed.start()
                failed.receivedHead(ExchangeTests.jsonHead)
                failed.failed(TransportError())
                do {
                    let abandoned = LLMExchange(
                        ExchangeTests.chatRequest(), instrumentation: instrumentation,
                        recordReplay: recording.hooks(.forward(record: true)))
                    _ = try abandoned.start()
                }
                let refused = LLMExchange(
                    ExchangeTests.chatRequest(), instrumentation: instrumentation,
                    recordReplay: recording.hooks(.forward(record: true), recordError: DiskFull()))
                _ = try refused.start()
                refused.receivedHead(ExchangeTests.jsonHead)
                ExchangeTests.feed(refused, [ExchangeTests.chatResponse])
                refused.completed()
                #expect(recording.recorded.withLock { $0.isEmpty })
                let outcomes = try await spool.spans().map { $0.attributes.get("tracespool.llm.outcome") }
                #expect(outcomes == ["failed", "abandoned", "completed"])
            }
        }

        @Test("the instrumentation's RecordReplay is consulted by default (pass-through: sent, not replayed)")
        func instrumentationRecordReplay() async throws {
            try await withTemporarySpool { spool in
                let tracer = spool.makeTracer()
                let instrumentation = LLMInstrumentation(
                    tracer: tracer, recordReplay: RecordReplay(mode: .passThrough, path: spool.path + "/none.jsonl"))
                let exchange = LLMExchange(ExchangeTests.chatRequest(), instrumentation: instrumentation)
                #expect(exchange.recordReplay?.path == spool.path + "/none.jsonl")
                guard case .send = try exchange.start() else {
                    Issue.record("not sent")
                    return
                }
                exchange.completed()
                #expect(try await spool.spans().count == 1)
            }
        }
    }
}
