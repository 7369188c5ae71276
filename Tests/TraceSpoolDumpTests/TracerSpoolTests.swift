import Foundation
import Testing
import TraceSpoolTesting

@testable import TraceSpoolDump

/// The dump tool on spans with the tracer's attribute conventions (`AgentRunFixture`): models, token usage, tools,
/// sessions and errors as the tracer's agent layer writes them.
@Suite struct TracerSpoolTests {
    @Test func treeShowsTheTracersModelsTokensToolsAndErrors() throws {
        try withTemporarySpool { spool in
            try AgentRunFixture.write(into: spool)
            let out = Fixture.render { TreeDump(style: .plain).run(segments: try! spool.segments(), to: &$0) }
            let lines = out.split(separator: "\n").map(String.init)
            #expect(lines.first?.contains("5 spans") == true, "\(out)")
            let root = try #require(lines.firstIndex { $0.hasPrefix("support-request") })
            let agent = try #require(lines.firstIndex { $0.contains("`- planner") })
            let chat = try #require(lines.firstIndex { $0.contains("chat (gpt-4o-mini, 120+30 tok") })
            let tool = try #require(lines.firstIndex { $0.contains("lookup_order (tool: lookup_order)") })
            let refund = try #require(lines.firstIndex { $0.contains("refund (tool: refund)") })
            #expect(root < agent && agent < chat && chat < tool && tool < refund)
            // Children are indented under the agent.
            #expect(lines[chat].hasPrefix("   |- ") && lines[refund].hasPrefix("   `- "))
            #expect(lines[refund].contains("RefundFailed"), "the thrown error is shown: \(lines[refund])")
        }
    }

    @Test func spanFiltersUseTheTracersSessionUserAndStatus() throws {
        try withTemporarySpool { spool in
            try AgentRunFixture.write(into: spool)
            let segments = try spool.segments()
            func count(_ filter: SpanFilter) -> Int {
                Fixture.render { SpanLister(filter: filter, json: true, limit: nil).run(segments: segments, to: &$0) }
                    .split(separator: "\n").count
            }
            #expect(count(try SpanFilter(session: "sess-7")) == 5)
            #expect(count(try SpanFilter(user: "u-42")) == 5)
            #expect(count(try SpanFilter(session: "other")) == 0)
            #expect(count(try SpanFilter(errorsOnly: true)) == 1)
            let stats = SpoolStats(segments: segments)
            #expect(stats.totals.spanRecords == 5)
            #expect(stats.totals.damageCount == 0)
            #expect(stats.topByCount(10).map(\.name).contains("lookup_order"))
        }
    }
}
