import AsyncHTTPClient
import LambdaRuntimeAPI
import NIOCore
import NIOHTTP1
import SpoolBase

/// A client of the AWS Lambda Runtime API (version 2018-06-01) at `AWS_LAMBDA_RUNTIME_API`: next invocation,
/// response, invocation error, init error (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html).
struct RuntimeAPIClient: Sendable {
    /// The next invocation: its headers and its event.
    struct Invocation: Sendable {
        var headers: [(String, String)]
        var event: [UInt8]
    }

    /// What the Runtime API answered unexpectedly, or why it could not be reached.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The API's address, from `AWS_LAMBDA_RUNTIME_API`.
    let address: RuntimeAPIAddress
    let client: HTTPClient

    /// The largest event read: the Runtime API's synchronous invocation payload limit is 6 MB
    /// (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html); a little more is allowed.
    static let maxEventBytes = 8 << 20

    init(address: RuntimeAPIAddress) {
        self.address = address
        var configuration = HTTPClient.Configuration()
        // `GET next` blocks until an invocation arrives (minutes, or the whole time the environment is frozen): no read
        // timeout; connecting to the local API is immediate or fails.
        configuration.timeout = .init(connect: .seconds(5), read: nil)
        configuration.connectionPool = .init(idleTimeout: .hours(24))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    private func url(_ path: String) -> String { "\(address.baseURL)/2018-06-01/runtime/\(path)" }

    /// `GET /runtime/invocation/next`: waits, without a timeout, for the next invocation.
    ///
    /// - Throws: `Failure` for a status other than 200, or when the API cannot be reached.
    func next() async throws(Failure) -> Invocation {
        let request = HTTPClientRequest(url: url("invocation/next"))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, deadline: .distantFuture)
        } catch {
            throw Failure(description: "GET invocation/next failed: \(error)")
        }
        let body: ByteBuffer
        do {
            body = try await response.body.collect(upTo: Self.maxEventBytes)
        } catch {
            throw Failure(description: "GET invocation/next: reading the event failed: \(error)")
        }
        guard response.status == .ok else {
            throw Failure(
                description: "GET invocation/next answered \(response.status.code): \(String(buffer: body).prefix(200))"
            )
        }
        return Invocation(headers: response.headers.map { ($0.name, $0.value) }, event: Array(buffer: body))
    }

    /// `POST /runtime/invocation/<id>/response` with `body` (JSON).
    func respond(requestID: String, body: [UInt8]) async throws(Failure) {
        try await post("invocation/\(requestID)/response", body: body, errorType: nil)
    }

    /// `POST /runtime/invocation/<id>/error` with an error document.
    func reportError(requestID: String, type: String, message: String) async throws(Failure) {
        try await post(
            "invocation/\(requestID)/error", body: LambdaErrorDocument.json(errorType: type, message: message),
            errorType: type)
    }

    /// `POST /runtime/init/error` with an error document.
    func reportInitError(type: String, message: String) async throws(Failure) {
        try await post("init/error", body: LambdaErrorDocument.json(errorType: type, message: message), errorType: type)
    }

    /// POSTs `body`; the Runtime API answers 202 Accepted.
    ///
    /// - Throws: `Failure` for any other status, or when the API cannot be reached.
    private func post(_ path: String, body: [UInt8], errorType: String?) async throws(Failure) {
        var request = HTTPClientRequest(url: url(path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let errorType { request.headers.add(name: "Lambda-Runtime-Function-Error-Type", value: errorType) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(30))
        } catch {
            throw Failure(description: "POST \(path) failed: \(error)")
        }
        let answer = (try? await response.body.collect(upTo: 64 << 10)).map { String(buffer: $0) } ?? ""
        guard response.status == .accepted else {
            throw Failure(description: "POST \(path) answered \(response.status.code): \(answer.prefix(200))")
        }
    }

    /// Closes the HTTP client.
    func close() async {
        try? await client.shutdown()
    }
}
