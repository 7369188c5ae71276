import Synchronization
import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

/// The suites of `LLMExchange` (spans, errors, endings, record/replay) and what they share: the requests, responses
/// and the driving of an exchange the way an adapter does it.
@Suite("LLM exchange")
struct ExchangeTests {
    static let chatURL = "https://api.openai.com/v1/chat/completions"

    /// A Chat Completions request offering one tool, with an `Authorization` header.
    static func chatRequest(
        url: String = chatURL, stream: Bool = false, headers: [LLMHTTPHeader] = [authorization]
    ) -> LLMHTTPRequest {
        let body = """
            {"model":"gpt-4o","stream":\(stream),"messages":[{"role":"user","content":"Weather in Paris?"}],\
            "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}]}
            """
        return LLMHTTPRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8))
    }

    static let secret = "sk-test-SECRET-0123456789"
    static let authorization = LLMHTTPHeader("Authorization", "Bearer \(secret)")

    static let jsonHead = LLMHTTPResponseHead(
        status: 200, headers: [LLMHTTPHeader("Content-Type", "application/json"), LLMHTTPHeader("Set-Cookie", "s=1")])
    static let streamHead = LLMHTTPResponseHead(
        status: 200, headers: [LLMHTTPHeader("Content-Type", "text/event-stream; charset=utf-8")])

    static let chatResponse = """
        {"id":"chatcmpl-1","object":"chat.completion","model":"gpt-4o-2024-08-06","choices":[{"index":0,\
        "message":{"role":"assistant","content":"It is sunny."},"finish_reason":"stop"}],\
        "usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16}}
        """

    /// The server-sent events of a streamed answer "Hello, world": one event a piece.
    static func streamEvents(_ pieces: [String] = ["Hel", "lo, ", "world"]) -> [String] {
        pieces.map {
            #"data: {"id":"c1","choices":[{"index":0,"delta":{"content":"\#($0)"}}]}"# + "\n\n"
        } + ["data: [DONE]\n\n"]
    }

    /// Reports `chunks` as an adapter does.
    static func feed(_ exchange: LLMExchange, _ chunks: [String]) {
        for chunk in chunks {
            Array(chunk.utf8).withUnsafeBytes { exchange.received($0) }
        }
    }

    /// Starts an exchange for `request`, reports `head` and `chunks`, and completes it: a whole exchange.
    static func run(
        _ request: LLMHTTPRequest, instrumentation: LLMInstrumentation, head: LLMHTTPResponseHead,
        chunks: [String]
    ) throws {
        let exchange = LLMExchange(request, instrumentation: instrumentation)
        _ = try exchange.start()
        exchange.receivedHead(head)
        feed(exchange, chunks)
        exchange.completed()
    }

    /// Every string value of every attribute of `span`, arrays flattened.
    static func attributeStrings(_ span: RecordedSpan) -> [String] {
        var values: [String] = []
        span.attributes.forEach { _, value in
            switch value {
            case .string(let s): values.append(s)
            case .stringArray(let a): values.append(contentsOf: a)
            default: values.append("\(value)")
            }
        }
        return values
    }
}

/// A `ServerSentEventSink` that keeps every event.
struct CollectedEvents: ServerSentEventSink, Equatable {
    struct Event: Equatable, CustomStringConvertible {
        var name: String?
        var data: String
        var description: String { "(\(name ?? "nil"), \(data.debugDescription))" }
    }

    var events: [Event] = []

    mutating func event(_ name: String?, _ data: ArraySlice<UInt8>) {
        events.append(Event(name: name, data: String(decoding: data, as: UTF8.self)))
    }
}

/// An error a transport reports.
struct TransportError: Error, CustomStringConvertible {
    var description: String { "connection reset by peer" }
}
