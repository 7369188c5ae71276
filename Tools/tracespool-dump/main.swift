import ArgumentParser
import SpoolBase
import TraceSpoolDump

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `tracespool-dump`: see what is in a spool. Thin over the `TraceSpoolDump` library; see `Docs/Dump.md`.
@main
struct TraceSpoolDumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tracespool-dump",
        abstract: "Inspect, verify and salvage TraceSpool spools (read-only except `salvage`).",
        discussion: "Exit codes: 0 success (verify: clean), 1 error, 2 damage found (verify), 3 trace not found, "
            + "64 usage error.",
        subcommands: [Ls.self, Spans.self, Tree.self, Trace.self, Stats.self, Verify.self, Salvage.self])
}

struct InputOptions: ParsableArguments {
    @Argument(
        help: ArgumentHelp(
            "A spool directory, one segment file, or (spans/tree/trace) the uploader's SQLite store "
                + "(default: $TRACESPOOL_DIR)."))
    var path: String?

    /// What `spans`, `tree` and `trace` read: a spool, or the uploader's SQLite store.
    enum Source {
        case spool(SpoolInput, [SpoolSegment])
        case store(SQLiteSpanSource)
    }

    private func givenPath() throws -> String {
        guard let p = path ?? ProcessEnvironment.value("TRACESPOOL_DIR") else {
            throw ValidationError("give a spool directory or segment file, or set TRACESPOOL_DIR")
        }
        return p
    }

    /// Resolves a spool or a SQLite store (a `.sqlite`/`.db` file or one with the SQLite header).
    func resolveSource() throws -> Source {
        let p = try givenPath()
        guard SQLiteSpanSource.isStore(path: p) else {
            let (input, segments) = try resolve()
            return .spool(input, segments)
        }
        do throws(DumpError) {
            return .store(try SQLiteSpanSource(path: p))
        } catch {
            fail(error)
        }
    }

    /// Resolves a spool; `command` names the spool-only command for the usage error given a SQLite store.
    func resolve(command: String? = nil) throws -> (SpoolInput, [SpoolSegment]) {
        let p = try givenPath()
        if let command, SQLiteSpanSource.isStore(path: p) {
            fail(.notASpool(path: p, command: command), code: .usage)
        }
        switch Self.open(p) {
        case .success(let resolved): return resolved
        case .failure(let error): fail(error)
        }
    }

    private static func open(_ path: String) -> Result<(SpoolInput, [SpoolSegment]), DumpError> {
        do throws(DumpError) {
            let input = try SpoolInput(path: path)
            return .success((input, try input.segments()))
        } catch {
            return .failure(error)
        }
    }
}

struct FilterOptions: ParsableArguments {
    @Option(help: "Only this trace id (or a hex prefix of it).") var trace: String?
    @Option(help: "Only spans whose session.id is this.") var session: String?
    @Option(help: "Only spans whose user.id is this.") var user: String?
    @Option(help: "Only spans whose name contains this.") var name: String?
    @Option(help: "Only spans starting at or after this time (RFC 3339 or Unix seconds).") var since: String?
    @Option(help: "Only spans starting before this time (RFC 3339 or Unix seconds).") var until: String?
    @Flag(help: "Only failed spans (status ERROR or tracespool.level ERROR).") var errors = false

    func filter(trace override: String? = nil) throws -> SpanFilter {
        func time(_ text: String?, _ option: String) throws -> UInt64? {
            guard let text else { return nil }
            guard let t = TimeFormat.parse(text) else {
                throw ValidationError("\(option) \(text): expected RFC 3339 (2026-11-22T05:56:04Z) or Unix seconds")
            }
            return t
        }
        let sinceNanos = try time(since, "--since")
        let untilNanos = try time(until, "--until")
        do throws(DumpError) {
            return try SpanFilter(
                trace: override ?? trace, session: session, user: user, nameContains: name,
                sinceUnixNanos: sinceNanos, untilUnixNanos: untilNanos, errorsOnly: errors)
        } catch {
            throw ValidationError(error.description)
        }
    }
}

