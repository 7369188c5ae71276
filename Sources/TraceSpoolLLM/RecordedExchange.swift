package import SpoolBase

/// One request and its response as a recording holds them: credentials removed (header fields) or redacted (query
/// parameters, user information in the URL), the request body parsed when it is JSON, the response as it is served
/// on replay.
package struct RecordedExchange: Sendable, Equatable {
    /// The method, uppercase.
    package var method: String
    /// The URL, credentials redacted (`CredentialFilter.redactedURL`).
    package var url: String
    /// The request's header fields without credentials.
    package var requestHeaders: [LLMHTTPHeader]
    /// The request body's bytes (empty when none; for a JSON body read from a file, the JSON written compactly).
    package var requestBody: [UInt8]
    /// The request body parsed, when it is JSON.
    package var requestJSON: JSONValue?
    /// The response: head without credentials, body chunks as served on replay.
    package var response: RecordedResponse
    /// The response body as one JSON value, when the recording writes it so (`RecordingCodec`); its compact text is
    /// then the one chunk of `response`.
    package var responseJSON: JSONValue?

    /// An exchange as read from a file.
    package init(
        method: String, url: String, requestHeaders: [LLMHTTPHeader], requestBody: [UInt8], requestJSON: JSONValue?,
        response: RecordedResponse, responseJSON: JSONValue?
    ) {
        self.method = method
        self.url = url
        self.requestHeaders = requestHeaders
        self.requestBody = requestBody
        self.requestJSON = requestJSON
        self.response = response
        self.responseJSON = responseJSON
    }

    /// The exchange of a live `request` and its `response`, credentials left out of both.
    ///
    /// The response body is kept as one JSON value when it is not a server-sent-event stream (`Content-Type`
    /// `text/event-stream`) and all its chunks together parse as JSON; it is then served on replay as one chunk of
    /// compact JSON, and its `Content-Length` field is left out (the served length differs from the received one).
    /// Otherwise the chunks are kept as received, boundaries included.
    package init(request: LLMHTTPRequest, response: RecordedResponse) {
        method = request.method.uppercased()
        url = CredentialFilter.redactedURL(request.url)
        requestHeaders = CredentialFilter.withoutCredentials(request.headers)
        requestBody = request.body
        requestJSON =
            request.body.isEmpty ? nil : try? JSONReader.parse(request.body, maximumDepth: RecordingCodec.bodyDepth)
        var head = response.head
        head.headers = CredentialFilter.withoutCredentials(head.headers)
        let isEventStream = head.headers.contains {
            $0.name.lowercased() == "content-type" && $0.value.lowercased().contains("text/event-stream")
        }
        let whole = response.chunks.count == 1 ? response.chunks[0] : response.chunks.flatMap { $0 }
        if !isEventStream, !whole.isEmpty,
            let json = try? JSONReader.parse(whole, maximumDepth: RecordingCodec.bodyDepth)
        {
            responseJSON = json
            head.headers.removeAll { $0.name.lowercased() == "content-length" }
            self.response = RecordedResponse(head: head, chunks: [CanonicalJSON.bytes(json)])
        } else {
            responseJSON = nil
            self.response = RecordedResponse(head: head, chunks: response.chunks)
        }
    }
}
