import SpoolBase

/// The error a provider reports in a response body (or in a stream's error event).
///
/// Read from OpenAI `{"error":{"message","type","code"}}`
/// (https://platform.openai.com/docs/guides/error-codes), Anthropic
/// `{"type":"error","error":{"type","message"}}` (https://docs.anthropic.com/en/api/errors), the flat form of
/// OpenAI-compatible servers such as vLLM (`{"object":"error","message","type","code"}`), Ollama's
/// `{"error":"text"}` and `{"detail":"text"}`.
package struct ProviderError: Sendable, Equatable {
    /// The provider's error type (`invalid_request_error`, `rate_limit_error`, `overloaded_error`...), else its
    /// code (`invalid_api_key`, as text when a number); nil when the body names neither.
    package var type: String?
    /// The provider's message; nil when none.
    package var message: String?

    /// The error described by `body`; both fields nil when it is not JSON or not one of the shapes above (never
    /// throws, never traps).
    package init(body: [UInt8]) {
        self.init(document: ProviderJSON.parse(body))
    }

    /// The error described by an already parsed document (see `init(body:)`).
    init(document: JSONValue?) {
        type = nil
        message = nil
        guard let document, document.isObject else { return }
        let error = document.member("error")
        switch error {
        case .object?:
            read(error!)
        case .string(let text)?:
            message = text
        default:
            if document.stringMember("object") == "error" || document.member("message") != nil {
                read(document)
            } else if let detail = document.stringMember("detail") {
                message = detail
            }
        }
    }

    private mutating func read(_ object: JSONValue) {
        message = object.stringMember("message")
        switch (object.member("type"), object.member("code")) {
        case (.string(let type)?, _): self.type = type
        case (_, .string(let code)?): type = code
        case (_, .number(let code)?): type = code.text
        default: break
        }
    }

    /// Whether the body named an error at all.
    var isEmpty: Bool { type == nil && message == nil }
}
