import SpoolBase

/// Which API a request is for, and the reply: errors first (missing key, `x-fake-status`, `fail-NNN` models,
/// malformed JSON), then the route's own reply.
enum FakeProviderRouter {
    /// The APIs the fake speaks.
    enum Route {
        /// https://platform.openai.com/docs/api-reference/chat/create
        case chatCompletions
        /// https://platform.openai.com/docs/api-reference/responses/create
        case responses
        /// https://platform.openai.com/docs/api-reference/embeddings/create
        case embeddings
        /// https://docs.anthropic.com/en/api/messages
        case anthropicMessages
    }

    /// The route of a request path (the query ignored), by its suffix, so any prefix works (`/v1`, an Azure
    /// deployment path `/openai/deployments/{d}`, a proxy's own prefix).
    static func route(path: String) -> Route? {
        if path.hasSuffix("/chat/completions") { return .chatCompletions }
        if path.hasSuffix("/responses") { return .responses }
        if path.hasSuffix("/embeddings") { return .embeddings }
        if path.hasSuffix("/messages") { return .anthropicMessages }
        return nil
    }

    /// The reply to `request`.
    static func reply(to request: FakeLLMProvider.ReceivedRequest, requireKey: Bool) -> FakeReply {
        let path = String(request.uri.prefix { $0 != "?" })
        guard request.method == "POST", let route = route(path: path) else {
            return FakeProviderError.reply(
                status: 404, anthropic: path.hasSuffix("/messages"),
                message: "Invalid URL (\(request.method) \(path))")
        }
        let anthropic = route == .anthropicMessages
        if requireKey, !hasKey(request, anthropic: anthropic) {
            return FakeProviderError.reply(status: 401, anthropic: anthropic)
        }
        guard let json = try? JSONReader.parse(request.body), case .object = json else {
            return FakeProviderError.reply(
                status: 400, anthropic: anthropic, message: "We could not parse the JSON body of your request.")
        }
        let model = FakeJSON.stringMember(json, "model") ?? ""
        if let status = requestedStatus(request, model: model), status >= 400 {
            return FakeProviderError.reply(status: status, anthropic: anthropic)
        }
        var reply: FakeReply
        switch route {
        case .chatCompletions: reply = FakeChatCompletions.reply(to: json, body: request.body)
        case .responses: reply = FakeResponses.reply(to: json, body: request.body)
        case .embeddings: reply = FakeEmbeddings.reply(to: json, body: request.body)
        case .anthropicMessages: reply = FakeAnthropicMessages.reply(to: json, body: request.body)
        }
        reply.stallAfterEvents = request.header("x-fake-stall-after").flatMap { Int($0) }
        return reply
    }

    /// Whether the request carries a key the way the provider expects: OpenAI `Authorization: Bearer <key>`
    /// (https://platform.openai.com/docs/api-reference/authentication), or Azure's `api-key` header; Anthropic
    /// `x-api-key` (https://docs.anthropic.com/en/api/overview#authentication).
    static func hasKey(_ request: FakeLLMProvider.ReceivedRequest, anthropic: Bool) -> Bool {
        if anthropic { return !(request.header("x-api-key") ?? "").isEmpty }
        if let authorization = request.header("authorization"), authorization.hasPrefix("Bearer "),
            authorization.count > 7
        {
            return true
        }
        return !(request.header("api-key") ?? "").isEmpty
    }

    /// The error status asked for: the `x-fake-status` header, else a model named `fail-NNN`.
    static func requestedStatus(_ request: FakeLLMProvider.ReceivedRequest, model: String) -> Int? {
        if let header = request.header("x-fake-status") { return Int(header) }
        if model.hasPrefix("fail-") { return Int(model.dropFirst(5)) }
        return nil
    }
}
