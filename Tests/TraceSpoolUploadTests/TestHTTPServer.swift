import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import TraceSpoolUpload

/// What the scripted test server does with one request.
enum ScriptedResponse: Sendable {
    /// 200 with an empty body.
    case ok
    /// A status with optional headers and body.
    case status(Int, headers: [(String, String)] = [], body: [UInt8] = [])
    /// 200 with an `ExportTraceServiceResponse` partial-success body.
    case partialSuccess(rejected: Int64, message: String)
    /// Never answer.
    case hang
    /// Reset the connection (SO_LINGER 0 then close).
    case reset
}

/// One request the server received, body already gunzipped when it was gzip-encoded.
struct ReceivedRequest: Sendable {
    var method: String
    var uri: String
    var headers: [(String, String)]
    var body: [UInt8]
    var rawBodyCount: Int
    /// The status answered (0 for hang/reset).
    var answered: Int

    func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}

/// A real HTTP/1.1 server on 127.0.0.1 (random port) answering as its script says.
final class TestHTTPServer: Sendable {
    typealias Script = @Sendable (_ index: Int, _ request: ReceivedRequest) -> ScriptedResponse

    let port: Int
    private let channel: any Channel
    let state: Mutex<[ReceivedRequest]>

    private init(channel: any Channel) {
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.state = Mutex([])
    }

    var url: String { "http://127.0.0.1:\(port)" }
    var httpsURL: String { "https://127.0.0.1:\(port)" }

    /// Starts the server; with `tls`, it speaks HTTPS only.
    static func start(tls: NIOSSLContext? = nil, script: @escaping Script) async throws -> TestHTTPServer {
        let box = ServerState()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(script: script, box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = TestHTTPServer(channel: channel)
        box.server.withLock { $0 = server }
        return server
    }

    /// The requests received so far.
    var requests: [ReceivedRequest] { state.withLock { $0 } }

    /// Records a request and returns its index.
    func record(_ r: ReceivedRequest) -> Int {
        state.withLock {
            $0.append(r)
            return $0.count - 1
        }
    }

    func setAnswered(_ index: Int, _ status: Int) { state.withLock { $0[index].answered = status } }

    func stop() async { try? await channel.close() }

    /// Span bodies of every request answered 2xx.
    func deliveredSpans() throws -> [[UInt8]] {
        try requests.filter { (200..<300).contains($0.answered) }.flatMap { try OTLPRequestWalker.spans(in: $0.body) }
    }
}

final class ServerState: Sendable {
    let server = Mutex<TestHTTPServer?>(nil)
}

private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let script: TestHTTPServer.Script
    let box: ServerState
    var head: HTTPRequestHead?
    var body: [UInt8] = []

    init(script: @escaping TestHTTPServer.Script, box: ServerState) {
        self.script = script
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head, let server = box.server.withLock({ $0 }) else { return }
            let headers = head.headers.map { ($0.name, $0.value) }
            var decoded = body
            if head.headers.first(name: "content-encoding") == "gzip" { decoded = Gzip.decompress(body) ?? [] }
            var request = ReceivedRequest(
                method: "\(head.method)", uri: head.uri, headers: headers, body: decoded, rawBodyCount: body.count,
                answered: 0)
            let index = server.record(request)
            request.answered = 0
            let response = script(index, request)
            switch response {
            case .hang:
                return
            case .reset:
                if let provider = context.channel as? any SocketOptionProvider {
                    _ = provider.setSoLinger(linger(l_onoff: 1, l_linger: 0))
                }
                context.close(promise: nil)
            case .ok:
                server.setAnswered(index, 200)
                respond(context: context, status: 200, headers: [], body: [])
            case .status(let code, let extra, let responseBody):
                server.setAnswered(index, code)
                respond(context: context, status: code, headers: extra, body: responseBody)
            case .partialSuccess(let rejected, let message):
                server.setAnswered(index, 200)
                let bytes = PartialSuccessEncoding.encode(rejected: rejected, message: message)
                respond(
                    context: context, status: 200, headers: [("Content-Type", "application/x-protobuf")], body: bytes)
            }
        }
    }

    private func respond(context: ChannelHandlerContext, status: Int, headers extra: [(String, String)], body: [UInt8])
    {
        var headers = HTTPHeaders()
        for (k, v) in extra { headers.add(name: k, value: v) }
        headers.add(name: "Content-Length", value: String(body.count))
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if !body.isEmpty { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
