import ArgumentParser
import TraceSpoolDump

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check every frame's CRCs and limits; exit 0 when clean, 2 when anything is damaged.")
    @OptionGroup var input: InputOptions
    @Flag(help: "Print a JSON report.") var json = false

    func run() throws {
        let (spoolInput, segments) = try input.resolve(command: "verify")
        let verifier = SpoolVerifier()
        let report = verifier.verify(path: spoolInput.path, segments: segments)
        var out = FileDescriptorOutput(fd: 1)
        out.write(json ? verifier.renderJSON(report) : verifier.renderText(report))
        out.flush()
        if !report.isClean { throw ExitCode(report.exitCode.rawValue) }
    }
}

extension SpoolVerifier.Report {
    /// The exit status of `verify`: `.success` when clean, `.damaged` otherwise.
    var exitCode: DumpExitCode { isClean ? .success : .damaged }
}
