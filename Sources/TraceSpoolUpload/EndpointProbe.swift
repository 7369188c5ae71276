import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One-off connections that find out why a request failed, for the hint of the first failure of a pass (see
/// ``DeliveryFailure/diagnosed(address:tls:)``). Each connects directly (no proxy), sends nothing that a backend
/// could take as data, and gives up after `timeout`.
enum EndpointProbe {
    /// The validity period of a certificate, Unix seconds.
    struct Validity: Sendable {
        var notValidBefore: time_t
        var notValidAfter: time_t
    }

    /// The first bytes (up to 64) a plain-TCP server sends after an HTTP/1.1 request line and headers without a
    /// body, or nil when nothing arrives (connection failed, closed or timed out).
    static func firstBytes(of address: EndpointAddress, timeout: TimeAmount = .seconds(3)) async -> [UInt8]? {
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: [UInt8].self)
        let request = Array(
            "GET / HTTP/1.1\r\nHost: \(address.hostAndPort)\r\nUser-Agent: tracespool-upload/1\r\n\r\n".utf8)
        let connected = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        FirstBytesHandler(request: request, promise: promise))
                }
            }
            .connect(host: address.host, port: address.port)
        connected.whenSuccess { channel in
            channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
        }
        connected.whenFailure { _ in promise.succeed([]) }
        let bytes = (try? await promise.futureResult.get()) ?? []
        return bytes.isEmpty ? nil : bytes
    }

    /// The validity period of the leaf certificate a TLS server presents (the chain is not verified; the handshake
    /// is abandoned as soon as the certificate arrives), or nil when none arrives within `timeout`.
    static func leafCertificateValidity(
        of address: EndpointAddress, tls: TLSConfiguration?, timeout: TimeAmount = .seconds(3)
    ) async -> Validity? {
        var configuration = tls ?? TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .noHostnameVerification
        guard let context = try? NIOSSLContext(configuration: configuration) else { return nil }
        let group = MultiThreadedEventLoopGroup.singleton
        let promise = group.next().makePromise(of: Validity?.self)
        let isAddress = address.host.contains(":") || address.host.allSatisfy { $0.isNumber || $0 == "." }
        let serverName = isAddress ? nil : address.host
        let connected = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: context, serverHostname: serverName,
                        customVerificationCallback: { certificates, verdict in
                            promise.succeed(
                                certificates.first.map {
                                    Validity(notValidBefore: $0.notValidBefore, notValidAfter: $0.notValidAfter)
                                })
                            verdict.succeed(.failed)
                        })
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHandler(CloseWatcher(promise: promise))
                }
            }
            .connect(host: address.host, port: address.port)
        connected.whenSuccess { channel in
            channel.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
            promise.futureResult.whenComplete { _ in channel.close(promise: nil) }
        }
        connected.whenFailure { _ in promise.succeed(nil) }
        return (try? await promise.futureResult.get()) ?? nil
    }
}

/// Writes a request when the connection is up and collects the first bytes of the answer.
private final class FirstBytesHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let request: [UInt8]
    private let promise: EventLoopPromise<[UInt8]>
    private var bytes: [UInt8] = []
    private var done = false

    init(request: [UInt8], promise: EventLoopPromise<[UInt8]>) {
        self.request = request
        self.promise = promise
    }

    func channelActive(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: request)), promise: nil)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        bytes += buffer.readBytes(length: min(buffer.readableBytes, 64 - bytes.count)) ?? []
        if bytes.count >= 64 {
            finish()
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        finish()
        context.close(promise: nil)
    }

    private func finish() {
        guard !done else { return }
        done = true
        promise.succeed(bytes)
    }
}

/// Completes the probe's promise with nil when the connection ends before a certificate arrived.
private final class CloseWatcher: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let promise: EventLoopPromise<EndpointProbe.Validity?>

    init(promise: EventLoopPromise<EndpointProbe.Validity?>) { self.promise = promise }

    func channelInactive(context: ChannelHandlerContext) {
        promise.completeWith(.success(nil))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
