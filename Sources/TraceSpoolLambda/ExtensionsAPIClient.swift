import AsyncHTTPClient
package import LambdaRuntimeAPI
import Logging
import NIOCore
import NIOHTTP1
import SpoolBase
import Synchronization

/// The extension's side of the Lambda Extensions API and the Telemetry API subscription, over one HTTP client.
///
/// Sources: AWS Lambda developer guide, "Extensions API reference"
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-extensions-api.html), "Telemetry API reference"
/// (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-api-reference.html); the Runtime Interface Emulator's
/// `internal/lambda/rapi/handler/constants.go` (header names) and `internal/lambda/rapi/router.go` (paths).
package final class ExtensionsAPIClient: Sendable {
    /// The Runtime API's address.
    package let address: RuntimeAPIAddress
    private let client: HTTPClient
    private let identifier = Mutex<String?>(nil)

    /// `Lambda-Extension-Name`: on register, the extension's executable file name (RIE `constants.go`: "equal to
    /// executable basename (external agents)").
    static let nameHeader = "Lambda-Extension-Name"
    /// `Lambda-Extension-Identifier`: from register's answer, on every later call.
    static let identifierHeader = "Lambda-Extension-Identifier"
    /// `Lambda-Extension-Function-Error-Type`: on init/error and exit/error.
    static let errorTypeHeader = "Lambda-Extension-Function-Error-Type"

    /// Creates a client for `address` (no connection is made yet).
    package init(address: RuntimeAPIAddress) {
        self.address = address
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(2)
        // No read timeout: `event/next` blocks until the next event, for as long as the environment lives.
        configuration.timeout.read = nil
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// The identifier register returned, nil before.
    package var extensionIdentifier: String? { identifier.withLock { $0 } }

    /// Registers for INVOKE and SHUTDOWN as `name`, keeps the identifier.
    ///
    /// - Throws: `ExtensionsAPIError` (no answer, a status other than 200, no identifier header).
    package func register(name: String) async throws(ExtensionsAPIError) {
        var headers = HTTPHeaders()
        headers.add(name: Self.nameHeader, value: name)
        let (status, responseHeaders, body) = try await call(
            "register", .POST, "/2020-01-01/extension/register", headers: headers,
            body: Array(#"{"events":["INVOKE","SHUTDOWN"]}"#.utf8), deadline: .now() + .seconds(10))
        guard status == 200 else { throw .status(operation: "register", code: status, body: Self.excerpt(body)) }
        guard let id = responseHeaders.first(name: Self.identifierHeader), !id.isEmpty else { throw .noIdentifier }
        identifier.withLock { $0 = id }
    }

    /// Waits for the next event (no client timeout: the call blocks while the environment is idle or frozen).
    ///
    /// - Throws: `ExtensionsAPIError` (no answer, a status other than 200, a malformed event).
    package func next() async throws(ExtensionsAPIError) -> ExtensionEvent {
        let (status, _, body) = try await call(
            "event/next", .GET, "/2020-01-01/extension/event/next", headers: identified(), body: nil,
            deadline: .distantFuture)
        guard status == 200 else { throw .status(operation: "event/next", code: status, body: Self.excerpt(body)) }
        return try ExtensionEvent(json: body)
    }

    /// Reports a failed initialisation (`POST /2020-01-01/extension/init/error`); Lambda then fails the init and no
    /// later call succeeds.
    ///
    /// - Parameters:
    ///   - errorType: `Category.Reason`, for example `Extension.ConfigurationError`.
    ///   - message: what is wrong (the body's `errorMessage`).
    package func initError(errorType: String, message: String) async throws(ExtensionsAPIError) {
        try await reportError("init/error", errorType: errorType, message: message)
    }

    /// Reports that the extension exits after an error (`POST /2020-01-01/extension/exit/error`).
    package func exitError(errorType: String, message: String) async throws(ExtensionsAPIError) {
        try await reportError("exit/error", errorType: errorType, message: message)
    }

    /// The outcome of a Telemetry API subscription.
    package enum Subscription: Sendable, Equatable {
        /// Lambda will send the events (HTTP 200).
        case subscribed
        /// Not available here (the emulator's stub answers 202 `Telemetry.NotSupported`) or refused; the
        /// description says why.
        case unavailable(String)
    }

    /// Subscribes `uri` to the platform telemetry stream (`PUT /2022-07-01/telemetry`, schema 2022-12-13): buffering
    /// 1,000 events, 256 KiB, 25 ms — the smallest timeout, so that `platform.runtimeDone` arrives as early as Lambda
    /// allows; the item and byte limits are the documented defaults (Telemetry API reference, `buffering`).
    package func subscribeTelemetry(uri: String) async -> Subscription {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("schemaVersion")
        writer.string("2022-12-13")
        writer.key("destination")
        writer.beginObject()
        writer.key("protocol")
        writer.string("HTTP")
        writer.key("URI")
        writer.string(uri)
        writer.endObject()
        writer.key("types")
        writer.beginArray()
        writer.string("platform")
        writer.endArray()
        writer.key("buffering")
        writer.beginObject()
        writer.key("maxItems")
        writer.number(1000)
        writer.key("maxBytes")
        writer.number(262_144)
        writer.key("timeoutMs")
        writer.number(25)
        writer.endObject()
        writer.endObject()
        var headers = identified()
        headers.add(name: "Content-Type", value: "application/json")
        do {
            let (status, _, body) = try await call(
                "telemetry subscribe", .PUT, "/2022-07-01/telemetry", headers: headers, body: writer.bytes,
                deadline: .now() + .seconds(5))
            // The emulator's stub (`internal/lambda/rapi/handler/runtimelogs_stub.go`) answers 202 with
            // `Telemetry.NotSupported`: not subscribed.
            return status == 200 ? .subscribed : .unavailable("HTTP \(status) \(Self.excerpt(body))")
        } catch {
            return .unavailable("\(error)")
        }
    }

    /// Closes the HTTP client.
    package func shutdown() async {
        try? await client.shutdown()
    }

    private func reportError(_ operation: String, errorType: String, message: String) async throws(ExtensionsAPIError) {
        var headers = identified()
        headers.add(name: Self.errorTypeHeader, value: errorType)
        headers.add(name: "Content-Type", value: "application/json")
        let (status, _, body) = try await call(
            operation, .POST, "/2020-01-01/extension/\(operation)", headers: headers,
            body: LambdaErrorDocument.json(errorType: errorType, message: message),
            deadline: .now() + .seconds(2))
        // RIE's `agentiniterror.go` answers 202 Accepted.
        guard (200..<300).contains(status) else {
            throw .status(operation: operation, code: status, body: Self.excerpt(body))
        }
    }

    private func identified() -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let id = extensionIdentifier { headers.add(name: Self.identifierHeader, value: id) }
        return headers
    }

    /// One request; the body read up to `ExtensionEvent.maxBodyBytes`.
    private func call(
        _ operation: String, _ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: [UInt8]?,
        deadline: NIODeadline
    ) async throws(ExtensionsAPIError) -> (Int, HTTPHeaders, [UInt8]) {
        var request = HTTPClientRequest(url: address.baseURL + path)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        do {
            let response = try await client.execute(request, deadline: deadline)
            var bytes: [UInt8] = []
            for try await var chunk in response.body {
                let room = ExtensionEvent.maxBodyBytes - bytes.count
                guard room > 0 else { break }
                bytes += chunk.readBytes(length: min(room, chunk.readableBytes)) ?? []
            }
            return (Int(response.status.code), response.headers, bytes)
        } catch {
            let text = String(describing: error)
            throw .unreachable(operation: operation, detail: String(text.prefix(200)))
        }
    }

    private static func excerpt(_ body: [UInt8]) -> String {
        String(decoding: body.prefix(200), as: UTF8.self)
    }
}
