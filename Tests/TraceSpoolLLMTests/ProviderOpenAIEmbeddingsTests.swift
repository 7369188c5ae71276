import Testing
import TraceSpoolTesting
import Tracing

@testable import TraceSpoolLLM

@Suite("Provider: OpenAI Embeddings")
struct ProviderOpenAIEmbeddingsTests {
    @Test("float vectors: dimension count from the first vector, usage, model; no vector and no input recorded")
    func floats() throws {
        let span = try ProviderHarness.span(
            .embeddings, path: "/v1/embeddings", request: OpenAIEmbeddingsFixtures.request,
            body: OpenAIEmbeddingsFixtures.response)
        let a = span.attributes
        #expect(a.get("gen_ai.request.model") == "text-embedding-3-small")
        #expect(a.get("embedding.model_name") == "text-embedding-3-small")
        #expect(a.get("tracespool.span.type") == "embedding")
        #expect(a.get("openinference.span.kind") == "EMBEDDING")
        #expect(a.get("gen_ai.request.encoding_formats") == .stringArray(["float"]))
        #expect(a.get("gen_ai.embeddings.dimension.count") == 6)
        #expect(a.get("gen_ai.response.model") == "text-embedding-3-small")
        #expect(a.get("gen_ai.usage.input_tokens") == 9)
        #expect(a.get("llm.token_count.total") == 9)
        #expect(a.get("gen_ai.usage.output_tokens") == nil)
        #expect(
            a.get("llm.invocation_parameters")
                == #"{"model":"text-embedding-3-small","encoding_format":"float","user":"u-1"}"#)
        var values: [String] = []
        a.forEach { _, value in values.append("\(value)") }
        for fragment in ["0.0023064255", "0.0123", "delicious"] {
            #expect(!values.contains { $0.contains(fragment) }, "\(fragment) recorded")
        }
    }

    @Test("base64 vectors: dimension count from the decoded bytes / 4")
    func base64() throws {
        let span = try ProviderHarness.span(
            .embeddings, path: "/v1/embeddings", request: OpenAIEmbeddingsFixtures.base64Request,
            body: OpenAIEmbeddingsFixtures.base64Response)
        #expect(span.attributes.get("gen_ai.embeddings.dimension.count") == 5)
        #expect(span.attributes.get("gen_ai.request.encoding_formats") == .stringArray(["base64"]))
        #expect(!span.attributes.keys.contains { span.attributes.string($0)?.contains("AACAPw") == true })
    }

    @Test("dimension count from the request's dimensions when the response has no vector")
    func requestedDimensions() throws {
        let span = try ProviderHarness.span(
            .embeddings, path: "/v1/embeddings", request: OpenAIEmbeddingsFixtures.base64Request,
            body: #"{"object":"list","data":[],"model":"text-embedding-3-large"}"#)
        #expect(span.attributes.get("gen_ai.embeddings.dimension.count") == 256)
    }

    @Test("Azure deployment path: the model is the deployment when the body has none")
    func azure() throws {
        let span = try ProviderHarness.span(
            .embeddings, path: "/openai/deployments/emb-small/embeddings?api-version=2024-10-21",
            request: #"{"input":"x"}"#, body: OpenAIEmbeddingsFixtures.response)
        #expect(span.attributes.get("gen_ai.request.model") == "emb-small")
        #expect(span.attributes.get("embedding.model_name") == "emb-small")
    }

    @Test("vector scan: dimension counts of arrays with white space, empty arrays and base64 without padding")
    func scan() {
        func count(_ text: String) -> Int? {
            let scanner = ProviderJSONScanner(Array(text.utf8))
            return OpenAIEmbeddingsAccumulator.dimensions(of: scanner.document!, in: scanner)
        }
        #expect(count("[ 1 , 2 ,\n3 ]") == 3)
        #expect(count("[]") == 0)
        #expect(count("[ ]") == 0)
        #expect(count(#""AACAPwAAAEAAAEBA""#) == 3)
        #expect(count(#""AACAPwAAAEAAAEBAAACAQAAAoEA=""#) == 5)
        #expect(count("7") == nil)
    }
}
