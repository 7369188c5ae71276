package import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SpoolBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The local HTTP server the Telemetry API posts platform events to: JSON arrays of events, of which it reads
/// `platform.runtimeDone` (`{"type":"platform.runtimeDone","record":{"requestId":...,"status":...}}`) and ignores the
/// rest. Every request gets a 200 as soon as its body is read; a body larger than `maxBodyBytes` gets a 413 and the
/// connection is closed; a body that is not a JSON array of events is logged at debug and answered 200 (Lambda would
/// otherwise retry it).
///
/// Sources: "Telemetry API" (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-api.html: the destination is an
/// HTTP endpoint on host `sandbox.localdomain`, batches are JSON arrays) and "Telemetry API Events schema reference"
/// (https://docs.aws.amazon.com/lambda/latest/dg/telemetry-schema-reference.html: `platform.runtimeDone`).
package final class TelemetryListener: Sendable {
    private let channel: any Channel
    /// The port bound.
    package let port: Int
    /// The address bound (what `sandbox.localdomain` resolves to, or 127.0.0.1).
    package let host: String

    /// The largest request body read, bytes (the subscription asks for at most 256 KiB batches).
    package static let maxBodyBytes = 1 << 20

    /// The host name Lambda's Telemetry API destinations use.
    package static let sandboxHost = "sandbox.localdomain"

    private init(channel: any Channel, host: String, port: Int) {
        self.channel = channel
        self.host = host
        self.port = port
        self.uri = "http://\(Self.sandboxHost):\(port)"
    }

    /// The subscription's destination URI: always `http://sandbox.localdomain:<port>`. Lambda accepts no other host
    /// (the emulator's `lambda-managed-instances/.../telemetry/internal/client.go` refuses others), and maps the name to
    /// the sandbox's address where it does not resolve for the extension.
    package let uri: String

    /// Starts listening on port 0 of the address `sandbox.localdomain` resolves to (127.0.0.1 when it does not
    /// resolve, logged at info).
    ///
    /// - Parameters:
    ///   - onRuntimeDone: called (on an event loop) with the request id and status of each `platform.runtimeDone`.
    /// - Throws: the bind error.
    package static func start(
        logger: Logger, onRuntimeDone: @escaping @Sendable (_ requestID: String, _ status: String) -> Void
    ) async throws -> TelemetryListener {
        let resolved = resolve(sandboxHost)
        if resolved == nil {
            logger.info(
                "\(sandboxHost) does not resolve; the telemetry listener binds 127.0.0.1",
                metadata: ["host": "\(sandboxHost)"])
        }
        let host = resolved ?? "127.0.0.1"
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(
                        TelemetryHandler(logger: logger, onRuntimeDone: onRuntimeDone))
                }
            }
            .bind(host: host, port: 0).get()
        return TelemetryListener(channel: channel, host: host, port: channel.localAddress?.port ?? 0)
    }

    /// Stops listening.
    package func stop() async {
        try? await channel.close()
    }

    /// The first IPv4 address `name` resolves to, or nil.
    static func resolve(_ name: String) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        guard let address = first.pointee.ai_addr, first.pointee.ai_family == AF_INET else { return nil }
        return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer -> String? in
            var addr = pointer.pointee.sin_addr
            var buffer = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            guard inet_ntop(AF_INET, &addr, &buffer, socklen_t(INET_ADDRSTRLEN)) != nil else { return nil }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// The `platform.runtimeDone` events of one batch: (request id, status) pairs; empty for anything else.
    package static func runtimeDoneEvents(in body: [UInt8]) -> [(requestID: String, status: String)] {
        guard case .array(let events)? = try? JSONReader.parse(body) else { return [] }
        var found: [(String, String)] = []
        for event in events {
            guard case .string("platform.runtimeDone")? = event.member("type"),
                let record = event.member("record"), case .string(let id)? = record.member("requestId"), !id.isEmpty
            else { continue }
            var status = ""
            if case .string(let s)? = record.member("status") { status = s }
            found.append((id, status))
        }
        return found
    }
}

/// One connection of the telemetry listener.
private final class TelemetryHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let logger: Logger
    private let onRuntimeDone: @Sendable (String, String) -> Void
    private var body: [UInt8] = []
    private var tooLarge = false
    private var keepAlive = false

    init(logger: Logger, onRuntimeDone: @escaping @Sendable (String, String) -> Void) {
        self.logger = logger
        self.onRuntimeDone = onRuntimeDone
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            body = []
            tooLarge = false
            keepAlive = head.isKeepAlive
        case .body(var chunk):
            guard !tooLarge else { return }
            if body.count + chunk.readableBytes > TelemetryListener.maxBodyBytes {
                tooLarge = true
                body = []
                logger.warning(
                    "telemetry batch larger than the limit, ignored",
                    metadata: ["limit_bytes": "\(TelemetryListener.maxBodyBytes)"])
                return
            }
            body += chunk.readBytes(length: chunk.readableBytes) ?? []
        case .end:
            if !tooLarge {
                let events = TelemetryListener.runtimeDoneEvents(in: body)
                for event in events { onRuntimeDone(event.requestID, event.status) }
            }
            body = []
            respond(context: context, status: tooLarge ? .payloadTooLarge : .ok, close: tooLarge || !keepAlive)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    private func respond(context: ChannelHandlerContext, status: HTTPResponseStatus, close: Bool) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: "0")
        if close { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if close {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            done.whenComplete { _ in bound.value.close(promise: nil) }
        }
    }
}
