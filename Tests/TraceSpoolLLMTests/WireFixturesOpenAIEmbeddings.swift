/// OpenAI Embeddings wire text (https://platform.openai.com/docs/api-reference/embeddings), as the API sends it.
enum OpenAIEmbeddingsFixtures {
    static let request = #"""
        {"input":["The food was delicious","and the waiter..."],"model":"text-embedding-3-small","encoding_format":"float","user":"u-1"}
        """#

    /// Two vectors of 6 floats (real ones have 1536 or 3072).
    static let response = #"""
        {"object":"list","data":[
          {"object":"embedding","index":0,"embedding":[0.0023064255,-0.009327292,-0.0028842222,0.0174582,-0.0043211,0.0112233]},
          {"object":"embedding","index":1,"embedding":[0.0123,-0.0456,0.0789,-0.0101,0.0202,-0.0303]}],
         "model":"text-embedding-3-small","usage":{"prompt_tokens":9,"total_tokens":9}}
        """#

    static let base64Request = #"""
        {"input":"hello","model":"text-embedding-3-large","encoding_format":"base64","dimensions":256}
        """#

    /// One base64 vector of 5 little-endian float32s (20 bytes: 28 characters, one `=`).
    static let base64Response = #"""
        {"object":"list","data":[{"object":"embedding","index":0,"embedding":"AACAPwAAAEAAAEBAAACAQAAAoEA="}],"model":"text-embedding-3-large","usage":{"prompt_tokens":1,"total_tokens":1}}
        """#
}
