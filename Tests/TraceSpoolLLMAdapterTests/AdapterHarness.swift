import AsyncHTTPClient
import FakeLLMProvider
import Foundation
import HTTPTypes
import NIOCore
import NIOHTTP1
import OpenAPIRuntime
import Testing
import TraceSpool
import TraceSpoolLLM
import TraceSpoolLLMHTTPClient
import TraceSpoolLLMOpenAPI
import TraceSpoolTesting

/// The two HTTP adapters, driven the same way by the tests.
enum Adapter: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// `LLMTracingMiddleware` in front of a minimal AsyncHTTPClient `ClientTransport` (`TestTransport`).
    case openAPI
    /// `LLMTracedHTTPClient`.
    case asyncHTTPClient

    var testDescription: String { rawValue }

    /// Sends one request through the adapter; the response's status, headers and a reader of its body.
    func send(
        _ instrumentation: LLMInstrumentation, method: String = "POST", baseURL: String, path: String,
        headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> TestResponse {
        switch self {
        case .openAPI:
            var fields = HTTPFields()
            for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
            let request = HTTPRequest(
                method: HTTPRequest.Method(method)!, scheme: nil, authority: nil, path: path, headerFields: fields)
            let middleware = LLMTracingMiddleware(instrumentation: instrumentation)
            let (response, responseBody) = try await middleware.intercept(
                request, body: body.map { HTTPBody($0) }, baseURL: URL(string: baseURL)!, operationID: "test",
                next: TestTransport.send)
            return TestResponse(
                status: response.status.code, headers: response.headerFields.map { ($0.name.rawName, $0.value) },
                body: BodyReader(responseBody.map { IteratorReader($0.makeAsyncIterator()) { Array($0) } }))
        case .asyncHTTPClient:
            var request = HTTPClientRequest(url: baseURL + path)
            request.method = HTTPMethod(rawValue: method)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(body) }
            let client = LLMTracedHTTPClient(client: .shared, instrumentation: instrumentation)
            let response = try await client.execute(request, timeout: .seconds(60))
            return TestResponse(
                status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                body: BodyReader(IteratorReader(response.body.makeAsyncIterator()) { Array($0.readableBytesView) }))
        }
    }
}

/// What a test sees of a response.
struct TestResponse: Sendable {
    var status: Int
    var headers: [(String, String)]
    var body: BodyReader

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// Reads a response body chunk by chunk; releasing it (and its response) before the end abandons the body.
final class BodyReader: Sendable {
    let reader: (any ChunkReader)?

    init(_ reader: (any ChunkReader)?) { self.reader = reader }

    /// The next chunk; nil at the end.
    func next() async throws -> [UInt8]? { try await reader?.next() }

    /// Everything up to the end.
    func readAll() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await next() { bytes += chunk }
        return bytes
    }

    /// The body as text.
    func text() async throws -> String { String(decoding: try await readAll(), as: UTF8.self) }
}

protocol ChunkReader: Sendable {
    func next() async throws -> [UInt8]?
}

/// One body iterator, used by one task at a time.
final class IteratorReader<Iterator: AsyncIteratorProtocol>: ChunkReader, @unchecked Sendable {
    var iterator: Iterator
    let bytes: (Iterator.Element) -> [UInt8]

    init(_ iterator: Iterator, _ bytes: @escaping (Iterator.Element) -> [UInt8]) {
        self.iterator = iterator
        self.bytes = bytes
    }

    func next() async throws -> [UInt8]? { try await iterator.next().map(bytes) }
}

/// A minimal swift-openapi-runtime transport over AsyncHTTPClient (what the middleware calls as `next`).
enum TestTransport {
    @Sendable static func send(_ request: HTTPRequest, _ body: HTTPBody?, _ baseURL: URL) async throws -> (
        HTTPResponse, HTTPBody?
    ) {
        var base = baseURL.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        var client = HTTPClientRequest(url: base + (request.path ?? ""))
        client.method = HTTPMethod(rawValue: request.method.rawValue)
        for field in request.headerFields { client.headers.add(name: field.name.rawName, value: field.value) }
        if let body { client.body = .bytes(try await [UInt8](collecting: body, upTo: 64 << 20)) }
        let response = try await HTTPClient.shared.execute(client, timeout: .seconds(60))
        var fields = HTTPFields()
        for (name, value) in response.headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return (
            HTTPResponse(status: .init(code: Int(response.status.code)), headerFields: fields),
            HTTPBody(
                response.body.map { ArraySlice($0.readableBytesView) }, length: .unknown, iterationBehavior: .single)
        )
    }
}

/// Request bodies the tests send.
enum TestBodies {
    static let weatherToolOpenAI =
        #"{"type":"function","function":{"name":"get_weather","description":"Current weather in a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}"#
    static let weatherToolAnthropic =
        #"{"name":"get_weather","description":"Current weather in a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}"#

    /// A chat completion asking the weather in `city`, tools offered.
    static func chat(city: String = "Paris", model: String = "gpt-4o-mini", stream: Bool = false) -> [UInt8] {
        let streaming = stream ? #","stream":true,"stream_options":{"include_usage":true}"# : ""
        return Array(
            #"{"model":"\#(model)","messages":[{"role":"user","content":"What is the weather in \#(city)?"}],"tools":[\#(weatherToolOpenAI)]\#(streaming)}"#
                .utf8)
    }

    /// A chat completion without tools (a text answer).
    static func plainChat(_ question: String, stream: Bool = false) -> [UInt8] {
        let streaming = stream ? #","stream":true,"stream_options":{"include_usage":true}"# : ""
        return Array(
            #"{"model":"gpt-4o-mini","messages":[{"role":"user","content":"\#(question)"}]\#(streaming)}"#.utf8)
    }

    /// An Anthropic message asking the weather in Paris, tools offered.
    static func messages(stream: Bool = false) -> [UInt8] {
        Array(
            #"{"model":"claude-haiku-4-5","max_tokens":256,"system":"Be brief.","messages":[{"role":"user","content":"What is the weather in Paris?"}],"tools":[\#(weatherToolAnthropic)]\#(stream ? #","stream":true"# : "")}"#
                .utf8)
    }

    /// An Anthropic message without tools (a text answer).
    static func plainMessages(_ question: String, stream: Bool = false) -> [UInt8] {
        Array(
            #"{"model":"claude-haiku-4-5","max_tokens":256,"messages":[{"role":"user","content":"\#(question)"}]\#(stream ? #","stream":true"# : "")}"#
                .utf8)
    }

    static let embeddings = Array(#"{"model":"text-embedding-3-small","input":["hello","world"],"dimensions":4}"#.utf8)
    static let responses = Array(
        #"{"model":"gpt-4.1-mini","input":"What is the weather in Paris?","tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]}"#
            .utf8)
}

extension RecordedSpan {
    /// Whether the span is an LLM exchange's span (a generation, with `gen_ai.operation.name`).
    var isLLMCall: Bool {
        attributes.get("gen_ai.operation.name") != nil && string("tracespool.span.type") == "generation"
    }

    /// The attribute's string value, if it is a string.
    func string(_ key: String) -> String? {
        if case .string(let s) = attributes.get(key) { return s }
        return nil
    }

    /// The attribute's integer value, if it is an integer.
    func int(_ key: String) -> Int? {
        if case .int64(let n) = attributes.get(key) { return Int(n) }
        return nil
    }

    /// Every attribute as text (`key=value`), sorted.
    var attributeLines: [String] {
        var lines: [String] = []
        attributes.forEach { key, value in lines.append("\(key)=\(value)") }
        return lines.sorted()
    }
}
