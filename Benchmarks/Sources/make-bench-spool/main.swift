// Writes a spool of sealed segments of typical agent spans, for the uploader's memory and throughput runs:
//   make-bench-spool DIR TOTAL_BYTES
// Spans are ~400 bytes with 5 attributes and a random (incompressible) 120-byte payload attribute, in traces of 20;
// segments are 64 MiB; the spool stops once TOTAL_BYTES are on disk.
import Foundation
import OTLPWire
import SpoolFormat

let arguments = CommandLine.arguments
guard arguments.count == 3, let totalBytes = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: make-bench-spool DIR TOTAL_BYTES\n".utf8))
    exit(64)
}
let spool = try SpoolDirectory(path: arguments[1])
let resource = OTLPResource(attributes: [OTLPKeyValue("service.name", .string("bench"))]).serialized()
let scope = OTLPInstrumentationScope(name: "TraceSpool", version: "bench").serialized()
let writer = try SegmentWriter(directory: spool, options: .init(resource: resource, scope: scope))
var payload: [UInt8] = []
var inFrame = 0
var spans = 0
var traceID: [UInt8] = []
var root: [UInt8] = []
var start: UInt64 = 1_763_800_000_000_000_000
nonisolated(unsafe) var rng = SystemRandomNumberGenerator()
func randomBytes(_ n: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: n)
    out.withUnsafeMutableBytes { raw in
        var i = 0
        while i < n {
            var word = rng.next()
            withUnsafeBytes(of: &word) { w in
                let k = min(8, n - i)
                raw.baseAddress!.advanced(by: i).copyMemory(from: w.baseAddress!, byteCount: k)
            }
            i += 8
        }
    }
    return out
}
while writer.bytesWritten < totalBytes {
    if spans % 20 == 0 {
        traceID = randomBytes(16)
        root = randomBytes(8)
    }
    start += UInt64.random(in: 100_000...5_000_000, using: &rng)
    let span = OTLPSpan(
        traceID: traceID, spanID: randomBytes(8), parentSpanID: spans % 20 == 0 ? [] : root, flags: 0x101,
        name: "chat gpt-4o-mini", kind: .client, startTimeUnixNano: start,
        endTimeUnixNano: start + UInt64.random(in: 50_000...900_000_000, using: &rng),
        attributes: [
            OTLPKeyValue("gen_ai.request.model", .string("gpt-4o-mini")),
            OTLPKeyValue("gen_ai.usage.input_tokens", .int(Int64.random(in: 10...4000, using: &rng))),
            OTLPKeyValue("gen_ai.usage.output_tokens", .int(Int64.random(in: 10...1000, using: &rng))),
            OTLPKeyValue("session.id", .string("session-\(spans / 100)")),
            OTLPKeyValue("output.value", .bytes(randomBytes(120))),
        ]
    ).serialized()
    RecordEncoding.append(type: .span, body: span, to: &payload)
    inFrame += 1
    spans += 1
    if payload.count >= 60 << 10 {
        try writer.append(payload: payload, recordCount: inFrame)
        payload.removeAll(keepingCapacity: true)
        inFrame = 0
    }
}
if inFrame > 0 { try writer.append(payload: payload, recordCount: inFrame) }
try writer.close()
print("\(spans) spans, \(writer.bytesWritten) bytes, \(writer.segmentsSealed) segments in \(spool.path)")
