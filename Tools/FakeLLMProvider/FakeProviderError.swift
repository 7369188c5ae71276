import SpoolBase

/// The providers' error responses.
///
/// OpenAI (https://platform.openai.com/docs/guides/error-codes): `{"error":{"message","type","param","code"}}`,
/// 401 `invalid_api_key`, 429 `rate_limit_exceeded`, 500 `server_error`. Anthropic
/// (https://docs.anthropic.com/en/api/errors): `{"type":"error","error":{"type","message"}}` with the types
/// `authentication_error` (401), `rate_limit_error` (429), `api_error` (500), `overloaded_error` (529),
/// `not_found_error` (404), `invalid_request_error` (400). A 429 carries `Retry-After` (seconds), as both send it.
enum FakeProviderError {
    /// The Retry-After value of a 429, in seconds.
    static let retryAfterSeconds = 2

    /// An error reply with `status` in the provider's format.
    static func reply(status: Int, anthropic: Bool, message: String? = nil) -> FakeReply {
        let headers: [(String, String)] = status == 429 ? [("Retry-After", String(retryAfterSeconds))] : []
        if anthropic {
            let type: String
            switch status {
            case 400: type = "invalid_request_error"
            case 401: type = "authentication_error"
            case 403: type = "permission_error"
            case 404: type = "not_found_error"
            case 429: type = "rate_limit_error"
            case 529: type = "overloaded_error"
            default: type = "api_error"
            }
            let body = FakeJSON.object([
                "type": "error",
                "error": FakeJSON.object([
                    "type": .string(type), "message": .string(message ?? anthropicMessage(status)),
                ]),
            ])
            return .json(body, status: status, headers: headers)
        }
        let type: String
        let code: String?
        switch status {
        case 401: (type, code) = ("invalid_request_error", "invalid_api_key")
        case 429: (type, code) = ("requests", "rate_limit_exceeded")
        case 400, 404: (type, code) = ("invalid_request_error", nil)
        default: (type, code) = ("server_error", nil)
        }
        let body = FakeJSON.object([
            "error": FakeJSON.object([
                "message": .string(message ?? openAIMessage(status)), "type": .string(type), "param": .null,
                "code": FakeJSON.string(code),
            ])
        ])
        return .json(body, status: status, headers: headers)
    }

    static func openAIMessage(_ status: Int) -> String {
        switch status {
        case 401:
            "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys."
        case 429: "Rate limit reached for requests. Please try again in \(retryAfterSeconds)s."
        default: "The server had an error while processing your request. Sorry about that!"
        }
    }

    static func anthropicMessage(_ status: Int) -> String {
        switch status {
        case 401: "invalid x-api-key"
        case 429: "Number of requests has exceeded your rate limit."
        case 529: "Overloaded"
        default: "Internal server error"
        }
    }
}
