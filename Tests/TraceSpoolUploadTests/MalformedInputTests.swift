import Foundation
import Synchronization
import Testing
import TraceSpoolTesting

/// Every flag and every environment variable of the tools, driven with malformed values: no run may end by a
/// signal (a trap), and a run that fails says so on standard error, naming the flag, the variable or the value.
///
/// Flags come from each tool's `--experimental-dump-help` (so flags added later are covered); variables from the tools'
/// documentation tables (`Docs/Uploader.md`, `Docs/Tracer.md` for the demo's tracer, `Docs/Dump.md`; for
/// `tracespool-lambda-demo`, `AWS_LAMBDA_RUNTIME_API`; for `tracespool-llm-demo`, which runs against a
/// `fake-llm-provider` process, `OPENAI_API_KEY` and `ANTHROPIC_API_KEY`), and a check
/// that every such name in the code is documented there. Runs are short (`--once` on an empty spool, one span) and
/// go in parallel.
@Suite struct MalformedInputTests {
    /// One tool run to make.
    struct Case: Sendable {
        var tool: String
        var arguments: [String]
        /// Environment changes (`nil` removes).
        var environment: [String: String?] = [:]
        /// A value set with `/bin/sh` as raw bytes (invalid UTF-8): the variable's name and its bytes.
        var rawVariable: (name: String, bytes: [UInt8])?
        /// What a failure message must mention (one of them).
        var names: [String]
        var label: String
    }

    /// The malformed values tried for each flag and variable; `work` is a directory of the test.
    static func values(work: String) -> [String] {
        [
            "", "-1", "0", "99999999999999999999", "abc", "nan", "-inf", "1e309",
            String(repeating: "x", count: 8192), work + "/missing/none", work + "/unreadable", work,
        ]
    }

