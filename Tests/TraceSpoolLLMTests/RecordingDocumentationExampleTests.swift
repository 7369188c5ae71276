// The `swift` examples of Docs/LLMRecording.md, verbatim (checked by DocumentationTests).
import Testing
import TraceSpool
import TraceSpoolLLM
import TraceSpoolTesting

@Suite("LLM recording documentation examples")
struct RecordingDocumentationExampleTests {
    /// The first example: compiled here; it runs in Docs/LLMClients.md's test against a committed recording.
    static func replayAgainstACommittedRecording(tracer: SpoolTracer) throws -> LLMInstrumentation {
        let recordReplay = RecordReplay(mode: .replay, path: "Tests/AgentTests/Recordings/weather.json")
        let instrumentation = LLMInstrumentation(tracer: tracer, recordReplay: recordReplay)
        // ... run the agent through a client instrumented with `instrumentation` ...
        #expect(try recordReplay.unusedExchanges().isEmpty)
        return instrumentation
    }

    @Test("the first example: a recording that is missing says so and what to do")
    func missingRecording() throws {
        try withTemporarySpool { spool in
            let tracer = spool.makeTracer()
            #expect(throws: RecordingError.self) { _ = try Self.replayAgainstACommittedRecording(tracer: tracer) }
        }
    }

    @Test("ignored fields as the documentation spells them")
    func ignoredFields() {
        let path = "weather.json"
        let value =
            RecordReplay(mode: .replay, path: path, ignoredFields: ["user", "metadata.run_id", "messages[*].name"])
        #expect(value.ignoredFields == ["user", "metadata.run_id", "messages[*].name"])
    }
}
