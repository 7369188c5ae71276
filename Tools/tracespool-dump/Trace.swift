import ArgumentParser
import TraceSpoolDump

struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Draw one trace (by id or hex prefix) as a tree.")
    @Argument(help: "The trace id, or a hex prefix of it.") var id: String
    @OptionGroup var input: InputOptions
    @OptionGroup var tree: TreeOptions

    func run() throws {
        let filter: SpanFilter
        do throws(DumpError) { filter = try SpanFilter(trace: id) } catch { throw ValidationError(error.message) }
        let result = try tree.draw(filter: filter, input: input)
        StandardError.report(result.diagnostics)
        if result.traces == 0 { StandardError.fail(.traceNotFound(id), code: .notFound) }
    }
}