    /// The `command` object of argument-parser's `--experimental-dump-help` JSON for `tool` (or its `subcommand`).
    static func dumpHelp(_ tool: String, subcommand: String? = nil) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ToolProcess.path(tool))
        p.arguments = (subcommand.map { [$0] } ?? []) + ["--experimental-dump-help"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(json["command"] as? [String: Any])
    }

    /// Long option names taking a value, and flags, of `tool`'s command (or `subcommand`), from its dump-help JSON.
    static func options(_ tool: String, subcommand: String? = nil) throws -> (values: [String], flags: [String]) {
        let command = try dumpHelp(tool, subcommand: subcommand)
        var values: [String] = []
        var flags: [String] = []
        for argument in command["arguments"] as? [[String: Any]] ?? [] {
            guard let names = argument["names"] as? [[String: Any]],
                let long = names.first(where: { $0["kind"] as? String == "long" })?["name"] as? String,
                !["help", "version", "experimental-dump-help"].contains(long)
            else { continue }
            if argument["kind"] as? String == "option" { values.append("--" + long) } else { flags.append("--" + long) }
        }
        return (values, flags)
    }

    /// The subcommands of `tool`.
    static func subcommands(_ tool: String) throws -> [String] {
        let command = try dumpHelp(tool)
        return (command["subcommands"] as? [[String: Any]] ?? []).compactMap { $0["commandName"] as? String }
            .filter { $0 != "help" }
    }

    /// Variable names (`OTEL_…`, `TRACESPOOL_…`, `…_PROXY`) written in backticks in `document`.
    static func documentedVariables(_ document: String) throws -> Set<String> {
        let text = try String(contentsOfFile: UploaderDocumentationTests.packageRoot + "/" + document, encoding: .utf8)
        let pattern = try Regex("`\\$?((?:OTEL|TRACESPOOL)_[A-Z0-9_]+|[A-Za-z_]*_(?:PROXY|proxy))(?:=[^`]*)?`")
        return Set(text.matches(of: pattern).compactMap { $0.output[1].substring.map(String.init) })
    }

    /// Variable names quoted as string literals in the Swift files under `directories`.
    static func variablesInCode(_ directories: [String]) throws -> Set<String> {
        let pattern = try Regex("\"((?:OTEL|TRACESPOOL)_[A-Z0-9_]+|[A-Za-z_]*_(?:PROXY|proxy))\"")
        var names: Set<String> = []
        for directory in directories {
            let root = UploaderDocumentationTests.packageRoot + "/" + directory
            for file in FileManager.default.enumerator(atPath: root)?.compactMap({ $0 as? String }) ?? []
            where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: root + "/" + file, encoding: .utf8)
                for match in text.matches(of: pattern) { match.output[1].substring.map { names.insert(String($0)) } }
            }
        }
        return names
    }

    /// The documentation that lists each tool's variables, and the code that reads them.
    static let variableSources: [(tool: String, document: String, code: [String])] = [
        (
            "tracespool-upload", "Docs/Uploader.md",
            ["Sources/TraceSpoolUpload", "Sources/TraceSpoolLambda", "Tools/tracespool-upload"]
        ),
        ("tracespool-demo", "Docs/Tracer.md", ["Sources/TraceSpool", "Tools/tracespool-demo"]),
        ("tracespool-dump", "Docs/Dump.md", ["Sources/TraceSpoolDump", "Tools/tracespool-dump"]),
    ]

    @Test func everyVariableTheCodeReadsIsDocumented() throws {
        for source in Self.variableSources {
            let missing = try Self.variablesInCode(source.code).subtracting(Self.documentedVariables(source.document))
            #expect(
                missing.isEmpty, "\(source.tool) reads \(missing.sorted()) but \(source.document) does not list them")
        }
    }

    /// Every case: each flag and variable of each tool with each value.
    static func cases(work: String, fakeProviderURL: String) throws -> [Case] {
        var cases: [Case] = []
        let values = Self.values(work: work)
        var runs = 0
        func spool() -> String {
            runs += 1
            let path = work + "/run-\(runs)/spool"
            try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            return path
        }
        let closedPort = "http://127.0.0.1:9"
        let destinations: Set<String> = ["--endpoint", "--traces-endpoint", "--sqlite", "--sink"]
        // tracespool-upload: every option; OTLP options with an endpoint so that their values are read.
        let upload = try options("tracespool-upload")
        for option in upload.values {
            for value in values {
                let extra = destinations.contains(option) ? [] : ["--endpoint", closedPort]
                cases.append(
                    Case(
                        tool: "tracespool-upload",
                        arguments: [spool(), "--once", "--no-progress", option, value] + extra,
                        environment: Self.cleanUploadEnvironment, names: [option, value],
                        label: "tracespool-upload \(option) \(value.prefix(40))"))
            }
        }
        for value in values {
            cases.append(
                Case(
                    tool: "tracespool-upload",
                    arguments: [value, "--once", "--no-progress", "--sqlite", spool() + ".db"],
                    environment: Self.cleanUploadEnvironment, names: [value, "spool"],
                    label: "tracespool-upload SPOOL=\(value.prefix(40))"))
        }
        // tracespool-dump: every option of every subcommand, once per name.
        var seen: Set<String> = []
        for subcommand in try subcommands("tracespool-dump") {
            let prefix = subcommand == "trace" ? [subcommand, "ab12"] : [subcommand]
            for option in try options("tracespool-dump", subcommand: subcommand).values
            where seen.insert(option).inserted {
                for value in values {
                    cases.append(
                        Case(
                            tool: "tracespool-dump", arguments: prefix + [spool(), option, value],
                            names: [option, value],
                            label: "tracespool-dump \(subcommand) \(option) \(value.prefix(40))"))
                }
            }
            for value in values {
                cases.append(
                    Case(
                        tool: "tracespool-dump", arguments: prefix + [value], names: [value, "spool", "segment"],
                        label: "tracespool-dump \(subcommand) PATH=\(value.prefix(40))"))
            }
        }
        // tracespool-demo: one span, small payload.
        let demo = try options("tracespool-demo")
        for option in demo.values {
            for value in values {
                var arguments = ["--spool", spool(), "--spans", "1", "--payload-bytes", "8"]
                if let at = arguments.firstIndex(of: option) { arguments.removeSubrange(at...(at + 1)) }
                cases.append(
                    Case(
                        tool: "tracespool-demo", arguments: arguments + [option, value], names: [option, value],
                        label: "tracespool-demo \(option) \(value.prefix(40))"))
            }
        }
        // tracespool-lambda-demo: every option (and flag) it may gain, and its one variable, AWS_LAMBDA_RUNTIME_API,
        // with the values above and invalid UTF-8 (none is host:port, so no run reaches a Runtime API).
        let lambdaDemo = try options("tracespool-lambda-demo")
        for option in lambdaDemo.values {
            for value in values {
                cases.append(
                    Case(
                        tool: "tracespool-lambda-demo", arguments: [option, value],
                        environment: ["TRACESPOOL_DIR": spool()], names: [option, value],
                        label: "tracespool-lambda-demo \(option) \(value.prefix(40))"))
            }
        }
        for value in values + [nil] as [String?] {
            var c = Case(
                tool: "tracespool-lambda-demo", arguments: [], environment: ["TRACESPOOL_DIR": spool()],
                names: ["AWS_LAMBDA_RUNTIME_API"],
                label:
                    "tracespool-lambda-demo AWS_LAMBDA_RUNTIME_API=\(value.map { String($0.prefix(40)) } ?? "<invalid UTF-8>")"
            )
            if let value {
                c.environment["AWS_LAMBDA_RUNTIME_API"] = value
            } else {
                c.rawVariable = ("AWS_LAMBDA_RUNTIME_API", [0xFF, 0xFE, 0x61, 0xC3, 0x28])
            }
            cases.append(c)
        }
        // tracespool-llm-demo: every option with each value, against a `fake-llm-provider` process (so that valid
        // values succeed), and the two key variables.
        let llmDemo = try options("tracespool-llm-demo")
        for option in llmDemo.values {
            for value in values {
                var arguments = ["--spool", spool(), "--base-url", fakeProviderURL + "/v1"]
                if let at = arguments.firstIndex(of: option) { arguments.removeSubrange(at...(at + 1)) }
                cases.append(
                    Case(
                        tool: "tracespool-llm-demo", arguments: arguments + [option, value], names: [option, value],
                        label: "tracespool-llm-demo \(option) \(value.prefix(40))"))
            }
        }
        for variable in ["OPENAI_API_KEY", "ANTHROPIC_API_KEY"] {
            for value in values + [nil] as [String?] {
                var c = Case(
                    tool: "tracespool-llm-demo",
                    arguments: [
                        "--spool", spool(), "--base-url", fakeProviderURL + "/v1", "--provider",
                        variable.hasPrefix("OPENAI") ? "openai" : "anthropic",
                    ],
                    names: [variable],
                    label: "tracespool-llm-demo \(variable)=\(value.map { String($0.prefix(40)) } ?? "<invalid UTF-8>")"
                )
                if let value {
                    c.environment[variable] = value
                } else {
                    c.rawVariable = (variable, [0xFF, 0xFE, 0x61, 0xC3, 0x28])
                }
                cases.append(c)
            }
        }
        // Environment variables, with the values above and invalid UTF-8.
        for source in variableSources {
            for variable in try documentedVariables(source.document).sorted() {
                var environmentValues: [String?] = values
                environmentValues.append(nil)  // the raw bytes case
                for value in environmentValues {
                    var c: Case
                    switch source.tool {
                    case "tracespool-upload":
                        var environment = Self.cleanUploadEnvironment
                        if !variable.contains("ENDPOINT") { environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = closedPort }
                        c = Case(
                            tool: source.tool, arguments: [spool(), "--once", "--no-progress"],
                            environment: environment, names: [variable], label: "")
                    case "tracespool-dump":
                        c = Case(tool: source.tool, arguments: ["ls"], names: [variable, "spool"], label: "")
                    default:
                        let arguments = ["--spans", "1", "--payload-bytes", "8"]
                        // TMPDIR keeps the tracer's default spool (TRACESPOOL_DIR empty) inside the test's directory.
                        c = Case(
                            tool: source.tool,
                            arguments: (variable == "TRACESPOOL_DIR" ? [] : ["--spool", spool()]) + arguments,
                            environment: ["TMPDIR": work], names: [variable], label: "")
                    }
                    if let value {
                        c.environment[variable] = value
                        c.names.append(value)
                    } else {
                        c.rawVariable = (variable, [0xFF, 0xFE, 0x61, 0xC3, 0x28])
                    }
                    c.label = "\(source.tool) \(variable)=\(value.map { String($0.prefix(40)) } ?? "<invalid UTF-8>")"
                    cases.append(c)
                }
            }
        }
        return cases
    }

    /// Starts `fake-llm-provider` on a free loopback port; the process and its URL (from its first output line).
    static func startFakeProvider() throws -> (Process, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ToolProcess.path("fake-llm-provider"))
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        var line: [UInt8] = []
        while let byte = out.fileHandleForReading.readData(ofLength: 1).first, byte != UInt8(ascii: "\n") {
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard let at = text.range(of: "http://") else {
            p.terminate()
            throw CocoaError(
                .fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "fake-llm-provider said: \(text)"])
        }
        return (p, String(text[at.lowerBound...]))
    }

    /// The uploader's environment without the test machine's OTLP settings.
    static let cleanUploadEnvironment: [String: String?] = [
        "OTEL_EXPORTER_OTLP_ENDPOINT": nil, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": nil,
        "OTEL_EXPORTER_OTLP_HEADERS": nil, "OTEL_EXPORTER_OTLP_TRACES_HEADERS": nil,
    ]

    /// What the parallel runners share: the next case to run, and the problems found.
    final class Shared: Sendable {
        let next = Atomic<Int>(0)
        let problems = Mutex<[String]>([])
    }

    /// Runs one case; nil when it passed, else what went wrong.
    static func check(_ c: Case, in directory: String) async throws -> String? {
        var tool = c.tool
        var arguments = c.arguments
        if let raw = c.rawVariable {
            // Raw bytes go through the shell: `printf` writes them, `export` puts them in the environment.
            let octal = raw.bytes.map { "\\" + String($0, radix: 8) }.joined()
            arguments =
                [
                    "-c", "\(raw.name)=\"$(printf '\(octal)')\"; export \(raw.name); exec \"$0\" \"$@\"",
                    ToolProcess.path(c.tool),
                ] + c.arguments
            tool = "/bin/sh"
        }
        // In a directory of the test's, so relative values (`--sqlite 0`) create nothing elsewhere.
        let run = try await ToolProcess.run(
            tool, arguments, environment: c.environment, directory: directory, timeoutSeconds: 60)
        // `--kill-after` kills the demo by design.
        if run.signaled, run.status == SIGKILL, c.tool == "tracespool-demo", c.arguments.contains("--kill-after") {
            return nil
        }
        if run.signaled { return "\(c.label): ended by signal \(run.status); stderr: \(run.stderr.prefix(400))" }
        guard run.status != 0 else { return nil }
        let firstLine = run.stderr.split(separator: "\n").first.map(String.init) ?? ""
        guard !firstLine.isEmpty else { return "\(c.label): exit \(run.status) without a message" }
        let mentioned = c.names.contains { name in
            !name.isEmpty && name.count <= 200
                && firstLine.contains(name.hasPrefix("--") ? String(name.dropFirst(2)) : name)
        }
        return mentioned
            ? nil
            : "\(c.label): exit \(run.status), message names none of \(c.names.map { String($0.prefix(40)) }): \(firstLine.prefix(300))"
    }

    @Test(.timeLimit(.minutes(10))) func noInputTrapsAndEveryErrorNamesItsCause() async throws {
        try await withTemporarySpool { work in
            FileManager.default.createFile(atPath: work.path + "/unreadable", contents: Data("x".utf8))
            chmod(work.path + "/unreadable", 0)
            let (fakeProvider, fakeProviderURL) = try Self.startFakeProvider()
            defer {
                fakeProvider.terminate()
                fakeProvider.waitUntilExit()
            }
            let cases = try Self.cases(work: work.path, fakeProviderURL: fakeProviderURL)
            let scratch = work.path + "/cwd"
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
            let shared = Shared()
            await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        while true {
                            let i = shared.next.add(1, ordering: .relaxed).oldValue
                            guard i < cases.count else { return }
                            if let problem = try await Self.check(cases[i], in: scratch) {
                                shared.problems.withLock { $0.append(problem) }
                            }
                        }
                    }
                }
                while (try? await group.next()) != nil {}
            }
            let found = shared.problems.withLock { $0 }
            #expect(found.isEmpty, "\(found.count) of \(cases.count) runs:\n\(found.sorted().joined(separator: "\n"))")
        }
    }
}
