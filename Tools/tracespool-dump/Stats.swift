import ArgumentParser
import TraceSpoolDump

struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Totals and per-segment figures: spans, traces, bytes, frames, drops, damage, top span names.")
    @OptionGroup var input: InputOptions
    @Option(help: "How many top span names to show.") var top = 10
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func validate() throws {
        guard top >= 0 else { throw ValidationError("--top must be 0 or more") }
    }

    func run() throws {
        let (_, segments) = try input.resolve(command: "stats")
        var out = FileDescriptorOutput(fd: 1)
        let stats = SpoolStats(segments: segments)
        out.write(json ? stats.renderJSON(top: top) : stats.render(top: top))
        out.flush()
    }
}
