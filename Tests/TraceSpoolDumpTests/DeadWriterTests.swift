import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump

/// A writer holds a segment's lock, then dies without sealing it (its lock is released): the segment turns from live
/// to abandoned, and only then does salvage touch it. (`WriterCrashTests` in the format tests kills real writer
/// processes.)
@Suite struct DeadWriterTests {
    @Test func aLockHolderThatDiesMakesTheSegmentAbandoned() throws {
        try withTemporarySpool { spool in
            var segment = Fixture.segment()
            try segment.append(Fixture.agentTrace())
            // Locked the way a writer locks its open segment (LOCK_EX), for as long as the writer lives.
            let live = try segment.writeLive(into: spool.path)
            let input = try SpoolInput(path: spool.path)
            #expect(try input.segments().map(\.state) == [.live])
            #expect(SegmentSalvager().run(input: input, segments: try input.segments())[0].action == .skipped)

            live.abandon()
            #expect(try input.segments().map(\.state) == [.abandoned])
            let o = SegmentSalvager(removeOriginal: true).run(input: input, segments: try input.segments())[0]
            #expect(o.action == .salvaged && o.spans == 5 && o.removedOriginal)
            #expect(try input.segments().map(\.state) == [.sealed])
        }
    }
}
