import Benchmark
import BenchmarkWorkload
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import SpoolFormat
import TraceSpoolUpload

// Uploader throughput (target: ≥ 300,000 spans/s drained to a loopback server that accepts and discards;
// CPU seconds per million spans reported too). Each sample copies a template spool of 200,000 typical spans (not
// measured), then measures `SpoolUploader.drainOnce()` through the real OTLP/HTTP exporter (AsyncHTTPClient, keep-alive) to an
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
    let writer = try! SegmentWriter(directory: spool, options: AgentSpanRecords.segmentOptions)
    var spans = AgentSpanRecords(
        names: ["chat gpt-4o-mini"], kind: .client, firstSpanIsTopLevel: true, spanType: { _ in "generation" })
    var payload: [UInt8] = []
    var inFrame = 0
    for _ in 0..<count {
        let span = spans.next()
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
        let uploader = try! SpoolUploader(
            configuration: .init(
                spoolDirectories: [spool],
                destination: .otlpHTTP(.init(tracesEndpoint: "http://127.0.0.1:\(port)/v1/traces"))),
            logger: logger)
        benchmark.startMeasurement()
        let summary = await uploader.drainOnce()
        benchmark.stopMeasurement()
        precondition(summary.spansDelivered == spansPerSpool, "delivered \(summary.spansDelivered)")
    }
}
