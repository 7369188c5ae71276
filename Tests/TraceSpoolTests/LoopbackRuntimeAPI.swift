import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A tiny AWS Lambda Runtime API on 127.0.0.1 (random port) for the demo function's tests: `GET next` hands out the
/// queued invocations one by one (and, once they are used up, never answers, as the real API blocks), every `POST`
/// is answered 202 and recorded. Tests wait for posts without polling.
final class LoopbackRuntimeAPI: Sendable {
    /// One queued invocation.
    struct Invocation: Sendable {
        var requestID: String
        var event: String
        var deadlineUnixMillis: Int64 = 4_102_444_800_000  // 2100-01-01
        var traceHeader: String? = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        var invokedFunctionARN = "arn:aws:lambda:eu-west-1:123456789012:function:demo-fn:live"
    }

    /// One POST received.
    struct Post: Sendable, Equatable {
        var path: String
        var body: String
        var errorType: String?
    }

    private struct State {
        var queue: [Invocation]
        var posts: [Post] = []
        var nextRequests = 0
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state: Mutex<State>
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    var endpoint: String { "127.0.0.1:\(port)" }
    let port: Int

    private init(queue: [Invocation], port: Int) {
        state = Mutex(State(queue: queue))
        self.port = port
    }

    /// Starts a server that hands out `invocations`.
    static func start(_ invocations: [Invocation]) async throws -> LoopbackRuntimeAPI {
        let holder = Holder()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RuntimeHandler(holder: holder))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let api = LoopbackRuntimeAPI(queue: invocations, port: channel.localAddress?.port ?? 0)
        api.channel.withLock { $0 = channel }
        holder.box.withLock { $0 = api }
        return api
    }

    /// The posts received so far.
    var posts: [Post] { state.withLock { $0.posts } }

    /// How many `GET next` requests arrived.
    var nextRequests: Int { state.withLock { $0.nextRequests } }

    /// Waits until `count` posts arrived.
    func waitForPosts(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { s -> Bool in
                if s.posts.count >= count { return true }
                s.waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    /// Stops listening.
    func stop() async {
        let channel = self.channel.withLock { $0 }
        try? await channel?.close()
    }

    /// The next queued invocation, if any.
    fileprivate func takeNext() -> Invocation? {
        state.withLock { s in
            s.nextRequests += 1
            return s.queue.isEmpty ? nil : s.queue.removeFirst()
        }
    }

    fileprivate func record(_ post: Post) {
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.posts.append(post)
            let count = s.posts.count
            let ready = s.waiters.filter { $0.count <= count }.map(\.continuation)
            s.waiters.removeAll { $0.count <= count }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    fileprivate final class Holder: Sendable {
        let box = Mutex<LoopbackRuntimeAPI?>(nil)
        var api: LoopbackRuntimeAPI? { box.withLock { $0 } }
    }
}

private final class RuntimeHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let holder: LoopbackRuntimeAPI.Holder
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(holder: LoopbackRuntimeAPI.Holder) { self.holder = holder }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let api = holder.api else { return }
            if head.method == .GET, head.uri == "/2018-06-01/runtime/invocation/next" {
                guard let next = api.takeNext() else { return }  // blocks forever, as the real API does
                var headers = [
                    ("Lambda-Runtime-Aws-Request-Id", next.requestID),
                    ("Lambda-Runtime-Deadline-Ms", String(next.deadlineUnixMillis)),
                    ("Lambda-Runtime-Invoked-Function-Arn", next.invokedFunctionARN),
                    ("Content-Type", "application/json"),
                ]
                if let trace = next.traceHeader { headers.append(("Lambda-Runtime-Trace-Id", trace)) }
                respond(context: context, status: .ok, headers: headers, body: Array(next.event.utf8))
            } else if head.method == .POST {
                api.record(
                    LoopbackRuntimeAPI.Post(
                        path: head.uri, body: String(decoding: body, as: UTF8.self),
                        errorType: head.headers.first(name: "Lambda-Runtime-Function-Error-Type")))
                respond(context: context, status: .accepted, headers: [], body: Array(#"{"status":"OK"}"#.utf8))
            } else {
                respond(context: context, status: .notFound, headers: [], body: [])
            }
        }
    }

    private func respond(
        context: ChannelHandlerContext, status: HTTPResponseStatus, headers extra: [(String, String)], body: [UInt8]
    ) {
        var headers = HTTPHeaders()
        for (k, v) in extra { headers.add(name: k, value: v) }
        headers.add(name: "Content-Length", value: String(body.count))
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
