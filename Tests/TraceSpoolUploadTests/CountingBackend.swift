import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback OTLP/HTTP stand-in that answers 200 to every request and counts the TCP connections it accepted and
/// the requests it answered (to check that a client reuses its connection).
final class CountingBackend: Sendable {
    private let channel: any Channel
    private let counts: Counts
    let port: Int

    final class Counts: Sendable {
        let connections = Atomic<Int>(0)
        let requests = Atomic<Int>(0)
    }

    private init(channel: any Channel, counts: Counts) {
        self.channel = channel
        self.counts = counts
        self.port = channel.localAddress!.port!
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var connections: Int { counts.connections.load(ordering: .relaxed) }
    var requests: Int { counts.requests.load(ordering: .relaxed) }

    static func start() async throws -> CountingBackend {
        let counts = Counts()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counts.connections.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(OK(counts: counts))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return CountingBackend(channel: channel, counts: counts)
    }

    func stop() async { try? await channel.close() }

    private final class OK: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let counts: Counts

        init(counts: Counts) { self.counts = counts }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard case .end = unwrapInboundIn(data) else { return }
            counts.requests.add(1, ordering: .relaxed)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "0")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
