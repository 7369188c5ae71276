import Testing

@testable import TraceSpoolLLM

@Suite("Provider: error bodies")
struct ProviderErrorTests {
    func error(_ text: String) -> ProviderError { ProviderError(body: Array(text.utf8)) }

    @Test("OpenAI: type, else code")
    func openAI() {
        let e = error(
            #"{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}"#)
        #expect(e.type == "requests")
        #expect(e.message == "Rate limit reached")
        let noType = error(#"{"error":{"message":"Incorrect API key","type":null,"code":"invalid_api_key"}}"#)
        #expect(noType.type == "invalid_api_key")
        #expect(error(#"{"error":{"message":"m","code":429}}"#).type == "429")
    }

    @Test("Anthropic")
    func anthropic() {
        let e = error(#"{"type":"error","error":{"type":"rate_limit_error","message":"Slow down"},"request_id":"r"}"#)
        #expect(e.type == "rate_limit_error")
        #expect(e.message == "Slow down")
    }

    @Test("OpenAI-compatible shapes: vLLM flat, Ollama string, detail")
    func compatible() {
        let vllm = error(#"{"object":"error","message":"bad model","type":"NotFoundError","param":null,"code":404}"#)
        #expect(vllm.type == "NotFoundError")
        #expect(vllm.message == "bad model")
        #expect(error(#"{"error":"model 'x' not found"}"#) == ProviderError(type: nil, message: "model 'x' not found"))
        #expect(error(#"{"detail":"Not Found"}"#).message == "Not Found")
    }

    @Test(
        "not an error body: both fields nil", arguments: ["", "not json", "[1]", "{}", #"{"error":7}"#, "{\"error\":{"])
    func notAnError(body: String) {
        #expect(error(body) == ProviderError(type: nil, message: nil))
    }
}

extension ProviderError {
    init(type: String?, message: String?) {
        self.init(body: [])
        self.type = type
        self.message = message
    }
}
