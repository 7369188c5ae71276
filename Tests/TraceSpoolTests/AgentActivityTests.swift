import Foundation
import OTLPWire
import Testing
import Tracing
@testable import TraceSpool

extension TracerTests {
@Suite("Agent activity records, capture switches and I/O limits")
struct AgentActivityTests {
    /// 40 two-byte characters (80 UTF-8 bytes).
    static let wide = String(repeating: "é", count: 40)

    @Test("truncation cuts at a scalar boundary, keeps whole characters and leaves fitting values alone")
    func truncation() {
        #expect(JSONCapture.truncate("ééé", 4) == "éé…[truncated]")
        #expect(JSONCapture.truncate("ééé", 5) == "éé…[truncated]")
        #expect(JSONCapture.truncate("a😀b", 3) == "a…[truncated]")
        #expect(JSONCapture.truncate("a😀b", 5) == "a😀…[truncated]")
        #expect(JSONCapture.truncate("éé", 4) == "éé")
        #expect(JSONCapture.truncate(Self.wide, 0) == Self.wide)
    }

    @Test("message contents and model parameters are cut to maxInputOutputBytes; small ones are intact")
    func messagesAndParametersLimit() throws {
        let dir = TempDir("io-limit")
        defer { dir.cleanup() }
        let tracer = SpoolTracer(configuration: testConfiguration(dir) { $0.maxInputOutputBytes = 21 })
        tracer.withGeneration(
            "big", model: "m", parameters: ["stop": Self.wide],
            messages: [ChatMessage(role: "user", content: Self.wide), ChatMessage(role: "user", content: "hi")]
        ) { generation in
            generation.setOutputMessages([ChatMessage(role: "assistant", content: Self.wide)])
        }
        tracer.withGeneration(
            "small", model: "m", parameters: ["temperature": 0.5], messages: [ChatMessage(role: "user", content: "hi")]
        ) { generation in
            generation.setOutputMessages([ChatMessage(role: "assistant", content: "ok")])
        }
        tracer.shutdown()
        let spans = try readSpool(dir.spool)
        let cut = String(repeating: "é", count: 10) + "…[truncated]"  // 21 bytes cut back to 20
        let big = try #require(spans.spans(named: "big").first)
        #expect(big.string("llm.input_messages.0.message.content") == cut)
        #expect(big.string("llm.input_messages.1.message.content") == "hi")
        #expect(big.string("llm.output_messages.0.message.content") == cut)
        // `{"stop":"` is 9 bytes: 6 characters fill the 21.
        let parameters = #"{"stop":""# + String(repeating: "é", count: 6) + "…[truncated]"
        #expect(big.string("llm.invocation_parameters") == parameters)
        #expect(big.string("input.value")?.hasSuffix("…[truncated]") == true)
        let small = try #require(spans.spans(named: "small").first)
        #expect(small.string("llm.invocation_parameters") == #"{"temperature":0.5}"#)
        #expect(small.string("llm.input_messages.0.message.content") == "hi")
        #expect(small.string("llm.output_messages.0.message.content") == "ok")
    }
}
}
