import FakeLLMProvider
import Foundation
import Testing
import TraceSpool
import TraceSpoolLLM
import TraceSpoolTesting

/// Record through an adapter, then replay offline: same bodies, same spans (bar ids, times and the replay flag),
/// and no connection reaches the provider.
@Suite struct RecordReplayAdapterTests {
    struct Step: Sendable {
        var method = "POST"
        var path: String
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: [UInt8]?
    }

    static let steps: [Step] = [
        Step(
            path: "/v1/chat/completions",
            headers: [("Content-Type", "application/json"), ("Authorization", "Bearer sk-x")],
            body: TestBodies.chat()),
        Step(path: "/v1/chat/completions", body: TestBodies.chat(stream: true)),
        Step(path: "/v1/messages", body: TestBodies.messages(stream: true)),
        Step(path: "/v1/embeddings", body: TestBodies.embeddings),
        Step(method: "GET", path: "/v1/models", body: nil),
    ]

    /// Runs `steps` through `adapter`; the response bodies and the spans.
    static func run(
        _ adapter: Adapter, _ steps: [Step], provider: FakeLLMProvider, recordReplay: RecordReplay
    )
        async throws -> (bodies: [[UInt8]], spans: [RecordedSpan])
    {
        try await withTemporarySpool { spool in
            let instrumentation = LLMInstrumentation(
                tracer: spool.makeTracer { $0.logLevel = .critical }, recordReplay: recordReplay)
            var bodies: [[UInt8]] = []
            for step in steps {
                let response = try await adapter.send(
                    instrumentation, method: step.method, baseURL: provider.url, path: step.path,
                    headers: step.headers,
                    body: step.body)
                bodies.append(try await response.body.readAll())
            }
            return (bodies, try await spool.contents().spans)
        }
    }

    /// What must match between a recorded and a replayed span: name, kind, status and the attributes that do not
    /// depend on time.
    static func comparable(_ span: RecordedSpan) -> String {
        // Time-dependent, or stamped from the process-wide agent context (`AgentContext.setUser` and friends),
        // which tests of other targets running in this process set and clear: none of them is the exchange's.
        let notTheExchanges: Set<String> = [
            "gen_ai.response.time_to_first_chunk", "tracespool.llm.replayed", "user.id", "session.id",
            "gen_ai.conversation.id", "metadata", "tag.tags",
        ]
        let attributes = span.attributeLines.filter { line in
            !notTheExchanges.contains(String(line.prefix { $0 != "=" }))
        }
        return "\(span.operationName) \(span.kind) \(String(describing: span.status))\n"
            + attributes.joined(separator: "\n")
    }

    @Test(arguments: Adapter.allCases)
    func replayServesTheRecordingWithoutASocket(adapter: Adapter) async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        let recording = NSTemporaryDirectory() + "llm-recording-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: recording) }
        let recorded = try await Self.run(
            adapter, Self.steps, provider: provider,
            recordReplay: RecordReplay(mode: .record, path: recording))
        let connections = provider.acceptedConnections
        let served = provider.requestsServed
        #expect(served == Self.steps.count)
        let replayed = try await Self.run(
            adapter, Self.steps, provider: provider,
            recordReplay: RecordReplay(mode: .replay, path: recording))
        #expect(provider.acceptedConnections == connections, "replay opened a connection")
        #expect(provider.requestsServed == served)
        #expect(replayed.bodies == recorded.bodies)
        #expect(replayed.spans.count == recorded.spans.count)
        #expect(recorded.spans.map(Self.comparable).sorted() == replayed.spans.map(Self.comparable).sorted())
        #expect(replayed.spans.allSatisfy { $0.attributes.get("tracespool.llm.replayed") == .bool(true) })
        #expect(recorded.spans.allSatisfy { $0.attributes.get("tracespool.llm.replayed") == nil })
    }

    @Test(arguments: Adapter.allCases)
    func aChangedPromptIsAMismatchNamingTheField(adapter: Adapter) async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        let recording = NSTemporaryDirectory() + "llm-recording-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: recording) }
        _ = try await Self.run(
            adapter, [Self.steps[0]], provider: provider,
            recordReplay: RecordReplay(mode: .record, path: recording))
        var changed = Self.steps[0]
        changed.body = TestBodies.chat(city: "Lyon")
        for level in RecordReplay.Level.allCases {
            let error = await #expect(throws: ReplayMismatchError.self) {
                _ = try await Self.run(
                    adapter, [changed], provider: provider,
                    recordReplay: RecordReplay(mode: .replay, path: recording, level: level))
            }
            #expect("\(error.map { $0 } as Any)".contains("messages[0].content"))
        }
        // No counterpart at all (another path): strict is a leak, relaxed passes through to the provider.
        let served = provider.requestsServed
        await #expect(throws: DeterminismLeakError.self) {
            _ = try await Self.run(
                adapter, [Step(path: "/v1/embeddings", body: TestBodies.embeddings)], provider: provider,
                recordReplay: RecordReplay(mode: .replay, path: recording, level: .strict))
        }
        #expect(provider.requestsServed == served)
        let relaxed = try await Self.run(
            adapter, [Step(path: "/v1/embeddings", body: TestBodies.embeddings)], provider: provider,
            recordReplay: RecordReplay(mode: .replay, path: recording, level: .relaxed))
        #expect(provider.requestsServed == served + 1)
        #expect(relaxed.spans.first?.attributes.get("tracespool.llm.replayed") == nil)
    }
}
