import Logging
import SpoolBase
import Synchronization

@testable import TraceSpoolLLM

/// Requests, responses and files for the recording and replay tests.
enum RecordingFixtures {
    /// A path `name` in a fresh directory of its own under the temporary directory.
    static func temporaryPath(_ name: String = "recording.json") throws -> String {
        let directory = FileSystem.join(
            FileSystem.temporaryDirectory, "tracespool-llm-recording-\(UInt64.random(in: 0 ... .max))")
        try FileSystem.makeDirectory(directory)
        return FileSystem.join(directory, name)
    }

    /// The body of a chat completion asking `question` (the user message is `messages[1]`).
    static func chatBody(_ question: String, model: String = "gpt-4o-mini", extra: String = "") -> String {
        """
        {"model":"\(model)","messages":[{"role":"system","content":"You answer weather questions."},\
        {"role":"user","content":"\(question)"}],"temperature":0.2\(extra)}
        """
    }

    /// A chat completion request asking `question`, with an API key in its headers.
    static func chatRequest(
        _ question: String, base: String = "https://api.openai.com", extra: String = "", query: String = ""
    ) -> LLMHTTPRequest {
        LLMHTTPRequest(
            method: "POST", url: base + "/v1/chat/completions" + query,
            headers: [
                LLMHTTPHeader("Content-Type", "application/json"),
                LLMHTTPHeader("Authorization", "Bearer sk-test-secret"),
            ],
            body: Array(chatBody(question, extra: extra).utf8))
    }

    /// A request with a body that is not JSON.
    static func textRequest(_ text: String) -> LLMHTTPRequest {
        LLMHTTPRequest(
            method: "POST", url: "https://example.com/upload", headers: [LLMHTTPHeader("Content-Type", "text/plain")],
            body: Array(text.utf8))
    }

    /// A non-streamed chat completion answering `answer`, in two chunks.
    static func jsonResponse(_ answer: String) -> RecordedResponse {
        let body = """
            {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,\
            "message":{"role":"assistant","content":"\(answer)"},"finish_reason":"stop"}],\
            "usage":{"prompt_tokens":20,"completion_tokens":5,"total_tokens":25}}
            """
        let bytes = Array(body.utf8)
        return RecordedResponse(
            head: LLMHTTPResponseHead(
                status: 200,
                headers: [
                    LLMHTTPHeader("Content-Type", "application/json"),
                    LLMHTTPHeader("Content-Length", "\(bytes.count)"),
                ]),
            chunks: [Array(bytes[..<10]), Array(bytes[10...])])
    }

    /// A streamed response: three server-sent-event chunks, the second not valid UTF-8 on its own (it ends inside
    /// the two bytes of `é`).
    static func streamResponse() -> RecordedResponse {
        let first = Array("data: {\"choices\":[{\"delta\":{\"content\":\"Il fait beau\"}}]}\n\n".utf8)
        let whole = Array("data: {\"choices\":[{\"delta\":{\"content\":\" à Paris, été\"}}]}\n\ndata: [DONE]\n\n".utf8)
        let split = whole.firstIndex(of: 0xC3)! + 1
        return RecordedResponse(
            head: LLMHTTPResponseHead(status: 200, headers: [LLMHTTPHeader("content-type", "text/event-stream")]),
            chunks: [first, Array(whole[..<split]), Array(whole[split...])])
    }

    /// Records `exchanges` in mode `.record` into `path`.
    static func record(_ exchanges: [(LLMHTTPRequest, RecordedResponse)], to path: String) throws {
        let recorder = RecordReplay(mode: .record, path: path)
        for (request, response) in exchanges {
            try recorder.session.record(request, response, configuration: recorder)
        }
    }

    /// `body` parsed, members sorted as a recording writes them.
    static func sortedJSON(_ body: [UInt8]) -> JSONValue? {
        (try? JSONReader.parse(body)).map { CanonicalJSON.sorted($0, normalizingNumbers: false) }
    }

    /// Writes `text` as the file at `path`.
    static func write(_ text: String, to path: String) throws {
        try FileSystem.writeAtomically(Array(text.utf8), to: path)
    }

    /// The file at `path` as text.
    static func text(at path: String) throws -> String {
        String(decoding: try FileSystem.readFile(path), as: UTF8.self)
    }
}

extension RecordReplaySession.Decision {
    /// The served response, nil for a forward.
    var served: RecordedResponse? {
        if case .serve(let response) = self { return response }
        return nil
    }

    /// Whether the decision is to forward, and to record.
    var forwarded: (Bool, record: Bool)? {
        if case .forward(let record) = self { return (true, record) }
        return nil
    }
}

/// Log messages kept in memory.
final class LogCapture: Sendable {
    private let messages = Mutex<[String]>([])

    /// What was logged, in order.
    var logged: [String] { messages.withLock { $0 } }

    /// A logger writing here.
    func logger() -> Logger {
        Logger(label: "TraceSpoolLLM.replay") { _ in Handler(capture: self) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.messages.withLock { $0.append("\(event.level): \(event.message)") }
        }
    }
}
