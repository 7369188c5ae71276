// Instruction counts of the LLM edge instrumentation, for callgrind: QB_CASE=llm (a non-streamed exchange) or
// QB_CASE=llmstream (a streamed one, 40 chunks) QB_N=<exchanges> runs the benchmark's exchange (Wire.swift, shared
// with Benchmarks/LLMBenchmarks) N times on a tracer writing to a temporary spool, then shuts the tracer down. See
// llm-cg.sh.
import Foundation
import TraceSpool
@_spi(Internal) import TraceSpoolLLM

let environment = ProcessInfo.processInfo.environment
let n = Int(environment["QB_N"] ?? "") ?? 1_000
let stream = environment["QB_CASE"] == "llmstream"
var config = TracerConfiguration(
    serviceName: "llm-quickbench", spoolDirectory: NSTemporaryDirectory() + "llm-quickbench-\(getpid())")
config.shutdownAtExit = false
config.maxQueuedBuffers = 4096
let tracer = SpoolTracer(configuration: config)
let driver = stream ? Wire.streamed(tracer) : Wire.nonStreaming(tracer)
for _ in 0..<n { _ = driver.run() }
tracer.shutdown()
try? FileManager.default.removeItem(atPath: config.spoolDirectory)
