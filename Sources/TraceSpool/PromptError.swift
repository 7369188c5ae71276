/// Why a `PromptLibrary` could not load its directory, could not find a prompt, or a `Prompt` could not compile.
///
/// `description` says what is wrong (naming the file, and the line or field of a JSON file) and what to do next;
/// the lookup errors list what the library holds.
public enum PromptError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The prompt directory cannot be listed (missing, not a directory, no permission): its path and the system's
    /// reason.
    case unreadableDirectory(path: String, reason: String)
    /// A file of the prompt directory cannot be read: its path and the system's reason.
    case unreadableFile(path: String, reason: String)
    /// A file of the prompt directory is not what its name says: its path and the problem (with the line and column
    /// of a JSON syntax error, or the JSON field at fault).
    case malformedFile(path: String, problem: String)
    /// A file whose name is not one a prompt directory holds (`<version>.txt`, `<version>.json`, `labels.json`).
    case unexpectedFile(path: String)
    /// The same version written twice, as `<version>.txt` and `<version>.json`: both paths.
    case duplicateVersion(name: String, version: Int, paths: [String])
    /// A prompt name that is not a relative path of non-empty components other than `.` and `..`.
    case invalidName(String)
    /// No prompt of that name; `known` lists the names the library holds, sorted.
    case unknownPrompt(name: String, known: [String])
    /// The prompt has no such version; `versions` lists the versions it has, ascending.
    case unknownVersion(name: String, version: Int, versions: [Int])
    /// The prompt has no such label; `labels` lists the labels it has, sorted (`latest` included).
    case unknownLabel(name: String, label: String, labels: [String])
    /// `Prompt.compile(_:)` was not given a value for each variable of the template: the ones missing, in the order
    /// the template uses them.
    case missingVariables(name: String, version: Int, missing: [String])

    /// What is wrong and what to do next.
    public var description: String {
        switch self {
        case .unreadableDirectory(let path, let reason):
            return "cannot read the prompt directory \(path): \(reason); pass the directory of prompt files the app "
                + "ships (`<name>/<version>.txt`, see Docs/Tracer.md, Prompts)"
        case .unreadableFile(let path, let reason):
            return "cannot read the prompt file \(path): \(reason); check that it is a readable file"
        case .malformedFile(let path, let problem):
            return "\(path): \(problem)"
        case .unexpectedFile(let path):
            return "\(path): not a prompt file; a prompt directory holds `<version>.txt` (a text template), "
                + "`<version>.json` (a chat prompt or a prompt with config) with versions 1, 2, ... and "
                + "`labels.json`; rename or remove it (hidden files and `.md` files are skipped)"
        case .duplicateVersion(let name, let version, let paths):
            return "prompt \"\(name)\" has version \(version) twice: \(paths.joined(separator: " and ")); keep one"
        case .invalidName(let name):
            return "\"\(name)\" is not a prompt name: names are relative paths like `support/triage` whose "
                + "components are not empty, `.` or `..`"
        case .unknownPrompt(let name, let known):
            return "no prompt named \"\(name)\"; "
                + (known.isEmpty
                    ? "the prompt directory holds no prompts"
                    : "the prompts are: \(known.joined(separator: ", "))")
        case .unknownVersion(let name, let version, let versions):
            return "prompt \"\(name)\" has no version \(version); its versions are: "
                + versions.map(String.init).joined(separator: ", ")
        case .unknownLabel(let name, let label, let labels):
            return "prompt \"\(name)\" has no label \"\(label)\"; its labels are: \(labels.joined(separator: ", ")) "
                + "(set one in \(name)/labels.json, or ask for `label: \"latest\"` or a version)"
        case .missingVariables(let name, let version, let missing):
            return "prompt \"\(name)\" version \(version) needs "
                + (missing.count == 1 ? "variable " : "variables ")
                + missing.joined(separator: ", ") + "; pass "
                + (missing.count == 1 ? "it" : "them") + " to compile"
        }
    }
}
