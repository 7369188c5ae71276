import Benchmark
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import OTLPWire
import SpoolFormat
import TraceSpoolUpload

// Uploader throughput (issue 4 target: ≥ 300,000 spans/s drained to a loopback server that accepts and discards;
// CPU seconds per million spans reported too). Each sample copies a template spool of 200,000 typical spans (not
// measured), then measures `Uploader.drainOnce()` through the real otlp-http sink (AsyncHTTPClient, keep-alive) to an
// in-process NIO server on 127.0.0.1 that reads each request and answers 200. The CPU figure includes that server.
// spans/s = 200,000 × throughput; CPU s per million spans = CPU time / 0.2.

let spansPerSpool = 200_000

/// Accepts every request, discards its body, answers 200 with an empty body.
final class DiscardHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .end = unwrapInboundIn(data) else { return }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-protobuf")
        headers.add(name: "Content-Length", value: "0")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

func startDiscardServer() -> Int {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let channel = try! ServerBootstrap(group: group)
        .serverChannelOption(.backlog, value: 64)
        .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        .childChannelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                try channel.pipeline.syncOperations.addHandler(DiscardHandler())
            }
        }
        .bind(host: "127.0.0.1", port: 0).wait()
    return channel.localAddress!.port!
}

/// A sealed-segment spool of `count` typical agent spans (five attributes, traces of 20 spans).
func makeTemplateSpool(count: Int) -> String {
    let path = NSTemporaryDirectory() + "tracespool-bench-upload-template-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    let spool = try! SpoolDirectory(path: path)
    let resource = OTLPResource(attributes: [OTLPKeyValue("service.name", .string("bench"))]).serialized()
    let scope = OTLPInstrumentationScope(name: "TraceSpool", version: "bench").serialized()
    let writer = try! SegmentWriter(directory: spool, options: .init(resource: resource, scope: scope))
    var rng = SystemRandomNumberGenerator()
    var payload: [UInt8] = []
    var inFrame = 0
    var traceID: [UInt8] = []
    var root: [UInt8] = []
    var start: UInt64 = 1_763_800_000_000_000_000
    for i in 0..<count {
        if i % 20 == 0 {
            traceID = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
            root = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        start += UInt64.random(in: 100_000...5_000_000, using: &rng)
        let span = OTLPSpan(
            traceID: traceID, spanID: (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) },
            parentSpanID: i % 20 == 0 ? [] : root, flags: 0x101, name: "chat gpt-4o-mini", kind: .client,
            startTimeUnixNano: start, endTimeUnixNano: start + UInt64.random(in: 50_000...900_000_000, using: &rng),
            attributes: [
                OTLPKeyValue("gen_ai.request.model", .string("gpt-4o-mini")),
                OTLPKeyValue("gen_ai.usage.input_tokens", .int(Int64.random(in: 10...4000, using: &rng))),
                OTLPKeyValue("gen_ai.usage.output_tokens", .int(Int64.random(in: 10...1000, using: &rng))),
                OTLPKeyValue("session.id", .string("session-\(i / 100)")),
                OTLPKeyValue("tracespool.span.type", .string("generation")),
            ]
        ).serialized()
        RecordEncoding.append(type: .span, body: span, to: &payload)
        inFrame += 1
        if payload.count >= 60 << 10 {
            try! writer.append(payload: payload, recordCount: inFrame)
            payload.removeAll(keepingCapacity: true)
            inFrame = 0
        }
    }
    if inFrame > 0 { try! writer.append(payload: payload, recordCount: inFrame) }
    try! writer.close()
    return path
}

func copySpool(from template: String) -> String {
    let path = NSTemporaryDirectory() + "tracespool-bench-upload-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    try! FileManager.default.copyItem(atPath: template, toPath: path)
    return path
}

let benchmarks: @Sendable () -> Void = {
    let template = makeTemplateSpool(count: spansPerSpool)
    let port = startDiscardServer()
    var logger = Logger(label: "bench")
    logger.logLevel = .critical

    Benchmark(
        "otlp-http: drain 200,000 spans to a loopback discard server, per spool",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, .throughput, .peakMemoryResident], timeUnits: .milliseconds,
            maxDuration: .seconds(30), maxIterations: 20)
    ) { benchmark in
        let spool = copySpool(from: template)
        defer { try? FileManager.default.removeItem(atPath: spool) }
        let metrics = UploadMetrics()
        let sink = OTLPHTTPSink(
            configuration: OTLPHTTPConfiguration(tracesURL: "http://127.0.0.1:\(port)/v1/traces"),
            retryPolicy: RetryPolicy(), metrics: metrics, logger: logger)
        let uploader = Uploader(
            configuration: UploaderConfiguration(spoolPaths: [spool]), sink: sink, metrics: metrics, logger: logger)
        benchmark.startMeasurement()
        let summary = await uploader.drainOnce()
        benchmark.stopMeasurement()
        await sink.shutdown()
        precondition(summary.report.delivered == spansPerSpool, "delivered \(summary.report.delivered)")
    }
}
