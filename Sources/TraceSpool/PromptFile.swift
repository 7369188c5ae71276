import SpoolBase

/// Reads the files of a prompt directory: `<version>.txt`, `<version>.json` and `labels.json`. Every problem is a
/// `PromptError` naming the file, and the line and column or the JSON field at fault.
enum PromptFile {
    /// What a file name in a prompt's directory is.
    enum Kind: Equatable {
        /// `<version>.txt` or `<version>.json`.
        case version(Int)
        /// `labels.json`.
        case labels
        /// A hidden file or a `.md` file: not read.
        case skipped
        /// A `.txt`/`.json` file whose name is not a version number (1 or more, no leading zero, no sign).
        case badVersion
        /// Anything else.
        case unexpected
    }

    /// Classifies the file name `name`.
    static func kind(of name: String) -> Kind {
        if name.hasPrefix(".") || name.hasSuffix(".md") { return .skipped }
        if name == "labels.json" { return .labels }
        let json = name.hasSuffix(".json")
        guard json || name.hasSuffix(".txt") else { return .unexpected }
        let stem = name.dropLast(json ? 5 : 4)
        guard let first = stem.utf8.first, first != UInt8(ascii: "0"),
            stem.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), let version = Int(stem)
        else { return .badVersion }
        return .version(version)
    }

    /// The template of a `<version>.txt` file: its whole text, less one final line break (`\n` or `\r\n`).
    static func text(at path: String) throws(PromptError) -> PromptContent {
        var bytes = try read(path)
        if bytes.last == UInt8(ascii: "\n") {
            bytes.removeLast()
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformedFile(path: path, problem: "not UTF-8 text; save the template as UTF-8")
        }
        return .text(text)
    }

    /// The template and config of a `<version>.json` file:
    /// `{"type":"chat","prompt":[{"role":"system","content":"…"}],"config":{…}}` or
    /// `{"type":"text","prompt":"…"}`; `type` is optional (the form of `prompt` says it), `config` too.
    static func json(at path: String) throws(PromptError) -> (PromptContent, config: String?) {
        let members = try object(path)
        func fail(_ problem: String) -> PromptError { .malformedFile(path: path, problem: problem) }
        var type: String?
        var prompt: JSONValue?
        var config: String?
        for member in members {
            switch (member.key, member.value) {
            case ("type", .string(let t)) where t == "text" || t == "chat": type = t
            case ("type", _): throw fail(#"field `type`: expected "text" or "chat""#)
            case ("prompt", let value): prompt = value
            case ("config", .object(let object)):
                var writer = JSONWriter()
                writer.value(.object(object))
                config = writer.text
            case ("config", .null): config = nil
            case ("config", _): throw fail("field `config`: expected a JSON object (model, temperature, ...)")
            default:
                throw fail(
                    "unknown field `\(member.key)`; a prompt file has `prompt` (a string, or an array of "
                        + #"{"role":…,"content":…} messages), optional `type` ("text" or "chat") and `config`"#)
            }
        }
        switch (prompt, type) {
        case (.string(let text), nil), (.string(let text), "text"?): return (.text(text), config)
        case (.array(let items), nil), (.array(let items), "chat"?):
            var messages: [ChatMessage] = []
            for (i, item) in items.enumerated() { messages.append(try message(item, i, path)) }
            return (.chat(messages), config)
        case (nil, _):
            throw fail(
                #"no field `prompt`; write {"type":"chat","prompt":[{"role":"system","content":"…"}]} or "#
                    + #"{"type":"text","prompt":"…"}"#)
        case (_, "chat"?): throw fail(#"field `prompt`: a chat prompt is an array of {"role":…,"content":…}"#)
        case (_, "text"?): throw fail("field `prompt`: a text prompt is a string")
        default:
            throw fail(#"field `prompt`: expected a string (text) or an array of {"role":…,"content":…} (chat)"#)
        }
    }

    /// The message `prompt[index]` of a chat prompt.
    private static func message(_ item: JSONValue, _ index: Int, _ path: String) throws(PromptError) -> ChatMessage {
        let field = "field `prompt[\(index)]`"
        guard case .object(let members) = item else {
            throw .malformedFile(path: path, problem: #"\#(field): expected {"role":…,"content":…}"#)
        }
        var role: String?
        var content: String?
        for member in members {
            switch (member.key, member.value) {
            case ("role", .string(let r)) where !r.isEmpty: role = r
            case ("content", .string(let c)): content = c
            case ("role", _), ("content", _):
                throw .malformedFile(
                    path: path,
                    problem: "\(field).\(member.key): expected a\(member.key == "role" ? " non-empty" : "") string")
            default:
                throw .malformedFile(
                    path: path, problem: "\(field): unknown field `\(member.key)`; a message has `role` and `content`")
            }
        }
        guard let role, let content else {
            throw .malformedFile(
                path: path, problem: "\(field): missing `\(role == nil ? "role" : "content")`; a message has both")
        }
        return ChatMessage(role: role, content: content)
    }

    /// The labels of `labels.json` (`{"production": 3, "staging": 4}`), each checked against `versions`.
    static func labels(at path: String, versions: [Int]) throws(PromptError) -> [String: Int] {
        var labels: [String: Int] = [:]
        for member in try object(path) {
            let field = "field `\(member.key)`"
            guard isLabel(member.key) else {
                throw .malformedFile(
                    path: path,
                    problem: "\(field): a label is lowercase letters, digits, `_`, `-` and `.` (e.g. `production`)")
            }
            guard member.key != "latest" else {
                throw .malformedFile(
                    path: path, problem: "\(field): `latest` always points at the highest version; remove it")
            }
            guard case .number(let number) = member.value, let version = number.int64.flatMap({ Int(exactly: $0) })
            else { throw .malformedFile(path: path, problem: "\(field): expected a version number") }
            guard versions.contains(version) else {
                throw .malformedFile(
                    path: path,
                    problem: "\(field): version \(version) does not exist (versions: "
                        + versions.map(String.init).joined(separator: ", ") + ")")
            }
            labels[member.key] = version
        }
        return labels
    }

    /// Whether `label` is a label name: lowercase ASCII letters, digits, `_`, `-`, `.`; not empty.
    static func isLabel(_ label: String) -> Bool {
        !label.isEmpty
            && label.utf8.allSatisfy {
                ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
                    || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
                    || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
            }
    }

    /// The members of the JSON object in the file at `path`.
    private static func object(_ path: String) throws(PromptError) -> [JSONMember] {
        let bytes = try read(path)
        let value: JSONValue
        do throws(JSONParseError) {
            value = try JSONReader.parse(bytes)
        } catch {
            let (line, column) = position(of: error.offset, in: bytes)
            throw .malformedFile(path: path, problem: "line \(line), column \(column): \(error.description)")
        }
        guard case .object(let members) = value else {
            throw .malformedFile(path: path, problem: "expected a JSON object (`{…}`)")
        }
        var seen: Set<String> = []
        for member in members where !seen.insert(member.key).inserted {
            throw .malformedFile(path: path, problem: "field `\(member.key)` appears twice; keep one")
        }
        return members
    }

    /// The 1-based line and column (in bytes) of `offset`.
    private static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for (i, b) in bytes.prefix(offset).enumerated() where b == UInt8(ascii: "\n") {
            line += 1
            lineStart = i + 1
        }
        return (line, offset - lineStart + 1)
    }

    private static func read(_ path: String) throws(PromptError) -> [UInt8] {
        do throws(SystemCallError) {
            return try FileSystem.readFile(path)
        } catch {
            throw .unreadableFile(path: path, reason: POSIX.describe(errno: error.errno))
        }
    }
}
