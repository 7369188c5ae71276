import TraceSpool

/// Spools written by the real tracer (not fixture bytes), so the dump tests check the tracer's attribute conventions.
enum TracerFixture {
    /// The error the agent run's `refund` tool throws; its type name appears in trees.
    struct RefundFailed: Error {}

    /// Records one agent invocation into `spool` — trace `support-request` (session `sess-7`, user `u-42`) with an
    /// agent `planner`, a generation (gpt-4o-mini, 120+30 tokens), the tool `lookup_order` and the failing tool
    /// `refund` — then runs `more` with the same tracer and shuts it down (sealing its segment).
    static func recordAgentRun(into spool: TempSpool, more: (SpoolTracer) -> Void = { _ in }) -> Bool {
        var config = TracerConfiguration(serviceName: "dump-tests", spoolDirectory: spool.path)
        config.shutdownAtExit = false
        config.logLevel = .critical
        let tracer = SpoolTracer(configuration: config)
        tracer.trace("support-request", session: "sess-7", user: "u-42") { _ in
            tracer.withAgent("planner") { _ in
                tracer.withGeneration("chat", model: "gpt-4o-mini", system: "openai") { generation in
                    generation.setUsage(inputTokens: 120, outputTokens: 30)
                }
                tracer.withTool("lookup_order", input: ["id": "A-1"]) { tool in tool.setOutput(["status": "shipped"]) }
                _ = try? tracer.withTool("refund") { _ in throw RefundFailed() }
            }
        }
        more(tracer)
        return tracer.shutdown()
    }
}
