import NIOCore
import NIOHTTP1
import NIOPosix
import SpoolBase

/// An HTTP server exposing `UploadMetrics` at `GET /metrics` in Prometheus text format (bound to 127.0.0.1 by
/// default; anything else answers 404).
public final class MetricsServer: Sendable {
    private let channel: any Channel
    /// The bound port (useful when started on port 0).
    public let port: Int

    private init(channel: any Channel, port: Int) {
        self.channel = channel
        self.port = port
    }

    /// Starts the server.
    ///
    /// - Parameters:
    ///   - host: the address to bind, default `127.0.0.1`.
    ///   - port: the TCP port; 0 picks a free one.
    /// - Throws: the bind error (address in use, permission denied).
    public static func start(host: String = "127.0.0.1", port: Int, metrics: UploadMetrics) async throws
        -> MetricsServer
    {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MetricsHandler(metrics: metrics))
                }
            }
            .bind(host: host, port: port).get()
        return MetricsServer(channel: channel, port: channel.localAddress?.port ?? port)
    }

    /// Stops listening.
    public func stop() async {
        try? await channel.close()
    }
}

private final class MetricsHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let metrics: UploadMetrics
    private var uri = ""
    private var keepAlive = false

    init(metrics: UploadMetrics) { self.metrics = metrics }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            uri = head.uri
            keepAlive = head.isKeepAlive
        case .body:
            break
        case .end:
            let found = uri == "/metrics" || uri.hasPrefix("/metrics?")
            let text = found ? metrics.prometheusText(nowUnixNanos: SystemClock.unixNanos()) : "not found\n"
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4" : "text/plain")
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            let head = HTTPResponseHead(version: .http1_1, status: found ? .ok : .notFound, headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            if !keepAlive { context.close(promise: nil) }
        }
    }
}
