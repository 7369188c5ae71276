import Foundation
import Synchronization
import Testing
import TraceSpoolTesting
import TraceSpoolUpload

@testable import tracespool_upload

/// `tracespool-upload`'s exit statuses and messages for a missing spool and out-of-range numbers, and its progress
/// bar beside log lines.
@Suite struct UploadExitCodeTests {
    @Test func onceOnAMissingSpoolSaysSoAndCreatesNothing() async throws {
        try await withTemporarySpool { work in
            let store = work.path + "/s.sqlite"
            let run = try await ToolProcess.run(
                "tracespool-upload", [work.path + "/typo", "--once", "--no-progress", "--sqlite", store])
            #expect(run.status == UploadExitCode.missingSpool && !run.signaled)
            #expect(run.stderr.contains("the spool directory does not exist") && run.stderr.contains("/typo"))
            #expect(!FileManager.default.fileExists(atPath: store))
        }
    }

    @Test func negativeNumbersNameTheirFlag() async throws {
        try await withTemporarySpool { spool in
            for arguments in [["--max-batch-spans", "-5"], ["--max-batch-spans=-5"], ["--parallel-segments", "-1"]] {
                let run = try await ToolProcess.run("tracespool-upload", [spool.path, "--once"] + arguments)
                #expect(run.status == 64, "\(arguments): \(run.stderr)")
                let flag = arguments[0].split(separator: "=")[0]
                #expect(run.stderr.contains("\(flag) must be positive"), "\(arguments): \(run.stderr)")
                #expect(!run.stderr.contains("Missing value"), "\(arguments): \(run.stderr)")
            }
        }
    }

    /// The text written to a status line.
    final class Terminal: Sendable {
        let text = Mutex("")
        func write(_ s: String) { text.withLock { $0 += s } }
    }

    @Test func logLinesGoAboveTheBarWhichEndsFull() {
        let terminal = Terminal()
        let line = StatusLine(write: terminal.write)
        let progress = UploadProgress()
        progress.setBacklog(1000)
        progress.addConsumed(900)
        progress.addDelivered(12)
        let bar = ProgressBar(progress: progress, line: line, columns: { 60 })
        bar.draw()
        line.print("ts=1 level=info msg=hello\n")
        bar.finish(allDelivered: true)
        let drawn = terminal.text.withLock { $0 }
        let clear = StatusLine.clear
        let first = ProgressBar.render(done: 900, total: 1000, spans: 12, columns: 60)
        let last = ProgressBar.render(done: 1000, total: 1000, spans: 12, columns: 60)
        // The bar is cleared before the log line and drawn again after it; it ends at 100 % on its own line.
        #expect(drawn == clear + first + clear + "ts=1 level=info msg=hello\n" + first + clear + last + "\n")
        #expect(first.contains(" 90% ") && last.contains(" 100% "))
        for columns in [20, 40, 60, 200] {
            #expect(ProgressBar.render(done: 5, total: 10, spans: 123_456, columns: columns).count < columns)
        }
    }
}
