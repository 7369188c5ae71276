import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback stand-in for Lambda's Extensions and Telemetry APIs (`AWS_LAMBDA_RUNTIME_API`), for the extension
/// mode's tests: it records every call in order, parks each `event/next` until the test sends an event, and answers
/// register, init/error, exit/error and the telemetry subscription as the real API does (paths, headers and statuses
/// of the Runtime Interface Emulator's `internal/lambda/rapi`).
final class FakeExtensionsAPI: Sendable {
    /// One call the extension made.
    struct Call: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: [UInt8]
        /// When it arrived (the test's continuous clock).
        var at: ContinuousClock.Instant

        var bodyText: String { String(decoding: body, as: UTF8.self) }
    }

    /// How the telemetry subscription is answered.
    enum Telemetry: Sendable {
        /// 200: subscribed.
        case subscribe
        /// 202 `Telemetry.NotSupported`, as the emulator's stub answers.
        case notSupported
    }

    private struct State {
        var calls: [Call] = []
        var parkedNext: (@Sendable (Int, [UInt8]) -> Void)?
        var queued: [(Int, [UInt8])] = []
        var waiters: [(condition: @Sendable ([Call]) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    }

    let port: Int
    private let channel: any Channel
    private let state: Mutex<State>
    private let telemetry: Telemetry

    /// `127.0.0.1:<port>`: the value of `AWS_LAMBDA_RUNTIME_API`.
    var address: String { "127.0.0.1:\(port)" }

    private init(channel: any Channel, telemetry: Telemetry) {
        self.channel = channel
        self.port = channel.localAddress!.port!
        self.state = Mutex(State())
        self.telemetry = telemetry
    }

    /// Starts the fake on a random loopback port.
    static func start(telemetry: Telemetry = .subscribe) async throws -> FakeExtensionsAPI {
        let box = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(FakeHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let api = FakeExtensionsAPI(channel: channel, telemetry: telemetry)
        box.api.withLock { $0 = api }
        return api
    }

    func stop() async { try? await channel.close() }

    /// Every call so far, in arrival order.
    var calls: [Call] { state.withLock { $0.calls } }

    /// The calls to `path` (a suffix such as `event/next`).
    func calls(to path: String) -> [Call] { calls.filter { $0.path.hasSuffix(path) } }

    /// The subscription's destination URI, once subscribed.
    var telemetryURI: String? {
        guard let body = calls(to: "/telemetry").last?.body,
            let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let destination = json["destination"] as? [String: Any]
        else { return nil }
        return destination["URI"] as? String
    }

    /// Answers the parked (or the next) `event/next` with `status` and `body`.
    func send(status: Int = 200, body: [UInt8]) {
        let parked = state.withLock { s -> (@Sendable (Int, [UInt8]) -> Void)? in
            if let p = s.parkedNext {
                s.parkedNext = nil
                return p
            }
            s.queued.append((status, body))
            return nil
        }
        parked?(status, body)
    }

    /// Sends an INVOKE event for `requestID` whose deadline is `timeoutMs` from now.
    func invoke(_ requestID: String, timeoutMs: Int64 = 60_000) {
        let deadline = Int64(Date().timeIntervalSince1970 * 1000) + timeoutMs
        send(
            body: Array(
                #"{"eventType":"INVOKE","deadlineMs":\#(deadline),"requestId":"\#(requestID)","invokedFunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:test","tracing":{"type":"X-Amzn-Trace-Id","value":"Root=1-5f35ae12-0c0fec141ab77a00bc047aa2"}}"#
                    .utf8))
    }

    /// Sends a SHUTDOWN event whose deadline is `inMs` from now.
    func shutdown(reason: String = "spindown", inMs: Int64 = 2000) {
        let deadline = Int64(Date().timeIntervalSince1970 * 1000) + inMs
        send(body: Array(#"{"eventType":"SHUTDOWN","shutdownReason":"\#(reason)","deadlineMs":\#(deadline)}"#.utf8))
    }

    /// Waits until `condition` holds for the calls received.
    func wait(until condition: @escaping @Sendable ([Call]) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { s -> Bool in
                if condition(s.calls) { return true }
                s.waiters.append((condition, continuation))
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Waits until the extension has called `event/next` `count` times.
    func waitForNext(_ count: Int) async {
        await wait { calls in calls.filter { $0.path.hasSuffix("event/next") }.count >= count }
    }

    /// Records a call; for `event/next`, parks `answer` (or answers from the queue).
    fileprivate func record(_ call: Call, answer: @escaping @Sendable (Int, [(String, String)], [UInt8]) -> Void) {
        var immediate: (Int, [(String, String)], [UInt8])?
        let ready = state.withLock { s -> [CheckedContinuation<Void, Never>] in
            s.calls.append(call)
            if call.path.hasSuffix("/extension/register") {
                immediate = (
                    200, [("Lambda-Extension-Identifier", "fake-extension-id"), ("Content-Type", "application/json")],
                    Array(#"{"functionName":"test","functionVersion":"$LATEST","handler":"bootstrap"}"#.utf8)
                )
            } else if call.path.hasSuffix("/extension/event/next") {
                if !s.queued.isEmpty {
                    let (status, body) = s.queued.removeFirst()
                    immediate = (status, [], body)
                } else {
                    s.parkedNext = { status, body in answer(status, [], body) }
                }
            } else if call.path.hasSuffix("/init/error") || call.path.hasSuffix("/exit/error") {
                immediate = (202, [], Array(#"{"status":"OK"}"#.utf8))
            } else if call.path.hasSuffix("/telemetry") {
                immediate =
                    telemetry == .subscribe
                    ? (200, [], Array("OK".utf8))
                    : (
                        202, [],
                        Array(
                            #"{"errorType":"Telemetry.NotSupported","errorMessage":"Telemetry API is not supported"}"#
                                .utf8)
                    )
            } else {
                immediate = (404, [], [])
            }
            let calls = s.calls
            var ready: [CheckedContinuation<Void, Never>] = []
            s.waiters.removeAll { waiter in
                guard waiter.condition(calls) else { return false }
                ready.append(waiter.continuation)
                return true
            }
            return ready
        }
        if let immediate { answer(immediate.0, immediate.1, immediate.2) }
        for continuation in ready { continuation.resume() }
    }

    fileprivate final class Box: Sendable {
        let api = Mutex<FakeExtensionsAPI?>(nil)
    }

    private final class FakeHandler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        private let box: Box
        private var head: HTTPRequestHead?
        private var body: [UInt8] = []

        init(box: Box) { self.box = box }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let h):
                head = h
                body = []
            case .body(var buffer):
                body += buffer.readBytes(length: buffer.readableBytes) ?? []
            case .end:
                guard let head, let api = box.api.withLock({ $0 }) else { return }
                var headers: [String: String] = [:]
                for (name, value) in head.headers { headers[name.lowercased()] = value }
                let call = Call(
                    method: "\(head.method)", path: head.uri, headers: headers, body: body, at: .now)
                let bound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
                let loop = context.eventLoop
                api.record(call) { status, extra, body in
                    loop.execute {
                        let (context, handler) = bound.value
                        handler.respond(context: context, status: status, headers: extra, body: body)
                    }
                }
            }
        }

        func respond(context: ChannelHandlerContext, status: Int, headers extra: [(String, String)], body: [UInt8]) {
            var headers = HTTPHeaders()
            for (name, value) in extra { headers.add(name: name, value: value) }
            headers.add(name: "Content-Length", value: "\(body.count)")
            let head = HTTPResponseHead(
                version: .http1_1, status: HTTPResponseStatus(statusCode: status), headers: headers)
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
