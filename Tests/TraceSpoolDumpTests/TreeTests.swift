import Foundation
import OTLPWire
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump
@testable import tracespool_dump

@Suite struct TreeTests {
    @Test func maxDepthHidesDeeperSpans() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let filter = try SpanFilter(trace: "0a")
            let out = Fixture.render {
                TreeDump(filter: filter, style: TreeStyle(maxDepth: 1)).run(segments: try! spool.segments(), to: &$0)
            }
            #expect(!out.contains("fetch"))
            #expect(out.contains("search (tool: web_search)"))
            #expect(out.hasSuffix("(1 span deeper than --max-depth 1 not shown)\n"))
            #expect(!out.contains("0b0b"))
        }
    }

    @Test func terminalStyleUsesColoursAndUnicode() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            let out = Fixture.render { TreeDump(style: .terminal).run(segments: try! spool.segments(), to: &$0) }
            #expect(out.contains("\u{1B}[31m"))  // errors in red
            #expect(out.contains("\u{1B}[32m"))  // OK in green
            #expect(out.contains("├─ ") && out.contains("└─ ") && out.contains("█"))
            let plain = Fixture.render { TreeDump(style: .plain).run(segments: try! spool.segments(), to: &$0) }
            #expect(!plain.contains("\u{1B}"))
            #expect(plain.utf8.allSatisfy { $0 < 0x80 })
        }
    }

    @Test func spanCapBoundsMemoryWithAClearNote() throws {
        try withTemporarySpool { spool in
            try Fixture.writeStandard(spool)
            var out = ""
            let result = TreeDump(maxSpans: 3).run(segments: try spool.segments(), to: &out)
            #expect(result.spans == 3)
            #expect(result.skippedSpans == 4)
            #expect(out.contains("span cap of 3 reached: 4 more spans not shown"))
        }
    }

    @Test func orphansAndParentCyclesAreDrawnOnce() {
        var collector = TraceCollector()
        // 2 -> 3 -> 2 is a cycle; 4's parent is missing; 5 is its own parent.
        let spans = [
            Fixture.span(9, 1, name: "root", from: 0, to: 100),
            Fixture.span(9, 2, parent: 3, name: "cycle-a", from: 10, to: 20),
            Fixture.span(9, 3, parent: 2, name: "cycle-b", from: 20, to: 30),
            Fixture.span(9, 4, parent: 7, name: "orphan", from: 40, to: 50),
            Fixture.span(9, 5, parent: 5, name: "self", from: 60, to: 70),
        ]
        for s in spans { collector.add(s, facts: SpanFacts(s)) }
        let out = TraceTreeRenderer().render(collector.sortedTraces[0]).text
        for name in ["root", "cycle-a", "cycle-b", "orphan (parent 0900000000000007 missing)", "self"] {
            #expect(out.components(separatedBy: name).count == 2, "\(name) drawn exactly once")
        }
    }

    @Test func deepChainsDoNotOverflowTheStack() {
        var collector = TraceCollector()
        for i in 0..<20_000 {
            var s = OTLPSpan(
                traceID: Fixture.traceID(1), spanID: withUnsafeBytes(of: UInt64(i + 1).bigEndian, Array.init),
                name: "n", startTimeUnixNano: Fixture.t0 + UInt64(i), endTimeUnixNano: Fixture.t0 + 40_000)
            if i > 0 { s.parentSpanID = withUnsafeBytes(of: UInt64(i).bigEndian, Array.init) }
            collector.add(s, facts: SpanFacts(s))
        }
        let drawing = TraceTreeRenderer(style: TreeStyle(maxDepth: 3)).render(collector.sortedTraces[0])
        #expect(drawing.hiddenSpans == 19996)
        #expect(drawing.text.split(separator: "\n").count == 1 + 4, "the header and depths 0 to 3")
        #expect(
            TreeNote.deeperThanMaxDepth(spans: drawing.hiddenSpans, maxDepth: 3).message
                == "(19996 spans deeper than --max-depth 3 not shown)")
    }

    @Test func generationAndToolFactsFollowTheSharedConventions() {
        let facts = SpanFacts(Fixture.agentTrace()[3])
        #expect(facts.spanType == "generation")
        #expect(facts.model == "claude")
        #expect(facts.inputTokens == 300 && facts.outputTokens == 20 && facts.totalTokens == 320)
        #expect(facts.isError && facts.errorMessage == "rate limited")
        let tool = SpanFacts(Fixture.agentTrace()[2])
        #expect(tool.isTool && tool.toolName == "web_search")
        let failed = SpanFacts(Fixture.shortTrace()[0])
        #expect(failed.errorMessage == "TimeoutError: model timed out")
        #expect(failed.level == "ERROR")
    }
}
