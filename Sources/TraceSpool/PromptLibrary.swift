import SpoolBase

/// The prompts an app ships as files, loaded once: the local counterpart of a prompt-management service (Langfuse's
/// `get_prompt`), with no network access.
///
/// Layout (see Docs/Tracer.md, Prompts): one directory per prompt, named after it (a name with `/`, such as
/// `support/triage`, is a directory in a directory); in it, one file per immutable version, `<version>.txt` (the
/// template as plain text) or `<version>.json` (a chat prompt, or a prompt with a `config`), versions 1, 2, ...;
/// and optionally `labels.json`, movable labels such as `{"production": 3, "staging": 4}`. `latest` is the
/// highest version, always. Hidden files and `.md` files are skipped.
///
/// Every file is read by `init(directory:)`; lookups and compilation read no file. A value is immutable and can be
/// shared across tasks.
///
/// ```swift
/// let prompts = try PromptLibrary(directory: promptsDirectory)  // the Prompts folder the app ships; read once
/// let triage = try prompts.prompt("support/triage")  // the version labelled `production`
/// let compiled = try triage.compile(["product": "Spool", "customer": "ACME", "ticket": "It crashes."])
/// ```
public struct PromptLibrary: Sendable {
    /// The directory the prompts were loaded from, as given.
    public let directory: String
    /// Every prompt with its versions and labels, sorted by name.
    public let listing: [PromptVersions]
    private let byName: [String: PromptVersions]

    /// Loads every prompt under `directory`.
    ///
    /// - Throws: `PromptError` when the directory cannot be read, or when any file in it is not a prompt file or is
    ///   malformed (the error names the file, and the line or field at fault): an app finds a bad prompt file when it
    ///   starts, not when it first uses that prompt.
    public init(directory: String) throws(PromptError) {
        self.directory = directory
        var found: [PromptVersions] = []
        try Self.load(directory, name: "", into: &found)
        listing = found.sorted { $0.name < $1.name }
        var byName: [String: PromptVersions] = [:]
        for entry in listing { byName[entry.name] = entry }
        self.byName = byName
    }

    /// The prompt `name` at `version`.
    ///
    /// - Throws: `PromptError.invalidName`, `.unknownPrompt` (listing the names there are) or `.unknownVersion`
    ///   (listing the versions there are).
    public func prompt(_ name: String, version: Int) throws(PromptError) -> Prompt {
        let entry = try self.entry(name)
        guard let prompt = entry.versions.first(where: { $0.version == version }) else {
            throw .unknownVersion(name: name, version: version, versions: entry.versions.map(\.version))
        }
        return prompt
    }

    /// The version of the prompt `name` that `label` points at: a label of its `labels.json`, or `latest` (the
    /// highest version). The default, `production`, is Langfuse's.
    ///
    /// - Throws: `PromptError.invalidName`, `.unknownPrompt` (listing the names there are) or `.unknownLabel`
    ///   (listing the labels there are).
    public func prompt(_ name: String, label: String = "production") throws(PromptError) -> Prompt {
        let entry = try self.entry(name)
        guard let version = entry.labels[label], let prompt = entry.versions.first(where: { $0.version == version })
        else { throw .unknownLabel(name: name, label: label, labels: entry.labels.keys.sorted()) }
        return prompt
    }

    private func entry(_ name: String) throws(PromptError) -> PromptVersions {
        guard Self.isName(name) else { throw .invalidName(name) }
        guard let entry = byName[name] else { throw .unknownPrompt(name: name, known: listing.map(\.name)) }
        return entry
    }

    /// Whether `name` is a relative path of non-empty components other than `.` and `..`.
    static func isName(_ name: String) -> Bool {
        !name.isEmpty
            && name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
                !$0.isEmpty && $0 != "." && $0 != ".."
            }
    }

    // MARK: Loading

    /// Loads the prompt of the directory `path` (named `name`; the library's directory is `""`) and those below.
    /// Symbolic links to files are followed; a symbolic link to a directory is not a prompt file.
    private static func load(_ path: String, name: String, into found: inout [PromptVersions]) throws(PromptError) {
        let entries: [String]
        do throws(SystemCallError) {
            entries = try FileSystem.listDirectory(path).sorted()
        } catch {
            let reason = POSIX.describe(errno: error.errno)
            if name.isEmpty { throw .unreadableDirectory(path: path, reason: reason) }
            throw .unreadableFile(path: path, reason: reason)
        }
        var files: [Int: String] = [:]
        var labelsPath: String?
        for entry in entries {
            let full = FileSystem.join(path, entry)
            if entry.hasPrefix(".") { continue }
            let kind: FileStatus.Kind
            switch FileStatus.of(path: full) {
            case .success(let status): kind = status.kind
            case .failure(let e): throw .unreadableFile(path: full, reason: POSIX.describe(errno: e.code))
            }
            if kind == .directory {
                try load(full, name: name.isEmpty ? entry : name + "/" + entry, into: &found)
                continue
            }
            switch PromptFile.kind(of: entry) {
            case .skipped: continue
            case .labels: labelsPath = full
            case .version(let version):
                if let other = files[version] {
                    throw .duplicateVersion(name: name, version: version, paths: [other, full])
                }
                files[version] = full
            case .badVersion:
                throw .malformedFile(
                    path: full,
                    problem: "the file name is not a version: name it `<version>.txt` or `<version>.json` with a "
                        + "version of 1 or more, no leading zero (`1.txt`, `2.json`)")
            case .unexpected: throw .unexpectedFile(path: full)
            }
        }
        guard !files.isEmpty || labelsPath != nil else { return }
        guard !name.isEmpty else {
            throw .malformedFile(
                path: files.values.sorted().first ?? labelsPath ?? path,
                problem: "a prompt file directly in the prompt directory; put it in a directory named after the "
                    + "prompt (`<name>/1.txt`)")
        }
        let versions = files.keys.sorted()
        guard let latest = versions.last else {
            throw .malformedFile(
                path: labelsPath ?? path, problem: "labels without any version; add `1.txt` or `1.json` beside it")
        }
        var labels: [String: Int] = [:]
        if let labelsPath { labels = try PromptFile.labels(at: labelsPath, versions: versions) }
        labels["latest"] = latest
        var prompts: [Prompt] = []
        prompts.reserveCapacity(versions.count)
        for version in versions {
            let file = files[version]!
            let template: PromptContent
            let config: String?
            if file.hasSuffix(".json") {
                let parsed = try PromptFile.json(at: file)
                template = parsed.0
                config = parsed.config
            } else {
                template = try PromptFile.text(at: file)
                config = nil
            }
            let own = labels.filter { $0.value == version }.map(\.key).sorted()
            prompts.append(Prompt(name: name, version: version, labels: own, template: template, config: config))
        }
        found.append(PromptVersions(name: name, versions: prompts, labels: labels))
    }
}
