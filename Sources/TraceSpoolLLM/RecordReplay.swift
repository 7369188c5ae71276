public import Logging

/// Record/replay of the HTTP exchanges the LLM instrumentation sees, for deterministic agent tests.
///
/// The recording is one JSON file (Docs/LLMRecording.md). A request matches a recorded exchange when the method,
/// the URL path and query (not scheme, host or port; credential query parameters left out) and the canonical JSON
/// body (members sorted, `ignoredFields` removed, numbers by value; a body that is not JSON byte for byte) are the
/// same; each recorded exchange is served once, identical requests in file order.
///
/// Copies of a value share the loaded recording and its served exchanges; separately created values replay
/// separately. Values on one path in one process write through one shared file writer (`.record` starts the file
/// afresh at the first exchange recorded in the process; later exchanges are appended).
public struct RecordReplay: Sendable {
    /// What happens to each request.
    public enum Mode: String, Sendable, CaseIterable {
        /// Send every request and append every exchange to the recording (started afresh at the first exchange).
        case record
        /// Serve every request from the recording; no network. A missing file throws `RecordingError`.
        case replay
        /// Serve what the recording has, send and append the rest (a missing file is an empty recording).
        case recordMissing = "record-missing"
        /// Send every request; read and write nothing.
        case passThrough = "pass-through"
    }

    /// What an unmatched request does in `replay`.
    public enum Level: String, Sendable, CaseIterable {
        /// Any request not in the recording throws: `ReplayMismatchError` when the recording has exchanges with
        /// its method and path, `DeterminismLeakError` when it has none.
        case strict
        /// A request with no counterpart in the recording (no exchange with its method and path) is logged as a
        /// warning (once per method and path) and sent, not recorded; one that differs from recorded exchanges with
        /// its method and path still throws `ReplayMismatchError`.
        case relaxed
    }

    /// The mode.
    public var mode: Mode
    /// The recording file.
    public var path: String
    /// The level of `replay`.
    public var level: Level
    /// JSON body fields left out of matching, read when the recording is loaded (the first request): member names
    /// separated by dots, each optionally followed by `[*]` (every element) or `[N]` (element N, from 0); e.g.
    /// `user`, `metadata.run_id`, `messages[*].name`. A field that does not parse so is a top-level member name.
    public var ignoredFields: [String]
    /// Where relaxed replay warns about requests sent because the recording does not have them.
    public var logger: Logger
    /// The loaded recording and its cursor, shared by copies of this value.
    package let session: RecordReplaySession

    /// Record/replay in `mode` against the recording at `path`; `logger` defaults to the label
    /// `TraceSpoolLLM.replay`.
    public init(
        mode: Mode, path: String, level: Level = .strict, ignoredFields: [String] = [], logger: Logger? = nil
    ) {
        self.mode = mode
        self.path = path
        self.level = level
        self.ignoredFields = ignoredFields
        self.logger = logger ?? Logger(label: "TraceSpoolLLM.replay")
        self.session = RecordReplaySession()
    }

    /// The recorded exchanges not served yet, as `exchanges[i]: METHOD path` (`i` the index in the file, from 0);
    /// always empty in `.record` and `.passThrough`. At the end of a test, a non-empty list means the code under
    /// test made fewer requests than when the recording was made. Loads the recording if no request did.
    ///
    /// - Throws: `RecordingError` when the recording is missing (in `.replay`) or cannot be read.
    public func unusedExchanges() throws(RecordingError) -> [String] {
        try session.unusedExchanges(configuration: self)
    }
}
