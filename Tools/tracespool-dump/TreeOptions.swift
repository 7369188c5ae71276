import ArgumentParser
import TraceSpoolDump

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

struct TreeOptions: ParsableArguments {
    @Option(help: "Show spans at most this deep (a root is depth 0).") var maxDepth: Int?
    @Option(help: "The most spans held in memory; further spans are skipped with a note.") var maxSpans = 200_000
    @Option(help: "Waterfall width in characters.") var width = 40
    @Option(help: "colors and Unicode: auto (when stdout is a terminal), always or never.") var color = "auto"

    func validate() throws {
        if let maxDepth, maxDepth < 0 { throw ValidationError("--max-depth must be 0 or more") }
        guard maxSpans > 0 else { throw ValidationError("--max-spans must be 1 or more") }
        guard (8...200).contains(width) else { throw ValidationError("--width must be between 8 and 200") }
    }

    func style() throws -> TreeStyle {
        let fancy: Bool
        switch color {
        case "auto": fancy = isatty(1) == 1
        case "always": fancy = true
        case "never": fancy = false
        default: throw ValidationError("--color \(color): expected auto, always or never")
        }
        return TreeStyle(colors: fancy, unicode: fancy, barWidth: width, maxDepth: maxDepth)
    }

    /// Draws the traces of the spool or SQLite store `input` names that pass `filter` to standard output, in the
    /// style and within the span cap these options give.
    ///
    /// - Throws: `ValidationError` for a malformed option; exits with status 1 when the input cannot be read.
    func draw(filter: SpanFilter, input: InputOptions) throws -> TreeDump.Summary {
        let dump = TreeDump(filter: filter, style: try style(), maxSpans: maxSpans, describe: { $0.message })
        var out = FileDescriptorOutput(fd: 1)
        defer { out.flush() }
        switch try input.resolveSource() {
        case .spool(_, let segments):
            return dump.run(segments: segments, to: &out)
        case .store(let store):
            do throws(DumpError) { return try dump.run(store: store, to: &out) } catch { StandardError.fail(error) }
        }
    }
}
