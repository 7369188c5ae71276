import AsyncHTTPClient
import NIOCore
import SpoolBase
import TraceSpool
import TraceSpoolLLMHTTPClient

/// The demo's agent: asks the model with `get_weather` offered, runs each tool call it gets as a tool span, sends
/// the results back, and returns the model's final text. Every model call goes through `LLMTracedHTTPClient`, so
/// each becomes a generation span without code here.
struct DemoAgent {
    var client: LLMTracedHTTPClient
    var provider: DemoProvider
    var baseURL: String
    var model: String
    var stream: Bool
    var key: String?
    /// The most one model call may take, its answer included.
    var timeout: TimeAmount
    var tracer: SpoolTracer

    /// The most model calls one question makes.
    static let maximumTurns = 4

    /// Runs the agent loop for `question`; the final answer.
    func answer(_ question: String) async throws -> String {
        var messages = [provider.userMessage(question)]
        for _ in 0..<Self.maximumTurns {
            let turn = try await call(messages)
            guard !turn.toolCalls.isEmpty else { return turn.text }
            messages.append(turn.assistantMessage)
            for call in turn.toolCalls {
                let result = runTool(call)
                messages.append(provider.toolResultMessage(callID: call.id, result: result))
            }
        }
        throw DemoError.tooManyTurns(Self.maximumTurns)
    }

    /// One tool call, as a tool span.
    func runTool(_ call: DemoToolCall) -> String {
        tracer.withTool(call.name, input: call.arguments) { span in
            let result: String
            if call.name == DemoWeather.name, let city = DemoWeather.city(arguments: call.arguments) {
                result = DemoWeather.report(city: city)
            } else {
                result = #"{"error":"unknown tool or arguments"}"#
                span.setStatus(.init(code: .error, message: "unknown tool \(call.name)"))
            }
            span.setOutput(result)
            return result
        }
    }

    /// One model call: POST the conversation, read the answer.
    func call(_ messages: [JSONValue]) async throws -> DemoTurn {
        var request = HTTPClientRequest(url: baseURL + provider.path)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in provider.headers(key: key) { request.headers.add(name: name, value: value) }
        request.body = .bytes(provider.body(model: model, messages: messages, stream: stream))
        let response = try await client.execute(request, timeout: timeout)
        var body: [UInt8] = []
        for try await buffer in response.body {
            body += buffer.readableBytesView
            if body.count > 64 << 20 { throw DemoError.malformedAnswer("an answer over 64 MiB") }
        }
        guard (200..<300).contains(response.status.code) else {
            throw DemoError.provider(status: Int(response.status.code), body: String(decoding: body, as: UTF8.self))
        }
        do {
            return stream && response.headers.first(name: "content-type")?.hasPrefix("text/event-stream") == true
                ? try provider.turn(events: body) : try provider.turn(json: body)
        } catch let error as JSONParseError {
            throw DemoError.malformedAnswer("\(error)")
        }
    }
}
