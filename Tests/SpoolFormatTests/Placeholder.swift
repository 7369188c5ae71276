import Testing
@testable import SpoolFormat
import Foundation

@Test func smokeRoundTrip() throws {
    let dir = NSTemporaryDirectory() + "smoke-\(UUID().uuidString)"
    let spool = try SpoolDirectory(path: dir)
    let w = try SegmentWriter(directory: spool, options: .init(maxSegmentBytes: 100_000, resource: [1,2,3], scope: [4]))
    var total = 0
    for f in 0..<50 {
        var payload: [UInt8] = []
        for r in 0..<100 { RecordEncoding.append(type: .span, body: Array("frame \(f) record \(r) \(UInt64.random(in: 0...UInt64.max)) \(UInt64.random(in: 0...UInt64.max))".utf8), to: &payload) }
        try w.append(payload: payload, recordCount: 100)
        total += 100
    }
    try w.sync()
    try w.close()
    let segs = try spool.segments()
    #expect(segs.count > 1)
    var n = 0
    for s in segs {
        #expect(s.name.state == .sealed)
        let r = try SegmentReader(path: s.path)
        #expect(r.header.resource == [1,2,3])
        while let fr = r.nextFrame() { n += fr.records.count }
        #expect(r.damageCount == 0)
        #expect(r.tail == .clean)
    }
    #expect(n == total)
}
