import FakeLLMProvider
import Foundation
import Testing
import TraceSpoolTesting

/// The demo's spans read back without any of the package's code: frames by the independent spool reader
/// (`Tests/SpoolFormatTests/Python/spool_reader.py`), span records by the official opentelemetry-proto classes
/// (`Python/span_attributes.py`), so a field the tracer and its own reader agree on wrongly cannot pass.
@Suite(.timeLimit(.minutes(3))) struct IndependentDecodingTests {
    static let script: String = {
        var parts = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast()
        return parts.joined(separator: "/") + "/Python/span_attributes.py"
    }()

    /// One decoded span.
    struct DecodedSpan: Decodable {
        var name: String
        var attributes: [String: DecodedValue]
    }

    /// An attribute value as opentelemetry-proto decoded it.
    enum DecodedValue: Decodable, Equatable {
        case string(String), int(Int64), double(Double), bool(Bool), array([DecodedValue]), null

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                self = .null
            } else if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else if let i = try? c.decode(Int64.self) {
                self = .int(i)
            } else if let d = try? c.decode(Double.self) {
                self = .double(d)
            } else if let s = try? c.decode(String.self) {
                self = .string(s)
            } else {
                self = .array(try c.decode([DecodedValue].self))
            }
        }
    }

    static func decode(_ spool: String) throws -> [DecodedSpan] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, spool]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(problems)")
        return try JSONDecoder().decode([DecodedSpan].self, from: data)
    }

    @Test(arguments: ["openai", "anthropic"])
    func theAgentsAttributesDecodeIndependently(provider name: String) async throws {
        let provider = try await FakeLLMProvider.start()
        defer { Task { await provider.stop() } }
        try await withTemporarySpool { spool in
            let run = try await DemoProcess.run(
                ["--provider", name, "--base-url", provider.baseURL, "--spool", spool.path, "--stream"],
                environment: [
                    "OPENAI_API_KEY": "sk-proj-independent0123456789abcdefABCDEF", "ANTHROPIC_API_KEY": "sk-ant-x",
                ])
            #expect(run.status == 0, "\(run.stderr)")
            let spans = try Self.decode(spool.path)
            let generations = spans.filter { $0.attributes["openinference.span.kind"] == .string("LLM") }
            #expect(spans.count == 4)
            #expect(generations.count == 2)
            let first = try #require(generations.first { $0.attributes["llm.tools.0.tool.json_schema"] != nil })
            let a = first.attributes
            guard case .string(let schema)? = a["llm.tools.0.tool.json_schema"] else { return }
            #expect(schema.contains("get_weather"))
            #expect(a["llm.output_messages.0.message.tool_calls.0.tool_call.function.name"] == .string("get_weather"))
            guard
                case .string(let arguments)? = a[
                    "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments"]
            else {
                Issue.record("no tool call arguments")
                return
            }
            #expect(arguments.contains("Paris"))
            #expect(a["llm.output_messages.0.message.tool_calls.0.tool_call.id"] != nil)
            #expect(a["gen_ai.response.id"] != nil)
            #expect(a["gen_ai.response.model"] != nil)
            #expect(
                a["gen_ai.response.finish_reasons"] == .array([.string(name == "openai" ? "tool_calls" : "tool_use")]))
            #expect(a["gen_ai.request.stream"] == .bool(true))
            #expect(a["gen_ai.system"] == .string(name))
            #expect(a["gen_ai.usage.cache_read.input_tokens"] != nil)
            #expect(a["llm.token_count.prompt_details.cache_read"] == a["gen_ai.usage.cache_read.input_tokens"])
            if name == "openai" {
                #expect(a["gen_ai.usage.reasoning.output_tokens"] != nil)
                #expect(
                    a["llm.token_count.completion_details.reasoning"] == a["gen_ai.usage.reasoning.output_tokens"])
            }
            guard case .double(let ttft)? = a["gen_ai.response.time_to_first_chunk"] else {
                Issue.record("no time to first chunk")
                return
            }
            #expect(ttft >= 0)
            #expect(a["tracespool.llm.outcome"] == .string("completed"))
            let everything =
                String(decoding: try JSONEncoder().encode(spans.map(\.name)), as: UTF8.self)
                + spans.flatMap { $0.attributes.values.map { "\($0)" } }.joined()
            #expect(!everything.contains("sk-proj-independent") && !everything.contains("sk-ant-x"))
        }
    }
}
