import SpoolBase
import Testing

@testable import TraceSpoolLLM

@Suite("LLM recording documentation")
struct RecordingDocumentationTests {
    /// The ```json block of Docs/LLMRecording.md.
    func documentedExample() throws -> String {
        var directory = FileSystem.split(#filePath).directory
        for _ in 0..<2 { directory = FileSystem.split(directory).directory }
        let text = String(decoding: try FileSystem.readFile(directory + "/Docs/LLMRecording.md"), as: UTF8.self)
        let start = try #require(text.firstRange(of: "```json\n")).upperBound
        let end = try #require(text[start...].firstRange(of: "\n```")).lowerBound
        return String(text[start..<end]) + "\n"
    }

    @Test("the documented example is a valid recording, laid out exactly as the writer writes it")
    func example() throws {
        let example = try documentedExample()
        let read = try RecordingCodec.decode(Array(example.utf8), path: "Docs/LLMRecording.md")
        #expect(read.count == 3)
        let rewritten = RecordingCodec.document(
            blocks: read.map { RecordingCodec.block(RecordingCodec.encode($0.exchange)) })
        #expect(String(decoding: rewritten, as: UTF8.self) == example)
        // The stream keeps its two chunks; the last response has a chunk boundary inside `°`.
        #expect(read[1].exchange.response.chunks.count == 2)
        #expect(read[2].exchange.response.chunks.flatMap { $0 } == Array("Paris: sunny, 24 °C".utf8))

        // The documented example replays: the first request matches with its members in another order.
        let path = try RecordingFixtures.temporaryPath()
        try RecordingFixtures.write(example, to: path)
        let replay = RecordReplay(mode: .replay, path: path)
        let request = LLMHTTPRequest(
            method: "POST", url: "http://127.0.0.1:8080/v1/chat/completions",
            body: Array(
                #"{"model":"gpt-4o-mini","tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],"messages":[{"role":"user","content":"What is the weather in Paris?"}]}"#
                    .utf8))
        let served = try #require(try replay.session.decide(request, isLLMCall: true, configuration: replay).served)
        #expect(served.head.status == 200)
        #expect(
            try replay.unusedExchanges() == [
                "exchanges[1]: POST /v1/chat/completions", "exchanges[2]: GET /v1/forecast?city=Paris",
            ])
    }
}
