import FakeLLMProvider
import Foundation
import Testing
import TraceSpool
import TraceSpoolLLM
import TraceSpoolTesting

/// A streamed span ends exactly once, with what was received, whether its consumer is cancelled or walks away.
/// The fake provider stalls the stream after a few events (`x-fake-stall-after`), so the consumer is mid-stream.
@Suite(.timeLimit(.minutes(2))) struct StreamEndTests {
    /// A stalled stream of each API: the events before the stall hold "Fake answer ".
    struct Stalled: Sendable, CustomTestStringConvertible {
        var api: String
        var path: String
        var body: [UInt8]
        /// Events sent before the stall.
        var events: Int
        var testDescription: String { api }
    }

    static let stalled: [Stalled] = [
        // role chunk, "Fake ", "answer "
        Stalled(
            api: "chat", path: "/v1/chat/completions", body: TestBodies.plainChat("Hi there", stream: true), events: 3),
        // message_start, content_block_start, ping, "Fake ", "answer "
        Stalled(
            api: "messages", path: "/v1/messages", body: TestBodies.plainMessages("Hi there", stream: true), events: 5),
    ]

    /// Sends the stalled stream and reads until every event before the stall arrived.
    static func readUntilStall(
        _ adapter: Adapter, _ instrumentation: LLMInstrumentation, _ provider: FakeLLMProvider,
        _ call: Stalled
    ) async throws -> TestResponse {
        let response = try await adapter.send(
            instrumentation, baseURL: provider.url, path: call.path,
            headers: [("Content-Type", "application/json"), ("x-fake-stall-after", String(call.events))],
            body: call.body)
        var text = ""
        while text.components(separatedBy: "data: ").count - 1 < call.events {
            guard let chunk = try await response.body.next() else { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return response
    }

    static func checkPartialSpan(_ spool: TemporarySpool, outcome: String) async throws {
        let spans = try await spool.contents().spans
        #expect(spans.count == 1)
        let span = try #require(spans.first)
        #expect(span.string("tracespool.llm.outcome") == outcome)
        #expect(span.string("llm.output_messages.0.message.content") == "Fake answer ")
        #expect(span.int("tracespool.llm.chunks") ?? 0 >= 1)
    }

    @Test(arguments: Adapter.allCases, stalled)
    func aCancelledStreamEndsItsSpanAsCancelled(adapter: Adapter, call: Stalled) async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let instrumentation = LLMInstrumentation(tracer: spool.makeTracer { $0.logLevel = .critical })
            let (reached, signal) = AsyncStream<Void>.makeStream()
            let consumer = Task {
                let response = try await Self.readUntilStall(adapter, instrumentation, provider, call)
                signal.yield()
                while try await response.body.next() != nil {}  // the stall: waits until cancelled
            }
            for await _ in reached { break }
            consumer.cancel()
            _ = await consumer.result
            try await Self.checkPartialSpan(spool, outcome: "cancelled")
        }
    }

    @Test(arguments: Adapter.allCases, stalled)
    func anAbandonedStreamEndsItsSpanAsAbandoned(adapter: Adapter, call: Stalled) async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let instrumentation = LLMInstrumentation(tracer: spool.makeTracer { $0.logLevel = .critical })
            // The response (and its body) is released when this returns, mid-stream.
            _ = try await Self.readUntilStall(adapter, instrumentation, provider, call).status
            try await Self.checkPartialSpan(spool, outcome: "abandoned")
        }
    }
}
