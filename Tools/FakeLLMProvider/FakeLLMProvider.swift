package import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback stand-in for the OpenAI and Anthropic HTTP APIs, for tests and for trying `tracespool-llm-demo`
/// without an account: an HTTP/1.1 server on `127.0.0.1` that answers with the providers' published wire formats
/// (non-streaming JSON and server-sent events) and plays a small weather agent (`FakeWeatherAgent`).
///
/// Routes (POST; any path prefix, so `/v1/chat/completions`, `/openai/deployments/{d}/chat/completions` and
/// `/chat/completions` all work): `…/chat/completions`, `…/responses`, `…/embeddings` (OpenAI) and `…/messages`
/// (Anthropic). Anything else is a 404 in the provider's error format.
///
/// Errors on demand, in the provider's error body (`FakeProviderError`): the request header `x-fake-status: 401`,
/// `429` or `500`, or a model named `fail-401`, `fail-429` or `fail-500`; 429 carries `Retry-After: 2`. With
/// `requireKey`, a request without a key (`Authorization: Bearer …` for OpenAI routes, `x-api-key` for Anthropic)
/// is a 401. The request header `x-fake-stall-after: N` makes a streamed response stop after N events without
/// ending (the connection stays open until the client closes it), for cancellation and abandon tests.
package final class FakeLLMProvider: Sendable {
    /// One request the server answered (or is answering).
    package struct ReceivedRequest: Sendable {
        /// `POST`, `GET`...
        package var method: String
        /// The request target (path and query).
        package var uri: String
        /// The header fields as received (credentials included: this is the provider's side).
        package var headers: [(name: String, value: String)]
        /// The body.
        package var body: [UInt8]

        /// The value of the first header field named `name` (ASCII case-insensitive).
        package func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    struct Counters {
        var connections = 0
        var requests: [ReceivedRequest] = []
    }

    /// The bound port (the one asked for, or the one the system chose for port 0).
    package let port: Int
    /// The bound host.
    package let host: String
    /// Whether requests must carry a key.
    package let requireKey: Bool
    let counters = Mutex(Counters())
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    private init(host: String, port: Int, requireKey: Bool) {
        self.host = host
        self.port = port
        self.requireKey = requireKey
    }

    /// `http://host:port`: the base URL without the API version (append `/v1`).
    package var url: String { "http://\(host):\(port)" }

    /// `http://host:port/v1`, the base URL the OpenAI and Anthropic clients use.
    package var baseURL: String { url + "/v1" }

    /// TCP connections accepted since the start.
    package var acceptedConnections: Int { counters.withLock { $0.connections } }

    /// Requests received (fully read) since the start.
    package var requestsServed: Int { counters.withLock { $0.requests.count } }

    /// The requests received, in order.
    package var requests: [ReceivedRequest] { counters.withLock { $0.requests } }

    /// Starts listening on `host` (default loopback) and `port` (0: any free port; read `port` afterwards).
    ///
    /// - Throws: NIO's error when the address cannot be bound.
    package static func start(
        host: String = "127.0.0.1", port: Int = 0, requireKey: Bool = false,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> FakeLLMProvider {
        let holder = Holder()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                holder.provider?.counters.withLock { $0.connections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FakeProviderHandler(holder: holder))
                }
            }
            .bind(host: host, port: port).get()
        let provider = FakeLLMProvider(
            host: host, port: channel.localAddress?.port ?? port, requireKey: requireKey)
        provider.channel.withLock { $0 = channel }
        holder.box.withLock { $0 = provider }
        return provider
    }

    /// Stops listening (connections already open finish what they are doing).
    package func stop() async {
        let channel = self.channel.withLock { $0 }
        try? await channel?.close()
    }

    /// Waits until the server channel is closed (by `stop()`).
    package func waitUntilClosed() async throws {
        let channel = self.channel.withLock { $0 }
        try await channel?.closeFuture.get()
    }

    func received(_ request: ReceivedRequest) {
        counters.withLock { $0.requests.append(request) }
    }

    /// The provider, once bound, for the connection handlers created before `start` returns.
    final class Holder: Sendable {
        let box = Mutex<FakeLLMProvider?>(nil)
        var provider: FakeLLMProvider? { box.withLock { $0 } }
    }
}
