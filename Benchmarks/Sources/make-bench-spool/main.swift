// Writes a spool of sealed segments of typical agent spans, for the uploader's memory and throughput runs:
//   make-bench-spool DIR TOTAL_BYTES
// Spans are ~400 bytes with 5 attributes and a random (incompressible) 120-byte payload attribute, in traces of 20;
// segments are 64 MiB; the spool stops once TOTAL_BYTES are on disk.
import BenchmarkWorkload
import Foundation
import SpoolFormat

let arguments = CommandLine.arguments
guard arguments.count == 3, let totalBytes = Int(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: make-bench-spool DIR TOTAL_BYTES\n".utf8))
    exit(64)
}
let spool = try SpoolDirectory(path: arguments[1])
let writer = try SegmentWriter(directory: spool, options: AgentSpanRecords.segmentOptions)
var generator = AgentSpanRecords(
    names: ["chat gpt-4o-mini"], kind: .client, firstSpanIsTopLevel: true, spanType: { _ in nil },
    payloadCharacters: 120)
var payload: [UInt8] = []
var inFrame = 0
var spans = 0
while writer.bytesWritten < totalBytes {
    RecordEncoding.append(type: .span, body: generator.next(), to: &payload)
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
