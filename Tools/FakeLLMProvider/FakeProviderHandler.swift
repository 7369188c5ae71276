import NIOCore
import NIOHTTP1

/// One connection of `FakeLLMProvider`: reads each request whole, asks `FakeProviderRouter` for the reply, writes it
/// (a streamed reply one server-sent event per write and flush, so the client sees the events arrive apart).
final class FakeProviderHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let holder: FakeLLMProvider.Holder
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(holder: FakeLLMProvider.Holder) { self.holder = holder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let provider = holder.provider else { return }
            let request = FakeLLMProvider.ReceivedRequest(
                method: head.method.rawValue, uri: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                body: body)
            provider.received(request)
            let reply = FakeProviderRouter.reply(to: request, requireKey: provider.requireKey)
            write(reply, context: context, keepAlive: head.isKeepAlive)
        }
    }

    private func write(_ reply: FakeReply, context: ChannelHandlerContext, keepAlive: Bool) {
        var headers = HTTPHeaders()
        for (name, value) in reply.headers { headers.add(name: name, value: value) }
        switch reply.body {
        case .whole(let bytes):
            headers.add(name: "Content-Length", value: String(bytes.count))
            context.write(wrapOutboundOut(.head(head(reply.status, headers))), promise: nil)
            if !bytes.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: bytes)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .events(let events):
            // No Content-Length: NIO frames the body with chunked transfer encoding.
            context.writeAndFlush(wrapOutboundOut(.head(head(reply.status, headers))), promise: nil)
            for event in events.prefix(reply.stallAfterEvents ?? events.count) {
                context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: event)))), promise: nil)
            }
            // A stalled stream never ends: the client gives up (cancels or abandons) and closes the connection.
            if let stall = reply.stallAfterEvents, stall < events.count { return }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
        if !keepAlive { context.close(promise: nil) }
    }

    private func head(_ status: Int, _ headers: HTTPHeaders) -> HTTPResponseHead {
        HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
    }
}
