import Foundation
import SpoolFormat
import Testing
import TraceSpoolTesting

/// `tracespool-demo`'s flag checks and its report of a self-kill.
@Suite struct DemoExitCodeTests {
    @Test func flushBeforeKillNeedsKillAfter() async throws {
        try await withTemporarySpool { spool in
            let run = try await ToolProcess.run("tracespool-demo", ["--spool", spool.path, "--flush-before-kill"])
            #expect(run.status == 64 && !run.signaled)
            #expect(run.stderr.contains("--flush-before-kill needs --kill-after"), "\(run.stderr)")
            #expect(try SpoolDirectory(path: spool.path).segments().isEmpty)
        }
    }

    @Test func aKillBeforeAnySpanReportsNoSpan() async throws {
        try await withTemporarySpool { spool in
            let run = try await ToolProcess.run(
                "tracespool-demo", ["--spool", spool.path, "--kill-after", "0", "--flush-before-kill"])
            #expect(run.signaled && run.status == SIGKILL)
            #expect(run.stdout.hasPrefix("spans=0 flushed=true "), "\(run.stdout)")
            let contents = try SpoolContents(reading: spool.path)
            #expect(contents.spans.isEmpty)
        }
    }
}
