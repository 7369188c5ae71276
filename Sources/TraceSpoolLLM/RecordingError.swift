/// A recording file that cannot be used: missing in replay, unreadable, malformed, of an unknown version, or not
/// writable. Its text names the file, where the problem is and what to do next.
public struct RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with the file.
    public enum Problem: Sendable, Equatable {
        /// No file at the path: nothing was recorded there yet.
        case missing
        /// The file could not be read; the system's reason.
        case unreadable(String)
        /// The file is not a recording: not JSON (then `line` and `column` say where), or JSON of the wrong shape
        /// (then `field` says where). The associated text says what is wrong.
        case malformed(String)
        /// The file is a recording of a format version this library does not read.
        case unsupportedVersion(String)
        /// The recording could not be written; the system's reason.
        case unwritable(String)
    }

    /// The recording file's path.
    public var path: String
    /// What is wrong.
    public var problem: Problem
    /// The line (from 1) of a JSON syntax error, nil otherwise.
    public var line: Int?
    /// The column (from 1, in bytes) of a JSON syntax error, nil otherwise.
    public var column: Int?
    /// The JSON path in the file of a value of the wrong shape (e.g. `exchanges[2].response.status`), nil
    /// otherwise.
    public var field: String?

    /// An error about the file at `path`.
    package init(path: String, problem: Problem, line: Int? = nil, column: Int? = nil, field: String? = nil) {
        self.path = path
        self.problem = problem
        self.line = line
        self.column = column
        self.field = field
    }

    /// What is wrong, where, and what to do.
    public var description: String {
        switch problem {
        case .missing:
            return "No LLM recording at \(path): record it first (RecordReplay mode .record, or --record \(path) in "
                + "tracespool-llm-demo), then replay it; mode .recordMissing replays what a recording has and records "
                + "the rest."
        case .unreadable(let reason):
            return "Cannot read the LLM recording \(path): \(reason)."
        case .malformed(let what):
            var place = ""
            if let line, let column {
                place = " at line \(line), column \(column)"
            } else if let field {
                place = " at \(field)"
            }
            return
                "The LLM recording \(path) is malformed\(place): \(what). Fix the file by hand (Docs/LLMRecording.md "
                + "describes the format) or record it again (RecordReplay mode .record)."
        case .unsupportedVersion(let version):
            return "The LLM recording \(path) has format version \(version), which this version of TraceSpoolLLM does "
                + "not read (it reads version \(RecordingCodec.version)); record it again with this version "
                + "(RecordReplay mode .record) or use the TraceSpoolLLM version that wrote it."
        case .unwritable(let reason):
            return "Cannot write the LLM recording \(path): \(reason). Check that its directory exists and is writable."
        }
    }
}
