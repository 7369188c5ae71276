import Foundation
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump

@Suite struct SnapshotTests {
    @Test func spansTextSnapshot() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let out = Fixture.render { SpanLister().run(segments: try! spool.segments(), to: &$0) }
            let expected = """
                2025-11-22T00:00:00.100Z    500ms 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a 0a00000000000002 0a00000000000001 internal -     chat type=generation model=gpt-4o tokens=120+45 cost=$0.0012 session=s-1
                2025-11-22T00:00:00.750Z    100ms 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a 0a00000000000004 0a00000000000003 internal -     fetch
                2025-11-22T00:00:00.700Z    200ms 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a 0a00000000000003 0a00000000000001 internal -     search type=tool tool=web_search
                2025-11-22T00:00:01.000Z    400ms 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a 0a00000000000005 0a00000000000001 internal ERROR chat type=generation model=claude tokens=300+20 error="rate limited"
                2025-11-22T00:00:00.000Z   1.500s 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a 0a00000000000001 -                server   OK    run_agent type=agent session=s-1 user=u-1
                2025-11-22T00:00:02.100Z    200ms 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b 0b00000000000002 0b00000000000001 internal ERROR chat type=generation model=gpt-4o-mini tokens=10+5 error="TimeoutError: model timed out"
                2025-11-22T00:00:02.000Z    500ms 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b 0b00000000000001 -                server   -     run_agent type=agent session=s-2 user=u-2

                """
            #expect(out == expected)
        }
    }

    @Test func treeASCIISnapshot() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let out = Fixture.render { TreeDump().run(segments: try! spool.segments(), to: &$0) }
            let expected = """
                trace 0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a  5 spans  1.500s  2025-11-22T00:00:00.000Z  1 error
                run_agent                                          1.500s |########################################|
                |- chat (gpt-4o, 120+45 tok, $0.0012)               500ms |..##############........................|
                |- search (tool: web_search)                        200ms |..................######................|
                |  `- fetch                                         100ms |....................###.................|
                `- chat (claude, 300+20 tok) ERROR: rate limited    400ms |..........................############..|

                trace 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b  2 spans  500ms  2025-11-22T00:00:02.000Z  1 error
                run_agent                                                               500ms |########################################|
                `- chat (gpt-4o-mini, 10+5 tok) ERROR: TimeoutError: model timed out    200ms |........################................|

                """
            #expect(out == expected)
        }
    }

    @Test func lsSnapshot() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let out = Fixture.render { SegmentLister().run(segments: try! spool.segments(), to: &$0) }
            let expected = """
                STATE   SEGMENT                                        WRITER          SIZE  FRAMES  SPANS  DAMAGED  FIRST SPAN                LAST SPAN                 RATIO  UPLOADED
                sealed  00000000000000000001-testhost-42-00000001.seg  testhost:42  1.1 KiB       2      7        -  2025-11-22T00:00:00.000Z  2025-11-22T00:00:02.500Z  1.42x         -

                """
            #expect(out == expected)
        }
    }

    @Test func statsSnapshot() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let out = SpoolStats(segments: try spool.segments()).render(top: 3)
            let expected = """
                segments:   1 (1 sealed, 0 live, 0 abandoned; 0 uploading)
                spans:      7 in 2 traces
                frames:     2 (8 records)
                bytes:      files 1.1 KiB, stored 908 B, raw 1.3 KiB (ratio 1.42x)
                drops:      4 (queue_full 3, disk_cap 1) recorded by writers
                damage:     0 regions, 0 bytes
                oldest:     2025-11-22T00:00:00.000Z
                newest:     2025-11-22T00:00:02.500Z

                per segment:
                SEGMENT                                        STATE   SPANS  TRACES  FRAMES  STORED      RAW  DROPS  DAMAGED  OLDEST                    NEWEST
                00000000000000000001-testhost-42-00000001.seg  sealed      7       2       2   908 B  1.3 KiB      4        0  2025-11-22T00:00:00.000Z  2025-11-22T00:00:02.500Z

                top span names by count:
                COUNT  TOTAL TIME  NAME
                    3      1.100s  chat
                    2      2.000s  run_agent
                    1       100ms  fetch

                top span names by total time:
                TOTAL TIME  COUNT  NAME
                    2.000s      2  run_agent
                    1.100s      3  chat
                     200ms      1  search

                """
            #expect(out == expected)
        }
    }

    @Test func treeTerminalSnapshot() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let filter = try SpanFilter(trace: "0b")
            let out = Fixture.render {
                TreeDump(filter: filter, style: TreeStyle(colors: true, unicode: true, barWidth: 10)).run(
                    segments: try! spool.segments(), to: &$0)
            }
            let red = "\u{1B}[31m"
            let reset = "\u{1B}[0m"
            let expected =
                "trace 0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b  2 spans  500ms  2025-11-22T00:00:02.000Z  \(red)1 error\(reset)\n"
                + "run_agent                                                               500ms |██████████|\n"
                + "\(red)└─ chat (gpt-4o-mini, 10+5 tok) ERROR: TimeoutError: model timed out\(reset)    200ms "
                + "|··\(red)████\(reset)····|\n"
            #expect(out == expected)
        }
    }
}