/// Prints `error` to standard error and exits with `code`.
func fail(_ error: DumpError, code: DumpExitCode = .failure) -> Never {
    var err = FileDescriptorOutput(fd: 2)
    err.write("tracespool-dump: \(error)\n")
    err.flush()
    exit(code.rawValue)
}

/// Prints diagnostics to standard error.
func report(_ diagnostics: DumpDiagnostics) {
    guard diagnostics.count > 0 else { return }
    var err = FileDescriptorOutput(fd: 2)
    err.write(diagnostics.rendered())
    err.flush()
}

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
            if follow { fail(.notASpool(path: store.path, command: "spans --follow"), code: .usage) }
            var out = FileDescriptorOutput(fd: 1)
            let lister = SpanLister(filter: filter, json: json, limit: limit)
            let result: SpanLister.Result
            do throws(DumpError) { result = try lister.run(store: store, to: &out) } catch {
                out.flush()
                fail(error)
            }
            out.flush()
            report(result.diagnostics)
            return
        }
        let (spoolInput, segments) = try input.resolve()
        if follow {
            var out = FileDescriptorOutput(fd: 1, flushEachWrite: true)
            let follower = SpanFollower(input: spoolInput, filter: filter, json: json, skipExisting: newOnly)
            follower.run(limit: limit, intervalMillis: intervalMillis, to: &out)
            report(follower.diagnostics)
            return
        }
        var out = FileDescriptorOutput(fd: 1)
        let result = SpanLister(filter: filter, json: json, limit: limit).run(segments: segments, to: &out)
        out.flush()
        report(result.diagnostics)
    }
}

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
}

struct Tree: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw each trace as an indented tree with a duration waterfall.")
    @OptionGroup var input: InputOptions
    @OptionGroup var filters: FilterOptions
    @OptionGroup var tree: TreeOptions

    func run() throws {
        let dump = TreeDump(filter: try filters.filter(), style: try tree.style(), maxSpans: tree.maxSpans)
        report(try draw(dump, input).diagnostics)
    }
}

struct Trace: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Draw one trace (by id or hex prefix) as a tree.")
    @Argument(help: "The trace id, or a hex prefix of it.") var id: String
    @OptionGroup var input: InputOptions
    @OptionGroup var tree: TreeOptions

    func run() throws {
        let filter: SpanFilter
        do throws(DumpError) { filter = try SpanFilter(trace: id) } catch { throw ValidationError(error.description) }
        let result = try draw(TreeDump(filter: filter, style: try tree.style(), maxSpans: tree.maxSpans), input)
        report(result.diagnostics)
        if result.traces == 0 { fail(.traceNotFound(id), code: .notFound) }
    }
}

/// Runs `dump` on the spool or SQLite store `input` names, writing to standard output.
func draw(_ dump: TreeDump, _ input: InputOptions) throws -> TreeDump.Result {
    var out = FileDescriptorOutput(fd: 1)
    defer { out.flush() }
    switch try input.resolveSource() {
    case .spool(_, let segments):
        return dump.run(segments: segments, to: &out)
    case .store(let store):
        do throws(DumpError) { return try dump.run(store: store, to: &out) } catch { fail(error) }
    }
}

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

struct Salvage: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the readable frames of damaged or abandoned segments into new sealed segments.")
    @OptionGroup var input: InputOptions
    @Flag(help: "Delete each original once its copy is sealed (never while an uploader holds its lease).")
    var removeOriginal = false
    @Flag(help: "Salvage segments already marked as salvaged again.") var force = false
    @Option(help: "Write new segments here instead of the spool directory.") var output: String?
    @Flag(help: "Also copy records the uploader's checkpoint (<base>.ack) marks as delivered.")
    var ignoreCheckpoint = false

    func run() throws {
        let (spoolInput, segments) = try input.resolve(command: "salvage")
        let salvager = SegmentSalvager(
            removeOriginal: removeOriginal, force: force, outputDirectory: output, ignoreCheckpoint: ignoreCheckpoint)
        let outcomes = salvager.run(input: spoolInput, segments: segments)
        var out = FileDescriptorOutput(fd: 1)
        out.write(salvager.render(outcomes))
        out.flush()
        if outcomes.contains(where: { $0.action == .failed }) { throw ExitCode(DumpExitCode.failure.rawValue) }
    }
}
