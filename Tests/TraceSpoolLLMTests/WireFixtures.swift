import SpoolBase
import Testing
import TraceSpool
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

/// Runs provider wire text through `ProviderRequest` and its accumulator on a span of a real tracer, and reads the
/// span back from the spool.
enum ProviderHarness {
    /// One server-sent event: its `event:` name and its data.
    struct Event {
        var name: String?
        var data: String
    }

    /// The span that `request` (sent to `path`) and the response `body` or `stream` make.
    static func span(
        _ operation: LLMOperation, path: String = "/v1/chat/completions", request: String, body: String? = nil,
        stream: String? = nil, configure: (inout TracerConfiguration) -> Void = { _ in }
    ) throws -> RecordedSpan {
        try withTemporarySpool { spool in
            let tracer = spool.makeTracer(configure)
            let span = tracer.startSpan(.generation, "llm")
            let providerRequest = ProviderRequest(operation: operation, path: path, body: Array(request.utf8))
            providerRequest.apply(to: span)
            var accumulator = providerRequest.makeAccumulator()
            if let body { accumulator.consume(body: Array(body.utf8)) }
            if let stream {
                for event in events(stream) {
                    _ = accumulator.consume(event: event.name, data: ArraySlice(event.data.utf8))
                }
            }
            accumulator.apply(to: span)
            span.end()
            let contents = try spool.contents()
            return try #require(contents.span(named: "llm"))
        }
    }

    /// The events of SSE text (`event:` and `data:` lines, a blank line ending each event; data lines joined with
    /// "\n"), in order. The real decoder is `ServerSentEventDecoder`; this one knows only what the fixtures use.
    static func events(_ text: String) -> [Event] {
        var result: [Event] = []
        var name: String?
        var data: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty {
                if !data.isEmpty { result.append(Event(name: name, data: data.joined(separator: "\n"))) }
                name = nil
                data = []
            } else if line.hasPrefix("event:") {
                name = String(line.dropFirst(6)).trimmingSpaces
            } else if line.hasPrefix("data:") {
                var value = line.dropFirst(5)
                if value.first == " " { value = value.dropFirst() }
                data.append(String(value))
            }
        }
        if !data.isEmpty { result.append(Event(name: name, data: data.joined(separator: "\n"))) }
        return result
    }

    /// What `consume(event:data:)` returned for each event of `stream`, in order.
    static func firstOutputFlags(_ operation: LLMOperation, request: String = "{}", stream: String) -> [Bool] {
        var accumulator = ProviderRequest(operation: operation, path: "/", body: Array(request.utf8)).makeAccumulator()
        return events(stream).map { accumulator.consume(event: $0.name, data: ArraySlice($0.data.utf8)) }
    }
}

extension SpanAttributes {
    /// The string of `key`, nil when absent or not a string.
    func string(_ key: String) -> String? {
        guard case .string(let s)? = get(key) else { return nil }
        return s
    }

    /// Every key present.
    var keys: [String] {
        var keys: [String] = []
        forEach { key, _ in keys.append(key) }
        return keys
    }
}
