import ArgumentParser
import TraceSpoolDump

struct Ls: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List segments: state, writer, size, frames, spans, damage, time range, compression ratio.")
    @OptionGroup var input: InputOptions
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func run() throws {
        let (_, segments) = try input.resolve(command: "ls")
        var out = FileDescriptorOutput(fd: 1)
        SegmentLister().run(segments: segments, json: json, to: &out)
        out.flush()
    }
}
