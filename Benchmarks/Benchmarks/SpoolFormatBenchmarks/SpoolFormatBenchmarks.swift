import Benchmark
import BenchmarkWorkload
import Foundation
@_spi(Internal) import SpoolFormat

// Spool format throughput (targets in README.md): writing = record framing + LZ4 + CRC-32C + append of ~64 KiB frames of
// typical span records; reading = read + CRC-32C + LZ4 decompression + record split. Each iteration handles one frame
// (write) or one 16 MiB segment (read), so MB/s = bytes / (time per iteration). A memcpy of the same bytes is the
// baseline in the same run.

/// Typical span records: an agent trace's spans with five attributes each, realistic ids and times, no payloads.
func typicalSpanRecords(count: Int) -> [[UInt8]] {
    var spans = AgentSpanRecords(
        names: ["chat gpt-4o-mini", "tool web_search", "retrieve documents", "agent planner", "tool read_file"],
        kind: .internal, firstSpanIsTopLevel: false, spanType: { $0 % 5 == 1 ? "tool" : "generation" },
        errorEvery: 50)
    return (0..<count).map { _ in spans.next() }
}

/// Frames the records into payloads of about `frameBytes` each: (payload, record count).
func framePayloads(_ records: [[UInt8]], frameBytes: Int) -> [([UInt8], Int)] {
    var result: [([UInt8], Int)] = []
    var payload: [UInt8] = []
    var count = 0
    for r in records {
        if payload.count + r.count + 4 > frameBytes, count > 0 {
            result.append((payload, count))
            payload = []
            count = 0
        }
        RecordEncoding.append(type: .span, body: r, to: &payload)
        count += 1
    }
    if count > 0 { result.append((payload, count)) }
    return result
}

func temporarySpool(_ label: String) -> SpoolDirectory {
    let path = NSTemporaryDirectory() + "tracespool-bench-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    return try! SpoolDirectory(path: path)
}

func removeSpool(_ spool: SpoolDirectory) { try? FileManager.default.removeItem(atPath: spool.path) }

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds,
        maxDuration: .seconds(3), maxIterations: 100_000)

    let records = typicalSpanRecords(count: 20_000)
    let recordBytes = records.reduce(0) { $0 + $1.count }
    let frames = framePayloads(records, frameBytes: 64 << 10)
    let frameBytes = frames.map { $0.0.count }.reduce(0, +) / frames.count
    report(
        "typical span record: \(recordBytes / records.count) bytes; frame payload: \(frameBytes) bytes, "
            + "\(frames[0].1) records; CRC-32C hardware: \(CRC32C.isHardwareAccelerated)")

    Benchmark("Baseline: memcpy of one 64 KiB frame payload") { benchmark in
        var destination = [UInt8](repeating: 0, count: frames[0].0.count)
        for i in benchmark.scaledIterations {
            let source = frames[i % frames.count].0
            destination.withUnsafeMutableBytes { d in source.withUnsafeBytes { d.copyMemory(from: $0) } }
            blackHole(destination)
        }
    }

    Benchmark("Write: frame records + LZ4 + CRC-32C + append, per 64 KiB frame") { benchmark in
        let spool = temporarySpool("write")
        defer { removeSpool(spool) }
        let writer = try! SegmentWriter(directory: spool, options: .init(maxSegmentBytes: 1 << 30))
        var payload: [UInt8] = []
        payload.reserveCapacity(80 << 10)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            // Record framing is part of the measured work: rebuild the payload from the span records.
            let start = (i % frames.count) * frames[0].1
            payload.removeAll(keepingCapacity: true)
            var n = 0
            for r in records[(start % records.count)...] {
                if payload.count + r.count + 4 > (64 << 10) { break }
                RecordEncoding.append(type: .span, body: r, to: &payload)
                n += 1
            }
            try! writer.append(payload: payload, recordCount: n)
            if writer.currentSegmentBytes > (256 << 20) { try! writer.seal() }
        }
        benchmark.stopMeasurement()
        try! writer.close()
    }

    Benchmark("Write: LZ4 + CRC-32C only (FrameEncoder), per 64 KiB frame") { benchmark in
        let encoder = FrameEncoder()
        for i in benchmark.scaledIterations {
            let (payload, n) = frames[i % frames.count]
            payload.withUnsafeBytes { blackHole(try! encoder.encode(payload: $0, recordCount: n, sequence: 0).count) }
        }
    }

    // Reading: one 16 MiB (uncompressed) segment per iteration, read from the page cache.
    let readSpool = temporarySpool("read")
    let readWriter = try! SegmentWriter(directory: readSpool, options: .init(maxSegmentBytes: 1 << 30))
    var segmentBytes = 0
    while segmentBytes < 16 << 20 {
        for (payload, n) in frames where segmentBytes < 16 << 20 {
            try! readWriter.append(payload: payload, recordCount: n)
            segmentBytes += payload.count
        }
    }
    try! readWriter.close()
    let segmentPath = try! readSpool.segments()[0].path
    let fileBytes = try! readSpool.segments()[0].sizeBytes
    report(
        "read segment: \(segmentBytes) bytes uncompressed, \(fileBytes) on disk (LZ4 ratio "
            + "\(Double(segmentBytes) / Double(fileBytes)))")

    Benchmark(
        "Read: read + CRC-32C + LZ4 decompress + split, per 16 MiB segment",
        configuration: .init(maxIterations: 2000, teardown: { removeSpool(readSpool) })
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            let reader = try! SegmentReader(path: segmentPath)
            var n = 0
            while let frame = reader.nextFrame() { n += frame.records.count }
            precondition(reader.damageCount == 0)
            blackHole(n)
        }
    }

    Benchmark("Baseline: memcpy of 16 MiB", configuration: .init(maxIterations: 2000)) { benchmark in
        let source = [UInt8](repeating: 7, count: 16 << 20)
        var destination = [UInt8](repeating: 0, count: 16 << 20)
        for _ in benchmark.scaledIterations {
            destination.withUnsafeMutableBytes { d in source.withUnsafeBytes { d.copyMemory(from: $0) } }
            blackHole(destination)
        }
    }
}
