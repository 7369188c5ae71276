import ArgumentParser
import TraceSpoolDump

struct Spans: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print one line (or one OTLP/JSON object) per span.")
    @OptionGroup var input: InputOptions
    @OptionGroup var filters: FilterOptions
    @Flag(help: "Print OTLP/JSON spans as JSON lines (hex ids, 64-bit integers as strings).") var json = false
    @Flag(help: "Keep printing spans as writers append them, like tail -f (stop with Ctrl-C).") var follow = false
    @Flag(help: "With --follow: skip the spans already in the spool, print only new ones.") var newOnly = false
    @Option(help: "Stop after this many spans.") var limit: Int?
    @Option(help: "With --follow: poll interval in milliseconds.") var intervalMillis = 250

    func validate() throws {
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
        guard (1...60_000).contains(intervalMillis) else {
            throw ValidationError("--interval-millis must be between 1 and 60000")
        }
        if newOnly, !follow { throw ValidationError("--new-only needs --follow") }
    }

    func run() throws {
        let filter = try filters.filter()
        if case .store(let store) = try input.resolveSource() {
            if follow { StandardError.fail(.notASpool(path: store.path, command: "spans --follow"), code: .usage) }
            var out = FileDescriptorOutput(fd: 1)
            let lister = SpanLister(filter: filter, json: json, limit: limit)
            let result: SpanLister.Summary
            do throws(DumpError) { result = try lister.run(store: store, to: &out) } catch {
                out.flush()
                StandardError.fail(error)
            }
            out.flush()
            StandardError.report(result.diagnostics)
            return
        }
        let (spoolInput, segments) = try input.resolve()
        if follow {
            var out = FileDescriptorOutput(fd: 1, flushEachWrite: true)
            let follower = SpanFollower(input: spoolInput, filter: filter, json: json, skipExisting: newOnly)
            follower.run(limit: limit, intervalMillis: intervalMillis, to: &out)
            StandardError.report(follower.diagnostics)
            return
        }
        var out = FileDescriptorOutput(fd: 1)
        let result = SpanLister(filter: filter, json: json, limit: limit).run(segments: segments, to: &out)
        out.flush()
        StandardError.report(result.diagnostics)
    }
}
