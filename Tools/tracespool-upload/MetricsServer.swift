import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus

/// An HTTP server exposing a Prometheus registry at `GET /metrics` in the text format (bound to 127.0.0.1 by
/// default; anything else answers 404).
final class MetricsServer: Sendable {
    private let channel: any Channel
    /// The bound port (useful when started on port 0).
    let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Starts the server.
    ///
    /// - Parameters:
    ///   - host: the address to bind, default `127.0.0.1`.
    ///   - port: the TCP port; 0 picks a free one.
    ///   - registry: the metrics served.
    ///   - beforeScrape: called before each `/metrics` response is rendered (to update gauges computed at read
    ///     time).
    /// - Throws: the bind error (address in use, permission denied).
    static func start(
        host: String = "127.0.0.1", port: Int, registry: PrometheusCollectorRegistry,
        beforeScrape: @escaping @Sendable () -> Void = {}
    ) async throws -> MetricsServer {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        MetricsHandler(registry: registry, beforeScrape: beforeScrape))
                }
            }
            .bind(host: host, port: port).get()
        return MetricsServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    /// Stops listening.
    func stop() async {
        try? await channel.close()
    }
}

private final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let registry: PrometheusCollectorRegistry
    private let beforeScrape: @Sendable () -> Void
    private var uri = ""
    private var keepAlive = false

    init(registry: PrometheusCollectorRegistry, beforeScrape: @escaping @Sendable () -> Void) {
        self.registry = registry
        self.beforeScrape = beforeScrape
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            uri = head.uri
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            let found = uri == "/metrics" || uri.hasPrefix("/metrics?")
            var body: [UInt8] = []
            if found {
                beforeScrape()
                registry.emit(into: &body)
            } else {
                body = Array("not found\n".utf8)
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4" : "text/plain")
            headers.add(name: "Content-Length", value: String(body.count))
            let head = HTTPResponseHead(version: .http1_1, status: found ? .ok : .notFound, headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
