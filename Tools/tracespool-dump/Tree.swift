import ArgumentParser
import TraceSpoolDump

struct Tree: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw each trace as an indented tree with a duration waterfall.")
    @OptionGroup var input: InputOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var tree: TreeOptions

    func run() throws {
        StandardError.report(try tree.draw(filter: try filters.filter(), input: input).diagnostics)
    }
}
