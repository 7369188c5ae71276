import ArgumentParser
import TraceSpoolDump

struct Salvage: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the readable frames of damaged or abandoned segments into new sealed segments.")
    @OptionGroup var input: InputOptions
    @Flag(help: "Delete each original once its copy is sealed, instead of keeping it as <name>.salvaged.")
    var removeOriginal = false
    @Flag(help: "Salvage a retired original (<name>.salvaged, given as the input) again.") var force = false
    @Option(help: "Write new segments here instead of the spool directory.") var output: String?
    @Flag(help: "Also copy records the uploader's checkpoint (<base>.ack) marks as delivered.")
    var ignoreCheckpoint = false

    func run() throws {
        let (spoolInput, segments) = try input.resolve(command: "salvage")
        let salvager = SegmentSalvager(
            removeOriginal: removeOriginal, force: force, outputDirectory: output, ignoreCheckpoint: ignoreCheckpoint)
        let outcomes = salvager.run(input: spoolInput, segments: segments)
        var out = FileDescriptorOutput(fd: 1)
        out.write(SalvageReport.render(outcomes))
        out.flush()
        if outcomes.contains(where: { $0.action == .failed || $0.originalStillVisible }) {
            throw ExitCode(DumpExitCode.failure.rawValue)
        }
    }
}
