import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
import TraceSpoolUpload

/// What the scripted test server does with one request.
indirect enum ScriptedResponse: Sendable {
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
    /// Answer `response` once `gate` opens (at once if it is open).
    case after(ResponseGate, ScriptedResponse)
}

/// Holds scripted answers back until the test opens it.
final class ResponseGate: Sendable {
    private let state = Mutex<(open: Bool, parked: [@Sendable () -> Void])>((false, []))

    /// Runs `answer` once the gate is open.
    func park(_ answer: @escaping @Sendable () -> Void) {
        let now = state.withLock { s -> Bool in
            if s.open { return true }
            s.parked.append(answer)
            return false
        }
        if now { answer() }
    }

    /// Opens the gate: the answers held back go out.
    func open() {
        let parked = state.withLock { s in
            s.open = true
            defer { s.parked = [] }
            return s.parked
        }
        for answer in parked { answer() }
    }
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

/// A real HTTP/1.1 server on 127.0.0.1 (random port) answering as its script says. Tests can wait for it to have
/// received requests or delivered spans (no polling).
final class TestHTTPServer: Sendable {
    typealias Script = @Sendable (_ index: Int, _ request: ReceivedRequest) -> ScriptedResponse

    /// What the server received, and who waits for what.
    private struct State {
        var requests: [ReceivedRequest] = []
        /// Spans in requests answered 2xx.
        var deliveredSpans = 0
        var nextWaiter = 0
        var waiters: [Int: (condition: @Sendable (State) -> Bool, continuation: CheckedContinuation<Void, Never>)] = [:]

        /// Removes and returns the waiters whose condition holds.
        mutating func readyWaiters() -> [CheckedContinuation<Void, Never>] {
            let now = self
            let ready = waiters.filter { $0.value.condition(now) }
            for id in ready.keys { waiters[id] = nil }
            return ready.values.map(\.continuation)
        }
    }

    let port: Int
    private let channel: any Channel
    private let state = Mutex(State())

    private init(channel: any Channel) {
        self.channel = channel
        self.port = channel.localAddress!.port!
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
    var requests: [ReceivedRequest] { state.withLock { $0.requests } }

    /// Records a request and returns its index.
    func record(_ r: ReceivedRequest) -> Int {
        let (index, ready) = state.withLock { s in
            s.requests.append(r)
            return (s.requests.count - 1, s.readyWaiters())
        }
        for waiter in ready { waiter.resume() }
        return index
    }

    func setAnswered(_ index: Int, _ status: Int) {
        let ready = state.withLock { s in
            s.requests[index].answered = status
            if (200..<300).contains(status) {
                s.deliveredSpans += (try? OTLPRequestWalker.spans(in: s.requests[index].body).count) ?? 0
            }
            return s.readyWaiters()
        }
        for waiter in ready { waiter.resume() }
    }

    /// Returns once at least `count` requests were received (or the task is cancelled).
    func waitForRequests(_ count: Int) async {
        await wait(until: { $0.requests.count >= count })
    }

    /// Returns once requests answered 2xx held at least `count` spans (the answer may still be on its way), or the
    /// task is cancelled.
    func waitForDeliveredSpans(_ count: Int) async {
        await wait(until: { $0.deliveredSpans >= count })
    }

    private func wait(until condition: @escaping @Sendable (State) -> Bool) async {
        let id = state.withLock { s -> Int in
            s.nextWaiter += 1
            return s.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { s -> Bool in
                    if condition(s) || Task.isCancelled { return true }
                    s.waiters[id] = (condition, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.continuation.resume()
        }
    }

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
            answer(script(index, request), index: index, server: server, context: context)
        }
    }

    private func answer(
        _ response: ScriptedResponse, index: Int, server: TestHTTPServer, context: ChannelHandlerContext
    ) {
        switch response {
        case .after(let gate, let later):
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            gate.park {
                bound.eventLoop.execute {
                    let (handler, context) = bound.value
                    handler.answer(later, index: index, server: server, context: context)
                }
            }
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
