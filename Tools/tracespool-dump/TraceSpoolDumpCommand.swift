import ArgumentParser
import SpoolBase

/// `tracespool-dump`: see what is in a spool. Thin over the `TraceSpoolDump` library; see `Docs/Dump.md`.
@main
struct TraceSpoolDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracespool-dump",
        abstract: "Inspect, verify and salvage TraceSpool spools (read-only except `salvage`).",
        discussion: "Exit codes: 0 success (verify: clean), 1 error, 2 damage found (verify), 3 trace not found, "
            + "64 usage error.",
        version: PackageVersion.current,
        subcommands: [Ls.self, Spans.self, Tree.self, Trace.self, Stats.self, Verify.self, Salvage.self, Prompts.self])

    /// Runs the command line, with `--name -5` read as `--name=-5` (`CommandLineArguments.joiningNegativeValues`).
    static func main() {
        main(CommandLineArguments.joiningNegativeValues(Array(CommandLine.arguments.dropFirst())))
    }
}
