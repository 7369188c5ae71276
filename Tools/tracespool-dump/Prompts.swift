import ArgumentParser
import SpoolBase
import TraceSpool
import TraceSpoolDump

struct Prompts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the prompts of a prompt directory: each version's type, labels and variables.")
    @Argument(help: "The prompt directory an app loads with `PromptLibrary(directory:)` (not a spool).")
    var directory: String?
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func validate() throws {
        guard let directory, !directory.isEmpty else {
            throw ValidationError(
                "give the prompt directory to list: the directory of prompt files an app loads with PromptLibrary, "
                    + "not a spool")
        }
    }

    func run() throws {
        let library: PromptLibrary
        do throws(PromptError) {
            library = try PromptLibrary(directory: directory ?? "")
        } catch {
            var message = TerminalText.safe(error.description, maxCharacters: 1 << 20)
            if case .unreadableDirectory = error { message += "; `prompts` reads prompt files, not a spool" }
            var err = FileDescriptorOutput(fd: 2)
            err.write("tracespool-dump: \(message)\n")
            err.flush()
            throw ExitCode(DumpExitCode.failure.rawValue)
        }
        var out = FileDescriptorOutput(fd: 1)
        out.write(json ? Self.renderJSON(library) : Self.renderText(library))
        out.flush()
    }

    /// One row per version: name, version, type, labels, variables; `no prompts in DIR` when there are none. Names
    /// (directory names) are printed with control characters replaced by `?`.
    static func renderText(_ library: PromptLibrary) -> String {
        guard !library.listing.isEmpty else { return "no prompts in \(TerminalText.safe(library.directory))\n" }
        var rows = [["NAME", "VERSION", "TYPE", "LABELS", "VARIABLES"]]
        for entry in library.listing {
            for prompt in entry.versions {
                rows.append([
                    TerminalText.safe(entry.name), String(prompt.version), prompt.template.type,
                    prompt.labels.isEmpty ? "-" : prompt.labels.joined(separator: ","),
                    prompt.variables.isEmpty ? "-" : prompt.variables.joined(separator: ","),
                ])
            }
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var text = ""
        for row in rows {
            var cells: [String] = []
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                // The version column is right-aligned, the last one is not padded.
                cells.append(i == 1 ? pad + cell : i == row.count - 1 ? cell : cell + pad)
            }
            text += cells.joined(separator: "  ") + "\n"
        }
        return text
    }

    /// `{"directory":…,"prompts":[{"name":…,"labels":{label: version},"versions":[{"version":…,"type":…,
    /// "labels":[…],"variables":[…],"config":{…}}]}]}` (`config` only when the version has one), names sorted.
    static func renderJSON(_ library: PromptLibrary) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("directory")
        json.string(library.directory)
        json.key("prompts")
        json.beginArray()
        for entry in library.listing {
            json.beginObject()
            json.key("name")
            json.string(entry.name)
            json.key("labels")
            json.beginObject()
            for (label, version) in entry.labels.sorted(by: { $0.key < $1.key }) {
                json.key(escaping: label)
                json.number(version)
            }
            json.endObject()
            json.key("versions")
            json.beginArray()
            for prompt in entry.versions {
                json.beginObject()
                json.key("version")
                json.number(prompt.version)
                json.key("type")
                json.string(prompt.template.type)
                json.key("labels")
                strings(prompt.labels, &json)
                json.key("variables")
                strings(prompt.variables, &json)
                if let config = prompt.config, let value = try? JSONReader.parse(config) {
                    json.key("config")
                    json.value(value)
                }
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    private static func strings(_ values: [String], _ json: inout JSONWriter) {
        json.beginArray()
        for value in values { json.string(value) }
        json.endArray()
    }
}
