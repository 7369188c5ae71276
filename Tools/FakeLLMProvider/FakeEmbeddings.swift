import SpoolBase

/// OpenAI Embeddings (https://platform.openai.com/docs/api-reference/embeddings/create and
/// https://platform.openai.com/docs/api-reference/embeddings/object): a `list` of `embedding` objects, one per input
/// (a string or an array of strings), `dimensions` numbers each (default 8), deterministic from the input text;
/// `"encoding_format": "base64"` gives each vector as base64 of little-endian float32 values.
enum FakeEmbeddings {
    static func reply(to json: JSONValue, body: [UInt8]) -> FakeReply {
        let model = FakeJSON.stringMember(json, "model") ?? ""
        var inputs: [String] = []
        switch json.member("input") {
        case .string(let s): inputs = [s]
        case .array(let items): inputs = items.map { if case .string(let s) = $0 { s } else { FakeJSON.text($0) } }
        default: break
        }
        var dimensions = 8
        if case .number(let n) = json.member("dimensions"), let d = n.int64, d > 0, d <= 4096 { dimensions = Int(d) }
        let base64 = FakeJSON.stringMember(json, "encoding_format") == "base64"
        let data: [JSONValue] = inputs.enumerated().map { index, text in
            let vector = self.vector(text, dimensions: dimensions)
            let embedding: JSONValue
            if base64 {
                var bytes: [UInt8] = []
                for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
                var out: [UInt8] = []
                Base64.append(bytes, to: &out)
                embedding = .string(String(decoding: out, as: UTF8.self))
            } else {
                embedding = .array(vector.map { .number(JSONNumber(Double($0)) ?? JSONNumber(0)) })
            }
            return FakeJSON.object(["object": "embedding", "index": .integer(index), "embedding": embedding])
        }
        let tokens = max(1, inputs.reduce(0) { $0 + $1.utf8.count } / 4)
        return .json(
            FakeJSON.object([
                "object": "list", "data": .array(data), "model": .string(model),
                "usage": FakeJSON.object(["prompt_tokens": .integer(tokens), "total_tokens": .integer(tokens)]),
            ]))
    }

    /// A unit-free vector in [-1, 1) from the text's hash.
    static func vector(_ text: String, dimensions: Int) -> [Float] {
        (0..<dimensions).map { i in
            let h = UInt64(FakeJSON.hash(Array(text.utf8), salt: UInt64(i)), radix: 16) ?? 0
            return Float(h >> 40) / Float(1 << 23) - 1
        }
    }
}
